// The hyperparameters of a training run, named and defaulted as SageMaker's built-in
// XGBoost algorithm names them (docs/hyperparameters.md lists each: default, range,
// meaning). Values arrive as NAME=VALUE strings (the CLI's --hp, the tuner) or JSON;
// every value is range-checked on arrival, and unknown names are rejected with a
// "did you mean" hint. What depends on the target (objective, num_class, default
// eval_metric, base_score, scale_pos_weight=auto) is settled by resolve() against a
// summary of the training labels, which also yields XGBoost's parameter pairs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archml::model {

inline constexpr std::string_view kBinaryLogistic = "binary:logistic";
inline constexpr std::string_view kMultiSoftprob = "multi:softprob";
inline constexpr std::string_view kRegSquaredError = "reg:squarederror";

struct Hyperparameters {
  int num_round = 100;  // SageMaker requires it; 100 is archml's default
  double eta = 0.3;
  int max_depth = 6;
  double subsample = 1;
  double colsample_bytree = 1;
  double colsample_bylevel = 1;
  double colsample_bynode = 1;
  double gamma = 0;
  double min_child_weight = 1;
  double lambda = 1;
  double alpha = 0;
  double scale_pos_weight = 1;
  bool scale_pos_weight_auto = false;        // scale_pos_weight=auto: negatives / positives
  std::optional<double> max_delta_step;      // unset: chosen by resolve()
  std::optional<std::string> objective;      // nullopt: inferred from the target
  std::optional<int> num_class;              // nullopt: max label + 1 (multi:softprob)
  std::vector<std::string> eval_metric;      // empty: the objective's default metric
  std::optional<int> early_stopping_rounds;  // nullopt: no early stopping
  std::string tree_method = "hist";
  int max_bin = 256;
  std::optional<double> base_score;  // nullopt: the training prior (see resolve)
  std::int64_t seed = 0;
  int nthread = 0;  // 0: the job's thread count (--threads / ARCHML_THREADS), else every core

  // Sets one hyperparameter from its text form; throws archml::Error (invalid input)
  // naming the hyperparameter, the accepted range and a close match for unknown names.
  void set(std::string_view name, std::string_view value);
  // Applies "NAME=VALUE" assignments in order onto the defaults.
  static Hyperparameters parse(const std::vector<std::string>& assignments);

  // Every hyperparameter; null for the ones left to resolve(). from_json accepts the
  // same object (numbers or strings; eval_metric as an array or a comma list) and
  // validates it as set() does; absent or null members keep their defaults.
  nlohmann::json to_json() const;
  static Hyperparameters from_json(const nlohmann::json& json);
};

// What a hyperparameter accepts, for documentation, CLI help and tuner search spaces.
struct HyperparameterSpec {
  std::string_view name;
  std::string_view default_value;
  std::string_view range;  // human-readable, as in error messages: "(0, 1]"
  std::string_view meaning;
};
std::span<const HyperparameterSpec> hyperparameter_specs();

enum class TargetKind { kBinary, kMulticlass, kContinuous };

// One pass over the training labels. The kind is a guess that an explicit objective
// overrides: only 0/1 is binary; non-negative integers with at most
// kMaxInferredClasses distinct values 0..k-1 are multi-class; anything else continuous.
struct TargetSummary {
  TargetKind kind = TargetKind::kContinuous;
  std::size_t rows = 0;
  double sum = 0;  // for 0/1 labels, the number of positives
  double min = 0;
  double max = 0;
  bool non_negative_integers = true;  // every label is 0, 1, 2, ...

  double mean() const { return rows == 0 ? 0.0 : sum / static_cast<double>(rows); }
};
inline constexpr int kMaxInferredClasses = 32;
TargetSummary summarize_target(std::span<const float> labels);

// The hyperparameters settled against the training target.
struct ResolvedHyperparameters {
  std::string objective;
  int num_class = 0;  // 0 unless multi:softprob
  std::vector<std::string> eval_metric;
  double base_score = 0.5;
  double scale_pos_weight = 1;
  double max_delta_step = 0;
  int nthread = 1;
  // In the order XGBoosterSetParam should receive them; eval_metric appears once per
  // metric (XGBoost appends each).
  std::vector<std::pair<std::string, std::string>> xgboost_params;
};

// base_score, unless given: binary:logistic starts from the (scale_pos_weight-weighted)
// positive rate, reg:squarederror from the mean label, as XGBoost 2 estimates them.
// XGBoost 1.7 starts every model at 0.5, and with a rare positive class the first trees
// then spend their leaves (and, under a large lambda, all of them) correcting the bias.
// max_delta_step, unless given: 1 for binary:logistic started from a prior whose minority
// rate is under 1 %, else 0 (no cap). From such a prior a leaf's Newton step is about
// 1 / prior logits (the hessian p(1-p) is tiny), so the first trees overshoot and
// validation AUC collapses; a cap of 1 is XGBoost's own advice for this case.
// Throws archml::Error when the target does not fit the objective (labels outside
// {0, 1} for binary, a single class, num_class too small, metrics of another task).
ResolvedHyperparameters resolve(const Hyperparameters& hyperparameters,
                                const TargetSummary& target);

// Whether a larger value of an XGBoost metric is better (auc, aucpr, map, ndcg, ...),
// with the same rule as XGBoost's Python early stopping.
bool metric_is_maximized(std::string_view metric);

}  // namespace archml::model
