#include "archml/model/predictor.h"

#include <algorithm>

#include "archml/core/error.h"
#include "archml/core/parallel.h"

namespace archml::model {

Predictor::Predictor(Bundle bundle) : bundle_(std::make_shared<const Bundle>(std::move(bundle))) {}

Predictor Predictor::load(const std::filesystem::path& path) {
  return Predictor(Bundle::load(path));
}

Predictions Predictor::predict(const data::Table& rows, unsigned threads) const {
  return predict_features(bundle_->recipe().transform(rows, threads));
}

Predictions Predictor::predict_rows(const std::vector<std::string>& columns,
                                    const std::vector<std::vector<std::string_view>>& rows,
                                    unsigned threads) const {
  return predict_features(bundle_->recipe().transform_rows(columns, rows, threads));
}

Predictions Predictor::predict_features(const features::FeatureMatrix& features) const {
  Predictions out;
  out.rows = features.rows();
  if (features.cols() != bundle_->recipe().feature_names().size())
    throw_invalid("predict: " + std::to_string(features.cols()) + " features given, the model " +
                  "expects " + std::to_string(bundle_->recipe().feature_names().size()));
  Prediction raw = bundle_->booster().predict(
      DenseView{features.data(), features.rows(), features.cols()}, PredictionType::kValue);
  out.scores.assign(raw.values.begin(), raw.values.end());
  label(out);
  return out;
}

Predictions Predictor::predict_features(const features::FeatureMatrix& features,
                                        const TreeEnsemble& ensemble, unsigned threads) const {
  if (features.cols() != ensemble.num_features())
    throw_invalid("predict: " + std::to_string(features.cols()) + " features given, the model " +
                  "expects " + std::to_string(ensemble.num_features()));
  // Blocks big enough that a task outweighs handing it out, small enough to balance.
  constexpr std::size_t kBlockRows = 16384;
  const std::size_t width = ensemble.width();
  std::vector<float> scores(features.rows() * width);
  core::parallel_for((features.rows() + kBlockRows - 1) / kBlockRows,
                     [&](std::size_t block) {
                       const std::size_t begin = block * kBlockRows;
                       const std::size_t count = std::min(kBlockRows, features.rows() - begin);
                       ensemble.predict(features.row(begin), count, scores.data() + begin * width);
                     },
                     threads);
  Predictions out;
  out.rows = features.rows();
  out.scores.assign(scores.begin(), scores.end());
  label(out);
  return out;
}

Predictions Predictor::predict_matrix(const DMatrix& rows) const {
  Prediction raw = bundle_->booster().predict(rows, PredictionType::kValue);
  Predictions out;
  out.rows = raw.shape.empty() ? 0 : raw.shape[0];
  out.scores.assign(raw.values.begin(), raw.values.end());
  label(out);
  return out;
}

Predictions Predictor::from_scores(const std::vector<float>& scores, std::size_t rows) const {
  Predictions out;
  out.rows = rows;
  out.scores.assign(scores.begin(), scores.end());
  label(out);
  return out;
}

void Predictor::label(Predictions& out) const {
  const auto& metadata = bundle_->metadata();
  const TargetKind kind = metadata.target.kind;
  if (kind == TargetKind::kMulticlass) {
    out.width = metadata.target.classes.size();
    if (out.scores.size() != out.rows * out.width)
      throw Error(ErrorKind::kInternal, "predict: the model gave " +
                                            std::to_string(out.scores.size()) + " values for " +
                                            std::to_string(out.rows) + " rows of " +
                                            std::to_string(out.width) + " classes");
    out.labels.resize(out.rows);
    for (std::size_t r = 0; r < out.rows; ++r) {
      const double* row = out.scores.data() + r * out.width;
      out.labels[r] = static_cast<std::int32_t>(std::max_element(row, row + out.width) - row);
    }
  } else if (kind == TargetKind::kBinary) {
    out.labels.resize(out.rows);
    for (std::size_t r = 0; r < out.rows; ++r)
      out.labels[r] = out.scores[r] >= metadata.cutoff ? 1 : 0;
  }
}

}  // namespace archml::model
