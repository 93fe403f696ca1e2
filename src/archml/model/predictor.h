// Scores raw rows with a bundle: FittedRecipe::transform, then the booster's in-place
// dense prediction, then labels at the bundle's cutoff. predict() may be called from
// several threads at once (the HTTP server does): the recipe and the booster are only
// read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "archml/data/table.h"
#include "archml/features/feature_matrix.h"
#include "archml/model/bundle.h"
#include "archml/model/dmatrix.h"
#include "archml/model/tree_ensemble.h"

namespace archml::model {

struct Predictions {
  std::size_t rows = 0;
  // Scores per row: 1 for binary (the positive class's probability) and regression (the
  // predicted value), the class count for multi-class (probabilities, row-major).
  std::size_t width = 1;
  std::vector<double> scores;
  // Class index per row (binary: 1 when score >= cutoff; multi-class: most probable);
  // empty for regression. Names via Predictor::classes().
  std::vector<std::int32_t> labels;
};

class Predictor {
 public:
  explicit Predictor(Bundle bundle);
  // Bundle::load(path), see bundle.h for the paths accepted.
  static Predictor load(const std::filesystem::path& path);

  const Bundle& bundle() const { return *bundle_; }
  TargetKind kind() const { return bundle_->metadata().target.kind; }
  const std::vector<std::string>& classes() const { return bundle_->metadata().target.classes; }
  double cutoff() const { return bundle_->metadata().cutoff; }

  // Raw rows: the columns of the bundle's input schema (others are ignored). Throws
  // archml::Error naming missing columns or unusable values. The recipe's transform runs
  // on up to `threads` threads (0 = every core).
  Predictions predict(const data::Table& rows, unsigned threads = 0) const;
  // The serving path: text fields by column name (see FittedRecipe::transform_rows).
  Predictions predict_rows(const std::vector<std::string>& columns,
                           const std::vector<std::vector<std::string_view>>& rows,
                           unsigned threads = 0) const;
  // Rows already transformed by the bundle's recipe.
  Predictions predict_features(const features::FeatureMatrix& features) const;
  // The same scores, bit for bit, from `ensemble` (built from this bundle's booster) in
  // parallel blocks of rows on up to `threads` threads (0 = every core):
  // without XGBoost's per-call set-up, for scoring whole parts at once.
  Predictions predict_features(const features::FeatureMatrix& features,
                               const TreeEnsemble& ensemble, unsigned threads = 0) const;
  // Rows already in an XGBoost matrix. For a matrix the booster evaluated while it
  // trained, XGBoost answers from its prediction cache instead of walking the trees.
  Predictions predict_matrix(const DMatrix& rows) const;
  // Scores this bundle's booster gave `rows` rows elsewhere (TrainedModel::validation_scores),
  // with their labels.
  Predictions from_scores(const std::vector<float>& scores, std::size_t rows) const;

 private:
  // Checks the width and fills in labels from out.scores.
  void label(Predictions& out) const;

  std::shared_ptr<const Bundle> bundle_;
};

}  // namespace archml::model
