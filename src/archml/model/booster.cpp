#include "archml/model/booster.h"

#include <xgboost/c_api.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

#include "archml/core/error.h"
#include "archml/model/xgb_error.h"

namespace archml::model {
namespace {

[[noreturn]] void throw_internal(const std::string& message) {
  throw Error(ErrorKind::kInternal, message);
}

double parse_metric_value(std::string_view text) {
  // XGBoost prints with max_digits10 through an ostream, so nan and inf are spelled
  // out; strtod reads those, from_chars(double) in libstdc++ reads them too but not
  // every standard library agrees, hence strtod on a terminated copy.
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end == copy.c_str() || *end != '\0') throw_internal("unreadable metric value '" + copy + "'");
  return value;
}

}  // namespace

std::vector<Metric> parse_evaluation(std::string_view line) {
  std::vector<Metric> metrics;
  std::size_t start = line.find('\t');
  if (line.empty() || line.front() != '[') {
    throw_internal("unexpected XGBoost evaluation line '" + std::string(line) + "'");
  }
  while (start != std::string_view::npos) {
    const std::size_t end = line.find('\t', start + 1);
    std::string_view item = line.substr(
        start + 1, end == std::string_view::npos ? std::string_view::npos : end - start - 1);
    start = end;
    while (!item.empty() && (item.back() == '\n' || item.back() == '\r')) item.remove_suffix(1);
    if (item.empty()) continue;
    const std::size_t dash = item.find('-');
    const std::size_t colon = item.rfind(':');
    if (dash == std::string_view::npos || colon == std::string_view::npos || colon < dash) {
      throw_internal("unexpected XGBoost evaluation item '" + std::string(item) + "'");
    }
    metrics.push_back({std::string(item.substr(0, dash)) + ":" +
                           std::string(item.substr(dash + 1, colon - dash - 1)),
                       parse_metric_value(item.substr(colon + 1))});
  }
  return metrics;
}

double as_xgboost_reports(double value) {
  if (!std::isfinite(value)) return value;
  std::array<char, 64> text{};
  std::snprintf(text.data(), text.size(), "%.17f", value);
  return parse_metric_value(text.data());
}

Booster::Booster(std::span<const DMatrix* const> cache) {
  std::vector<DMatrixHandle> handles;
  for (const DMatrix* matrix : cache) handles.push_back(matrix->handle());
  check_xgb(XGBoosterCreate(handles.data(), handles.size(), &handle_), "create a booster",
            ErrorKind::kInternal);
}

Booster Booster::load_json(std::string_view model_json) {
  Booster booster{Empty{}};
  check_xgb(XGBoosterCreate(nullptr, 0, &booster.handle_), "create a booster",
            ErrorKind::kInternal);
  check_xgb(XGBoosterLoadModelFromBuffer(booster.handle_, model_json.data(), model_json.size()),
            "load the model (is it an XGBoost JSON model?)");
  return booster;
}

Booster::Booster(Booster&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}

Booster& Booster::operator=(Booster&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) XGBoosterFree(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
  }
  return *this;
}

Booster::~Booster() {
  if (handle_ != nullptr) XGBoosterFree(handle_);
}

void Booster::set_param(const std::string& name, const std::string& value) {
  check_xgb(XGBoosterSetParam(handle_, name.c_str(), value.c_str()),
            "set parameter " + name + "=" + value);
}

void Booster::set_params(std::span<const std::pair<std::string, std::string>> params) {
  for (const auto& [name, value] : params) set_param(name, value);
}

void Booster::update(int iteration, const DMatrix& train) {
  check_xgb(XGBoosterUpdateOneIter(handle_, iteration, train.handle()),
            "train boosting round " + std::to_string(iteration));
}

void Booster::boost(const DMatrix& train, std::span<float> gradients, std::span<float> hessians) {
  if (gradients.size() != train.rows() || hessians.size() != train.rows())
    throw_internal("boost: " + std::to_string(gradients.size()) + " gradients and " +
                   std::to_string(hessians.size()) + " hessians for " +
                   std::to_string(train.rows()) + " rows");
  check_xgb(XGBoosterBoostOneIter(handle_, train.handle(), gradients.data(), hessians.data(),
                                  gradients.size()),
            "train a boosting round");
}

