#include "archml/model/predictor.h"

#include <algorithm>

#include "archml/core/error.h"

namespace archml::model {

Predictor::Predictor(Bundle bundle) : bundle_(std::make_shared<const Bundle>(std::move(bundle))) {}

Predictor Predictor::load(const std::filesystem::path& path) {
  return Predictor(Bundle::load(path));
}

Predictions Predictor::predict(const data::Table& rows) const {
  return predict_features(bundle_->recipe().transform(rows));
}

Predictions Predictor::predict_rows(const std::vector<std::string>& columns,
                                    const std::vector<std::vector<std::string_view>>& rows) const {
  return predict_features(bundle_->recipe().transform_rows(columns, rows));
}

Predictions Predictor::predict_features(const features::FeatureMatrix& features) const {
  const auto& metadata = bundle_->metadata();
  Predictions out;
  out.rows = features.rows();
  if (features.cols() != bundle_->recipe().feature_names().size())
    throw_invalid("predict: " + std::to_string(features.cols()) + " features given, the model " +
                  "expects " + std::to_string(bundle_->recipe().feature_names().size()));
  Prediction raw = bundle_->booster().predict(
      DenseView{features.data(), features.rows(), features.cols()}, PredictionType::kValue);
  out.scores.assign(raw.values.begin(), raw.values.end());
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
  return out;
}

}  // namespace archml::model
