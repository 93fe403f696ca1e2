// The model an endpoint serves: a loaded bundle, its trees compiled for the native
// evaluator (model/tree_ensemble.h) when it supports them, and the column layouts a
// request's rows may come in. Scores equal model::Predictor's (`archml predict`) bit for
// bit: the same fitted recipe makes the features, the same float32 tree arithmetic scores
// them, the same cutoff labels them. Immutable; shared by the request threads, replaced
// as a whole on hot swap.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archml/model/predictor.h"
#include "archml/model/tree_ensemble.h"

namespace archml::serve {

// The column layouts a request's rows may come in (see request_decoding.h).
struct RowLayout {
  // Raw CSV rows carry every training column but the target, in training order...
  std::vector<std::string> training_columns;
  // ...or only the columns the recipe reads (input_schema), in that order.
  std::vector<std::string> schema_columns;
  // Prepared rows carry the recipe's features.
  std::vector<std::string> feature_names;
};

class ServingModel {
 public:
  // Throws archml::Error as Bundle::load does.
  // A request's recipe transform runs on up to `threads` threads (0 = every core).
  static std::shared_ptr<const ServingModel> load(const std::filesystem::path& path,
                                                  unsigned threads = 0);

  const model::Predictor& predictor() const { return predictor_; }
  const std::string& name() const { return name_; }        // the bundle's directory name
  const std::string& version() const { return version_; }  // content hash of model.json
  const std::filesystem::path& directory() const { return directory_; }
  bool native() const { return ensemble_.has_value(); }

  const RowLayout& layout() const { return layout_; }
  const std::vector<std::string>& training_columns() const { return layout_.training_columns; }
  const std::vector<std::string>& schema_columns() const { return layout_.schema_columns; }
  std::size_t feature_count() const { return layout_.feature_names.size(); }

  // Raw text fields named by `columns` (see FittedRecipe::transform_rows). Throws
  // archml::Error (invalid input) naming row and column of a value it cannot use.
  model::Predictions score_text(const std::vector<std::string>& columns,
                                const std::vector<std::vector<std::string_view>>& rows) const;
  // Rows already prepared: rows x feature_count() floats, NaN for missing.
  model::Predictions score_features(const std::vector<float>& values, std::size_t rows) const;

 private:
  ServingModel(model::Predictor predictor, std::filesystem::path directory);
  model::Predictions score_matrix(const float* values, std::size_t rows) const;

  model::Predictor predictor_;
  std::optional<model::TreeEnsemble> ensemble_;
  std::filesystem::path directory_;
  std::string name_;
  std::string version_;
  RowLayout layout_;
  unsigned threads_ = 0;
};

}  // namespace archml::serve