std::span<const float> Booster::training_margins(const DMatrix& train) const {
  // iteration_end 0 with training set: every round, the path that keeps and extends the
  // matrix's cached margins (a range would bypass the cache).
  const std::string config =
      std::string(R"({"type": 1, "training": true, "iteration_begin": 0, )") +
      R"("iteration_end": 0, "strict_shape": false, "cache_id": 0, )" + R"("missing": )" +
      kMissingNaN + "}";
  const bst_ulong* shape = nullptr;
  bst_ulong dimensions = 0;
  const float* values = nullptr;
  check_xgb(XGBoosterPredictFromDMatrix(handle_, train.handle(), config.c_str(), &shape,
                                        &dimensions, &values),
            "predict the training margins");
  std::size_t size = 1;
  for (bst_ulong d = 0; d < dimensions; ++d) size *= shape[d];
  return {values, size};
}

std::vector<Metric> Booster::evaluate(int iteration, std::span<const EvalSet> sets) {
  if (sets.empty()) return {};
  std::vector<DMatrixHandle> handles;
  std::vector<const char*> names;
  for (const EvalSet& set : sets) {
    if (set.name.find('-') != std::string::npos) {
      throw_internal("evaluation set name '" + set.name + "' must not contain '-'");
    }
    handles.push_back(set.matrix->handle());
    names.push_back(set.name.c_str());
  }
  const char* line = nullptr;
  check_xgb(
      XGBoosterEvalOneIter(handle_, iteration, handles.data(), names.data(), sets.size(), &line),
      "evaluate round " + std::to_string(iteration));
  return parse_evaluation(line);
}

Prediction Booster::predict(const DenseView& rows, PredictionType type, int iteration_end) const {
  return predict_impl(&rows, nullptr, type, iteration_end);
}

Prediction Booster::predict(const DMatrix& rows, PredictionType type, int iteration_end) const {
  return predict_impl(nullptr, &rows, type, iteration_end);
}

Prediction Booster::predict_impl(const DenseView* dense, const DMatrix* matrix, PredictionType type,
                                 int iteration_end) const {
  if (iteration_end < 0) throw_invalid("iteration_end must be >= 0");
  if (iteration_end == 0) {
    if (const auto best = best_iteration()) iteration_end = *best + 1;
  }
  const std::string config = R"({"type": )" + std::to_string(static_cast<int>(type)) +
                             R"(, "training": false, "iteration_begin": 0, "iteration_end": )" +
                             std::to_string(iteration_end) +
                             R"(, "strict_shape": false, "cache_id": 0, "missing": )" +
                             kMissingNaN + "}";
  const bst_ulong* shape = nullptr;
  bst_ulong dimensions = 0;
  const float* values = nullptr;
  if (dense != nullptr) {
    if (dense->rows == 0) return Prediction{{}, {0}};
    const std::size_t expected = num_features();
    if (expected != 0 && dense->cols != expected) {
      throw_invalid("the model was trained on " + std::to_string(expected) +
                    " features but the rows to predict have " + std::to_string(dense->cols));
    }
    if (type == PredictionType::kContributions) {
      // XGBoost 1.7's in-place prediction has no SHAP path; contributions go through a
      // DMatrix copy, which is small next to the cost of computing them.
      const DMatrix copy = DMatrix::from_dense(*dense, {}, {});
      return predict_impl(nullptr, &copy, type, iteration_end);
    }
    const std::string data = array_interface(*dense);
    check_xgb(XGBoosterPredictFromDense(handle_, data.c_str(), config.c_str(), nullptr, &shape,
                                        &dimensions, &values),
              "predict");
  } else {
    check_xgb(XGBoosterPredictFromDMatrix(handle_, matrix->handle(), config.c_str(), &shape,
                                          &dimensions, &values),
              "predict");
  }
  Prediction prediction;
  std::size_t size = 1;
  for (bst_ulong d = 0; d < dimensions; ++d) {
    prediction.shape.push_back(shape[d]);
    size *= shape[d];
  }
  prediction.values.assign(values, values + size);
  return prediction;
}

std::string Booster::save_json() const {
  bst_ulong length = 0;
  const char* bytes = nullptr;
  check_xgb(XGBoosterSaveModelToBuffer(handle_, R"({"format": "json"})", &length, &bytes),
            "save the model", ErrorKind::kInternal);
  return std::string(bytes, length);
}

std::string Booster::save_config() const {
  bst_ulong length = 0;
  const char* text = nullptr;
  check_xgb(XGBoosterSaveJsonConfig(handle_, &length, &text), "read the booster's configuration",
            ErrorKind::kInternal);
  return std::string(text, length);
}

