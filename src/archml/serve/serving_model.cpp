#include "archml/serve/serving_model.h"

#include <algorithm>
#include <cstdio>

#include "archml/core/content_hash.h"
#include "archml/core/error.h"

namespace archml::serve {

ServingModel::ServingModel(model::Predictor predictor, std::filesystem::path directory)
    : predictor_(std::move(predictor)), directory_(std::move(directory)) {}

std::shared_ptr<const ServingModel> ServingModel::load(const std::filesystem::path& path,
                                                       unsigned threads) {
  const std::filesystem::path directory = model::Bundle::locate(path);
  std::shared_ptr<ServingModel> serving(
      new ServingModel(model::Predictor::load(directory), directory));
  serving->threads_ = threads;
  const model::Bundle& bundle = serving->predictor_.bundle();
  const std::string model_json = bundle.booster().save_json();
  serving->ensemble_ =
      model::TreeEnsemble::from_model_json(model_json);  // rounds as Booster::predict
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(core::xxh64(model_json)));
  serving->version_ = hash;
  serving->name_ = std::filesystem::absolute(directory).lexically_normal().filename().string();
  if (serving->name_ == "bundle" || serving->name_.empty())
    serving->name_ =
        std::filesystem::absolute(directory).lexically_normal().parent_path().filename().string();
  const features::FittedRecipe& recipe = bundle.recipe();
  const nlohmann::json recipe_json = recipe.to_json();  // kept alive for the loop
  for (const auto& column : recipe_json.at("columns"))
    serving->layout_.training_columns.push_back(column.at("name").get<std::string>());
  for (const auto& column : recipe.input_schema())
    serving->layout_.schema_columns.push_back(column.name);
  serving->layout_.feature_names = recipe.feature_names();
  if (serving->ensemble_ && serving->ensemble_->num_features() != serving->feature_count())
    serving->ensemble_.reset();
  return serving;
}

model::Predictions ServingModel::score_text(
    const std::vector<std::string>& columns,
    const std::vector<std::vector<std::string_view>>& rows) const {
  const features::FeatureMatrix features =
      predictor_.bundle().recipe().transform_rows(columns, rows, threads_);
  return score_matrix(features.data(), features.rows());
}

model::Predictions ServingModel::score_features(const std::vector<float>& values,
                                                std::size_t rows) const {
  if (values.size() != rows * feature_count())
    throw Error(ErrorKind::kInternal, "score_features: " + std::to_string(values.size()) +
                                          " values for " + std::to_string(rows) + " rows");
  return score_matrix(values.data(), rows);
}

model::Predictions ServingModel::score_matrix(const float* values, std::size_t rows) const {
  if (!ensemble_) {
    // Predictor::predict_features wants a FeatureMatrix; copying is fine on this slow path.
    features::FeatureMatrix matrix(rows, predictor_.bundle().recipe().feature_names());
    std::copy(values, values + rows * feature_count(), matrix.data());
    return predictor_.predict_features(matrix);
  }
  model::Predictions out;
  out.rows = rows;
  out.width = ensemble_->width();
  std::vector<float> scores(rows * out.width);
  if (rows > 0) ensemble_->predict(values, rows, scores.data());
  out.scores.assign(scores.begin(), scores.end());
  // Labels as Predictor::predict_features gives them.
  const model::TargetKind kind = predictor_.kind();
  if (kind == model::TargetKind::kBinary) {
    out.labels.resize(rows);
    for (std::size_t r = 0; r < rows; ++r)
      out.labels[r] = out.scores[r] >= predictor_.cutoff() ? 1 : 0;
  } else if (kind == model::TargetKind::kMulticlass) {
    out.labels.resize(rows);
    for (std::size_t r = 0; r < rows; ++r) {
      const double* row = out.scores.data() + r * out.width;
      out.labels[r] = static_cast<std::int32_t>(std::max_element(row, row + out.width) - row);
    }
  }
  return out;
}

}  // namespace archml::serve
