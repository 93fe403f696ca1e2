// A recipe fitted on a training split: the learned statistics of every step, and the
// one transform from raw rows to the feature matrix. Training, batch prediction and the
// HTTP endpoint all call transform(), so what is served is exactly what was evaluated.
//
// Immutable once built; transform() may be called concurrently. to_json()/from_json()
// round-trip exactly: a reloaded recipe produces bit-identical features.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/data/table.h"
#include "archml/features/feature_matrix.h"
#include "archml/features/fitted_step.h"

namespace archml::features {

class Plan;
struct Block;

class FittedRecipe {
 public:
  // `columns` are the training columns other than the target, in table order. Throws
  // archml::Error when the steps do not fit the columns (see Recipe::fit).
  FittedRecipe(std::string target, std::vector<InputColumn> columns, std::vector<FittedStep> steps);

  const std::string& target() const { return target_; }
  const std::vector<FittedStep>& steps() const { return steps_; }
  const std::vector<std::string>& feature_names() const { return features_; }
  // The raw columns transform() reads, with their training types, in training order.
  // Columns dropped before use are not needed; other columns of the input are ignored.
  const std::vector<InputColumn>& input_schema() const { return schema_; }

  // Raw rows to features. Numeric columns may arrive as any numeric type. Throws
  // archml::Error naming missing columns, or row and column of an unseen category under
  // unseen: error, or of a value that is not finite (see feature_matrix.h): rows count
  // from 1 in `table`. Blocks of rows run on up to `threads` threads (0 = every core); the
  // features never depend on it.
  FeatureMatrix transform(const data::Table& table, unsigned threads = 0) const;
  // The same features for rows [begin, end) of `table`, each written where
  // destination(row) points (a row of feature_names().size() floats), or skipped when it
  // gives nullptr: scatters rows into several matrices without an intermediate copy.
  // destination may be called concurrently.
  void transform_into(const data::Table& table, std::size_t begin, std::size_t end,
                      const std::function<float*(std::size_t row)>& destination,
                      unsigned threads = 0) const;
  // The serving path: rows of text fields named by `columns` (missing tokens as in CSV:
  // "", NA, NaN, null, ...) are read with input_schema() types, then transform()ed.
  FeatureMatrix transform_rows(const std::vector<std::string>& columns,
                               const std::vector<std::vector<std::string_view>>& rows,
                               unsigned threads = 0) const;

  nlohmann::json to_json() const;
  static FittedRecipe from_json(const nlohmann::json& json);

 private:
  void refuse_non_finite(const Block& block, const std::vector<const double*>& sources,
                         const std::function<float*(std::size_t row)>& destination) const;

  std::string target_;
  std::vector<InputColumn> columns_;
  std::vector<FittedStep> steps_;
  std::vector<std::string> features_;
  std::vector<std::size_t> feature_slots_;
  // Features that may be non-finite: all but one_hot's 0/1 indicators.
  std::vector<std::size_t> checked_features_;
  std::vector<InputColumn> schema_;
  std::shared_ptr<const Plan> plan_;
};

}  // namespace archml::features