std::vector<std::uint8_t> Booster::save_ubjson() const {
  bst_ulong length = 0;
  const char* bytes = nullptr;
  check_xgb(XGBoosterSaveModelToBuffer(handle_, R"({"format": "ubj"})", &length, &bytes),
            "save the model", ErrorKind::kInternal);
  const auto* begin = reinterpret_cast<const std::uint8_t*>(bytes);
  return std::vector<std::uint8_t>(begin, begin + length);
}

Booster Booster::slice(int begin, int end) const {
  Booster sliced{Empty{}};
  check_xgb(
      XGBoosterSlice(handle_, begin, end, 1, &sliced.handle_),
      "take rounds " + std::to_string(begin) + " to " + std::to_string(end) + " of the model");
  return sliced;
}

void Booster::set_feature_names(std::span<const std::string> names) {
  std::vector<const char*> pointers;
  for (const std::string& name : names) pointers.push_back(name.c_str());
  check_xgb(XGBoosterSetStrFeatureInfo(handle_, "feature_name", pointers.data(), pointers.size()),
            "set the model's feature names");
}

std::vector<std::string> Booster::feature_names() const {
  bst_ulong count = 0;
  const char** names = nullptr;
  check_xgb(XGBoosterGetStrFeatureInfo(handle_, "feature_name", &count, &names),
            "read the model's feature names", ErrorKind::kInternal);
  return std::vector<std::string>(names, names + count);
}

std::size_t Booster::num_features() const {
  bst_ulong count = 0;
  check_xgb(XGBoosterGetNumFeature(handle_, &count), "count the model's features",
            ErrorKind::kInternal);
  return count;
}

int Booster::boosted_rounds() const {
  int rounds = 0;
  check_xgb(XGBoosterBoostedRounds(handle_, &rounds), "count the model's rounds",
            ErrorKind::kInternal);
  return rounds;
}

std::vector<FeatureImportance> Booster::feature_importances() const {
  std::vector<FeatureImportance> importances;
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::string> names = feature_names();
  if (names.empty()) {
    // XGBoost's own naming for columns without names.
    for (std::size_t i = 0; i < num_features(); ++i) names.push_back("f" + std::to_string(i));
  }
  for (const std::string& name : names) {
    index.emplace(name, importances.size());
    importances.push_back({name});
  }
  constexpr std::array<std::pair<const char*, double FeatureImportance::*>, 5> kTypes = {{
      {"weight", &FeatureImportance::weight},
      {"gain", &FeatureImportance::gain},
      {"cover", &FeatureImportance::cover},
      {"total_gain", &FeatureImportance::total_gain},
      {"total_cover", &FeatureImportance::total_cover},
  }};
  for (const auto& [type, member] : kTypes) {
    const std::string config = std::string(R"({"importance_type": ")") + type + "\"}";
    bst_ulong count = 0;
    const char** features = nullptr;
    bst_ulong dimensions = 0;
    const bst_ulong* shape = nullptr;
    const float* scores = nullptr;
    check_xgb(XGBoosterFeatureScore(handle_, config.c_str(), &count, &features, &dimensions, &shape,
                                    &scores),
              std::string("compute ") + type + " feature importances", ErrorKind::kInternal);
    // Only features used by some split come back; tree models give one score each.
    for (bst_ulong i = 0; i < count; ++i) {
      const auto found = index.find(features[i]);
      if (found == index.end()) continue;
      importances[found->second].*member = scores[i];
    }
  }
  return importances;
}

std::optional<std::string> Booster::attribute(const std::string& key) const {
  const char* value = nullptr;
  int found = 0;
  check_xgb(XGBoosterGetAttr(handle_, key.c_str(), &value, &found), "read model attribute " + key,
            ErrorKind::kInternal);
  if (found == 0 || value == nullptr) return std::nullopt;
  return std::string(value);
}

void Booster::set_attribute(const std::string& key, const std::string& value) {
  check_xgb(XGBoosterSetAttr(handle_, key.c_str(), value.c_str()), "set model attribute " + key,
            ErrorKind::kInternal);
}

std::optional<int> Booster::best_iteration() const {
  const auto text = attribute("best_iteration");
  if (!text) return std::nullopt;
  int value = 0;
  const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size() || value < 0) {
    throw_invalid("the model's best_iteration attribute '" + *text + "' is not a round number");
  }
  return value;
}

std::optional<double> Booster::best_score() const {
  const auto text = attribute("best_score");
  if (!text) return std::nullopt;
  return parse_metric_value(*text);
}

}  // namespace archml::model
