// RAII owner of an XGBoost Booster: one gradient-boosted model, in training or loaded
// from its JSON form. Training steps (update, evaluate) are driven by trainer.h; this
// class keeps the C API's rules in one place: parameters as strings, results copied out
// of XGBoost's thread-local buffers before the next call, every failure an archml::Error.
//
// Predictions use the trees up to the best round when the model records one (early
// stopping sets the best_iteration attribute, as XGBoost's Python package does), so a
// model saved after early stopping predicts like SageMaker's, which serves the best model.
// Prediction is safe from several threads on one booster; training steps are not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archml/model/dense_view.h"
#include "archml/model/dmatrix.h"

namespace archml::model {

// A per-round metric named as SageMaker names them: "<set>:<metric>", e.g.
// "validation:aucpr", "train:logloss", "validation:error@0.7".
struct Metric {
  std::string name;
  double value = 0;
};

// Parses XGBoost's evaluation line "[3]\ttrain-auc:0.91\tvalidation-aucpr:0.5" into
// {"train:auc", 0.91}, {"validation:aucpr", 0.5}. Set names must not contain '-'.
// Throws archml::Error (internal) on a line it cannot read.
std::vector<Metric> parse_evaluation(std::string_view line);

// A metric value as XGBoost reports it: its evaluation line prints values in fixed
// notation with 17 decimals, so a value under 0.1 keeps fewer significant digits than a
// double has. Metrics archml computes itself go through this to be the numbers XGBoost
// (and Python's evals_result, which parses the same line) would give.
double as_xgboost_reports(double value);

struct EvalSet {
  std::string name;  // "train", "validation"
  const DMatrix* matrix = nullptr;
};

enum class PredictionType {
  kValue = 0,          // probabilities for classification, the response for regression
  kMargin = 1,         // raw scores before the link function
  kContributions = 2,  // SHAP values per feature plus a final bias column (TreeSHAP);
                       // from dense rows this copies them into a DMatrix first
};

struct Prediction {
  std::vector<float> values;       // row-major
  std::vector<std::size_t> shape;  // [rows], [rows, classes], [rows, cols + 1] or
                                   // [rows, classes, cols + 1]
};

// How much each feature is used by the trees (XGBoost's five importance types).
// Features no split uses have zeros.
struct FeatureImportance {
  std::string feature;
  double weight = 0;  // splits on the feature
  double gain = 0;    // mean loss reduction of those splits
  double cover = 0;   // mean hessian sum of the rows those splits route
  double total_gain = 0;
  double total_cover = 0;
};

class Booster {
 public:
  // `cache`: matrices that training will update on or evaluate, so XGBoost keeps their
  // predictions between rounds instead of recomputing every tree.
  explicit Booster(std::span<const DMatrix* const> cache = {});
  // Loads a model saved by save_json (or by XGBoost in its JSON format).
  static Booster load_json(std::string_view model_json);

  Booster(Booster&& other) noexcept;
  Booster& operator=(Booster&& other) noexcept;
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;
  ~Booster();

  void* handle() const { return handle_; }  // XGBoost's BoosterHandle

  void set_param(const std::string& name, const std::string& value);
  void set_params(std::span<const std::pair<std::string, std::string>> params);

  // One boosting round (iteration counts from 0) on `train`, which must carry labels.
  void update(int iteration, const DMatrix& train);
  // One boosting round on gradients the caller computed from training_margins (XGBoost's
  // custom-objective path; the model's objective still names the link and metrics).
  // One gradient and one hessian per training row.
  void boost(const DMatrix& train, std::span<float> gradients, std::span<float> hessians);
  // The margins of every round so far on `train` (base margin plus each tree's value),
  // from XGBoost's prediction cache, as UpdateOneIter computes them before a round. The
  // span points into XGBoost's thread-local buffer: valid until this thread's next call.
  std::span<const float> training_margins(const DMatrix& train) const;
  // The booster's eval_metric values on each set, in set order then metric order.
  std::vector<Metric> evaluate(int iteration, std::span<const EvalSet> sets);

  // iteration_end = 0 means up to the best round if recorded, else every round; n > 0
  // uses the first n rounds. Throws archml::Error when the columns do not match.
  Prediction predict(const DenseView& rows, PredictionType type = PredictionType::kValue,
                     int iteration_end = 0) const;
  Prediction predict(const DMatrix& rows, PredictionType type = PredictionType::kValue,
                     int iteration_end = 0) const;

  // The model in XGBoost's JSON format (trees, parameters, feature names, attributes),
  // loadable by XGBoost's Python and R packages.
  std::string save_json() const;
  // XGBoost's configuration of the booster (XGBoosterSaveJsonConfig): every parameter as
  // XGBoost holds it, numbers printed to round-trip.
  std::string save_config() const;
  // The same in XGBoost's UBJSON (binary JSON) form: smaller and faster to write.
  std::vector<std::uint8_t> save_ubjson() const;
  // Rounds [begin, end) as a model of their own.
  Booster slice(int begin, int end) const;

  void set_feature_names(std::span<const std::string> names);
  std::vector<std::string> feature_names() const;
  std::size_t num_features() const;
  int boosted_rounds() const;

  // Every feature, in column order.
  std::vector<FeatureImportance> feature_importances() const;

  std::optional<std::string> attribute(const std::string& key) const;
  void set_attribute(const std::string& key, const std::string& value);
  // The round (from 0) and score that early stopping kept.
  std::optional<int> best_iteration() const;
  std::optional<double> best_score() const;

 private:
  struct Empty {};
  explicit Booster(Empty) {}
  Prediction predict_impl(const DenseView* dense, const DMatrix* matrix, PredictionType type,
                          int iteration_end) const;

  void* handle_ = nullptr;
};

}  // namespace archml::model
