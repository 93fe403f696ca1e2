#include "archml/model/hyperparameters.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "archml/core/error.h"
#include "archml/core/parallel.h"

namespace archml::model {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

enum class Type { kReal, kInteger, kText };

// A numeric range as XGBoost declares its parameters: bounds, each open or closed.
struct Range {
  double low = -kInf;
  bool low_open = false;
  double high = kInf;
  bool high_open = false;

  bool contains(double value) const {
    const bool above = low_open ? value > low : value >= low;
    const bool below = high_open ? value < high : value <= high;
    return above && below;
  }
};

struct Entry {
  HyperparameterSpec spec;
  Type type;
  Range range;
  // Numeric entries assign through one of these; text entries are handled by name.
  void (*assign_real)(Hyperparameters&, double) = nullptr;
  void (*assign_integer)(Hyperparameters&, std::int64_t) = nullptr;
};

constexpr Range kUnitOpenLow{0, true, 1, false};  // (0, 1]
constexpr Range kNonNegative{0, false, kInf, true};
constexpr Range kPositive{0, true, kInf, true};
constexpr double kMaxInt = std::numeric_limits<int>::max();

// The single source of truth for names, defaults and ranges; docs/hyperparameters.md
// mirrors it.
const Entry kEntries[] = {
    {{"num_round", "100", "[1, 1000000]", "Boosting rounds (trees per class)."},
     Type::kInteger,
     {1, false, 1'000'000, false},
     nullptr,
     [](Hyperparameters& h, std::int64_t v) { h.num_round = static_cast<int>(v); }},
    {{"eta", "0.3", "(0, 1]", "Shrinkage applied to each new tree's leaf weights."},
     Type::kReal,
     kUnitOpenLow,
     [](Hyperparameters& h, double v) { h.eta = v; }},
    {{"max_depth", "6", "[0, 2147483647]", "Maximum tree depth; 0 means no limit."},
     Type::kInteger,
     {0, false, kMaxInt, false},
     nullptr,
     [](Hyperparameters& h, std::int64_t v) { h.max_depth = static_cast<int>(v); }},
    {{"subsample", "1", "(0, 1]", "Fraction of training rows sampled for each tree."},
     Type::kReal,
     kUnitOpenLow,
     [](Hyperparameters& h, double v) { h.subsample = v; }},
    {{"colsample_bytree", "1", "(0, 1]", "Fraction of columns sampled for each tree."},
     Type::kReal,
     kUnitOpenLow,
     [](Hyperparameters& h, double v) { h.colsample_bytree = v; }},
    {{"colsample_bylevel", "1", "(0, 1]", "Fraction of the tree's columns sampled per depth."},
     Type::kReal,
     kUnitOpenLow,
     [](Hyperparameters& h, double v) { h.colsample_bylevel = v; }},
    {{"colsample_bynode", "1", "(0, 1]", "Fraction of the level's columns sampled per split."},
     Type::kReal,
     kUnitOpenLow,
     [](Hyperparameters& h, double v) { h.colsample_bynode = v; }},
    {{"gamma", "0", "[0, inf)", "Minimum loss reduction a split must achieve."},
     Type::kReal,
     kNonNegative,
     [](Hyperparameters& h, double v) { h.gamma = v; }},
    {{"min_child_weight", "1", "[0, inf)", "Minimum hessian sum in a child of a split."},
     Type::kReal,
     kNonNegative,
     [](Hyperparameters& h, double v) { h.min_child_weight = v; }},
    {{"lambda", "1", "[0, inf)", "L2 penalty on leaf weights."},
     Type::kReal,
     kNonNegative,
     [](Hyperparameters& h, double v) { h.lambda = v; }},
    {{"alpha", "0", "[0, inf)", "L1 penalty on leaf weights."},
     Type::kReal,
     kNonNegative,
     [](Hyperparameters& h, double v) { h.alpha = v; }},
    {{"scale_pos_weight", "1", "(0, inf) or auto",
      "Weight of positive rows (binary:logistic); auto = negatives / positives."},
     Type::kText,
     kPositive},
    {{"max_delta_step", "auto", "[0, inf)",
      "Cap on a leaf weight's step; 0 means no cap. auto: 1 for binary:logistic started "
      "from a prior under 1 %, else 0."},
     Type::kReal,
     kNonNegative,
     [](Hyperparameters& h, double v) { h.max_delta_step = v; }},
    {{"objective", "inferred from the target", "binary:logistic, multi:softprob, reg:squarederror",
      "Learning task and loss."},
     Type::kText,
     {}},
    {{"num_class", "max label + 1", "[2, 2147483647]", "Classes of multi:softprob."},
     Type::kInteger,
     {2, false, kMaxInt, false},
     nullptr,
     [](Hyperparameters& h, std::int64_t v) { h.num_class = static_cast<int>(v); }},
    {{"eval_metric", "logloss / mlogloss / rmse by objective",
      "comma list of XGBoost metrics for the objective",
      "Metrics reported each round; early stopping watches the last."},
     Type::kText,
     {}},
    {{"early_stopping_rounds", "none", "[1, 1000000]",
      "Stop when the last validation metric has not improved for this many rounds."},
     Type::kInteger,
     {1, false, 1'000'000, false},
     nullptr,
     [](Hyperparameters& h, std::int64_t v) { h.early_stopping_rounds = static_cast<int>(v); }},
    {{"tree_method", "hist", "hist, approx, exact", "Split finding algorithm."}, Type::kText, {}},
    {{"max_bin", "256", "[2, 65536]", "Histogram bins per feature (hist, approx)."},
     Type::kInteger,
     {2, false, 65536, false},
     nullptr,
     [](Hyperparameters& h, std::int64_t v) { h.max_bin = static_cast<int>(v); }},
    {{"base_score", "training prior", "(0, 1) for binary:logistic, finite otherwise",
      "Initial prediction of every row."},
     Type::kReal,
     {},
     [](Hyperparameters& h, double v) { h.base_score = v; }},
    {{"seed", "0", "[0, 9007199254740992]", "Random seed for row and column sampling."},
     Type::kInteger,
     {0, false, 9007199254740992.0, false},
     nullptr,
     [](Hyperparameters& h, std::int64_t v) { h.seed = v; }},
    {{"nthread", "0", "[0, 1024]", "Threads XGBoost uses; 0 means archml's thread count."},
     Type::kInteger,
     {0, false, 1024, false},
     nullptr,
     [](Hyperparameters& h, std::int64_t v) { h.nthread = static_cast<int>(v); }},
};

const Entry* find_entry(std::string_view name) {
  for (const Entry& entry : kEntries) {
    if (entry.spec.name == name) return &entry;
  }
  return nullptr;
}

// XGBoost's own aliases and other libraries' names for the same knobs, so that a
// user coming from xgboost.train or scikit-learn is pointed at the SageMaker name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kAliases = {{
    {"learning_rate", "eta"},
    {"reg_lambda", "lambda"},
    {"reg_alpha", "alpha"},
    {"min_split_loss", "gamma"},
    {"random_state", "seed"},
    {"n_estimators", "num_round"},
    {"num_boost_round", "num_round"},
    {"num_rounds", "num_round"},
    {"n_jobs", "nthread"},
    {"nthreads", "nthread"},
    {"num_classes", "num_class"},
    {"early_stopping", "early_stopping_rounds"},
    {"metric", "eval_metric"},
    {"colsample", "colsample_bytree"},
}};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

[[noreturn]] void throw_unknown(std::string_view name) {
  std::string message = "unknown hyperparameter '" + std::string(name) + "'";
  for (const auto& [alias, canonical] : kAliases) {
    if (alias == name) {
      throw_invalid(message + "; archml uses SageMaker's names: did you mean '" +
                    std::string(canonical) + "'?");
    }
  }
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const Entry& entry : kEntries) {
    const std::size_t distance = edit_distance(name, entry.spec.name);
    if (distance < best_distance) {
      best_distance = distance;
      best = entry.spec.name;
    }
  }
  if (best_distance <= std::max<std::size_t>(2, name.size() / 3)) {
    message += "; did you mean '" + std::string(best) + "'?";
  } else {
    message += "; see docs/hyperparameters.md for the accepted names";
  }
  throw_invalid(message);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

[[noreturn]] void throw_not_number(std::string_view name, std::string_view value,
                                   std::string_view what) {
  throw_invalid("hyperparameter " + std::string(name) + " must be " + std::string(what) +
                ", got '" + std::string(value) + "'");
}

double parse_real(std::string_view name, std::string_view value) {
  double parsed = 0;
  const char* end = value.data() + value.size();
  // from_chars rejects a leading '+', which people write in scientific notation.
  const char* begin = value.data() + (value.starts_with('+') ? 1 : 0);
  const auto [ptr, ec] = std::from_chars(begin, end, parsed);
  if (ec != std::errc() || ptr != end || !std::isfinite(parsed)) {
    throw_not_number(name, value, "a finite number");
  }
  return parsed;
}

std::int64_t parse_integer(std::string_view name, std::string_view value) {
  std::int64_t parsed = 0;
  const char* end = value.data() + value.size();
  const char* begin = value.data() + (value.starts_with('+') ? 1 : 0);
  const auto [ptr, ec] = std::from_chars(begin, end, parsed);
  if (ec == std::errc() && ptr == end) return parsed;
  // Tuners and JSON often spell integers as 6.0; accept those, but not 6.5.
  double real = 0;
  const auto [real_ptr, real_ec] = std::from_chars(begin, end, real);
  if (real_ec == std::errc() && real_ptr == end && std::isfinite(real) &&
      real == std::trunc(real) && std::abs(real) < 9.3e18) {
    return static_cast<std::int64_t>(real);
  }
  throw_not_number(name, value, "an integer");
}

void check_range(const Entry& entry, double value, std::string_view text) {
  if (!entry.range.contains(value)) {
    throw_invalid("hyperparameter " + std::string(entry.spec.name) + " must be in " +
                  std::string(entry.spec.range) + ", got " + std::string(text));
  }
}

constexpr std::array<std::string_view, 3> kObjectives = {kBinaryLogistic, kMultiSoftprob,
                                                         kRegSquaredError};
constexpr std::array<std::string_view, 3> kTreeMethods = {"hist", "approx", "exact"};

std::string join(std::span<const std::string_view> items) {
  std::string out;
  for (std::string_view item : items) out += (out.empty() ? "" : ", ") + std::string(item);
  return out;
}

// Metrics each objective may report. error@t takes a threshold in [0, 1].
bool metric_fits(std::string_view objective, std::string_view metric) {
  auto in = [&](std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), metric) != names.end();
  };
  if (objective == kBinaryLogistic) {
    if (metric.starts_with("error@")) {
      double threshold = -1;
      const std::string_view t = metric.substr(6);
      const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), threshold);
      return ec == std::errc() && ptr == t.data() + t.size() && threshold >= 0 && threshold <= 1;
    }
    return in({"auc", "aucpr", "logloss", "error", "rmse", "mae"});
  }
  if (objective == kMultiSoftprob) return in({"mlogloss", "merror", "auc", "aucpr"});
  return in({"rmse", "mae", "mape", "rmsle", "mphe"});
}

bool metric_known(std::string_view metric) {
  for (std::string_view objective : kObjectives) {
    if (metric_fits(objective, metric)) return true;
  }
  return false;
}

std::vector<std::string> split_metrics(std::string_view value) {
  std::vector<std::string> metrics;
  while (true) {
    const std::size_t comma = value.find(',');
    const std::string_view item = trim(value.substr(0, comma));
    if (!item.empty()) {
      if (!metric_known(item)) {
        throw_invalid("eval_metric '" + std::string(item) +
                      "' is not one archml supports; use auc, aucpr, logloss, error, error@t "
                      "(binary), mlogloss, merror (multi-class), rmse, mae, mape, rmsle, mphe");
      }
      if (std::find(metrics.begin(), metrics.end(), item) != metrics.end()) {
        throw_invalid("eval_metric lists '" + std::string(item) + "' twice");
      }
      metrics.emplace_back(item);
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return metrics;
}

std::string format_real(double value) {
  // Shortest text that reads back to the same double, so JSON and XGBoost's parameter
  // strings carry exactly the value given.
  std::array<char, 32> buffer{};
  const auto [ptr, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  (void)ec;
  return std::string(buffer.data(), ptr);
}

}  // namespace

void Hyperparameters::set(std::string_view name, std::string_view raw_value) {
  name = trim(name);
  const std::string_view value = trim(raw_value);
  const Entry* entry = find_entry(name);
  if (entry == nullptr) throw_unknown(name);
  if (value.empty()) {
    throw_invalid("hyperparameter " + std::string(name) + " has no value; write " +
                  std::string(name) + "=VALUE");
  }
  if (name == "scale_pos_weight") {
    if (value == "auto") {
      scale_pos_weight_auto = true;
      scale_pos_weight = 1;
      return;
    }
    const double parsed = parse_real(name, value);
    check_range(*entry, parsed, value);
    scale_pos_weight = parsed;
    scale_pos_weight_auto = false;
  } else if (name == "max_delta_step" && value == "auto") {
    max_delta_step.reset();
  } else if (name == "objective") {
    if (value == "auto") {
      objective.reset();
    } else if (std::find(kObjectives.begin(), kObjectives.end(), value) != kObjectives.end()) {
      objective = std::string(value);
    } else {
      throw_invalid("objective '" + std::string(value) + "' is not supported; use one of " +
                    join(kObjectives) + " (or leave it out to infer it from the target)");
    }
  } else if (name == "eval_metric") {
    eval_metric = split_metrics(value);
  } else if (name == "tree_method") {
    if (std::find(kTreeMethods.begin(), kTreeMethods.end(), value) == kTreeMethods.end()) {
      throw_invalid("tree_method '" + std::string(value) + "' is not supported; use one of " +
                    join(kTreeMethods));
    }
    tree_method = std::string(value);
  } else if (entry->type == Type::kReal) {
    const double parsed = parse_real(name, value);
    check_range(*entry, parsed, value);
    entry->assign_real(*this, parsed);
  } else {
    const std::int64_t parsed = parse_integer(name, value);
    check_range(*entry, static_cast<double>(parsed), value);
    entry->assign_integer(*this, parsed);
  }
}

Hyperparameters Hyperparameters::parse(const std::vector<std::string>& assignments) {
  Hyperparameters hyperparameters;
  for (const std::string& assignment : assignments) {
    const std::size_t equals = assignment.find('=');
    if (equals == std::string::npos) {
      throw_invalid("hyperparameter '" + assignment + "' has no value; write NAME=VALUE");
    }
    hyperparameters.set(std::string_view(assignment).substr(0, equals),
                        std::string_view(assignment).substr(equals + 1));
  }
  return hyperparameters;
}

nlohmann::json Hyperparameters::to_json() const {
  nlohmann::json json = nlohmann::json::object();
  json["num_round"] = num_round;
  json["eta"] = eta;
  json["max_depth"] = max_depth;
  json["subsample"] = subsample;
  json["colsample_bytree"] = colsample_bytree;
  json["colsample_bylevel"] = colsample_bylevel;
  json["colsample_bynode"] = colsample_bynode;
  json["gamma"] = gamma;
  json["min_child_weight"] = min_child_weight;
  json["lambda"] = lambda;
  json["alpha"] = alpha;
  json["scale_pos_weight"] =
      scale_pos_weight_auto ? nlohmann::json("auto") : nlohmann::json(scale_pos_weight);
  json["max_delta_step"] =
      max_delta_step ? nlohmann::json(*max_delta_step) : nlohmann::json(nullptr);
  json["objective"] = objective ? nlohmann::json(*objective) : nlohmann::json(nullptr);
  json["num_class"] = num_class ? nlohmann::json(*num_class) : nlohmann::json(nullptr);
  json["eval_metric"] = eval_metric;
  json["early_stopping_rounds"] =
      early_stopping_rounds ? nlohmann::json(*early_stopping_rounds) : nlohmann::json(nullptr);
  json["tree_method"] = tree_method;
  json["max_bin"] = max_bin;
  json["base_score"] = base_score ? nlohmann::json(*base_score) : nlohmann::json(nullptr);
  json["seed"] = seed;
  json["nthread"] = nthread;
  return json;
}

Hyperparameters Hyperparameters::from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw_invalid("hyperparameters must be a JSON object of NAME: VALUE");
  Hyperparameters hyperparameters;
  for (const auto& [name, value] : json.items()) {
    if (value.is_null()) {
      if (find_entry(name) == nullptr) throw_unknown(name);
      continue;
    }
    std::string text;
    if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_number()) {
      text = value.is_number_float() ? format_real(value.get<double>()) : value.dump();
    } else if (value.is_array() && name == "eval_metric") {
      for (const auto& item : value) {
        if (!item.is_string()) throw_invalid("eval_metric must be a list of metric names");
        text += (text.empty() ? "" : ",") + item.get<std::string>();
      }
      if (text.empty()) continue;  // [] keeps the objective's default
    } else {
      throw_invalid("hyperparameter " + name + " must be a number or a string, got " +
                    value.dump());
    }
    hyperparameters.set(name, text);
  }
  return hyperparameters;
}

std::span<const HyperparameterSpec> hyperparameter_specs() {
  static const std::vector<HyperparameterSpec> specs = [] {
    std::vector<HyperparameterSpec> out;
    for (const Entry& entry : kEntries) out.push_back(entry.spec);
    return out;
  }();
  return specs;
}

TargetSummary summarize_target(std::span<const float> labels) {
  TargetSummary summary;
  summary.rows = labels.size();
  if (labels.empty()) return summary;
  summary.min = summary.max = labels[0];
  std::uint64_t present = 0;  // bit k: label k seen, for k < 64
  for (const float label : labels) {
    summary.sum += label;
    summary.min = std::min<double>(summary.min, label);
    summary.max = std::max<double>(summary.max, label);
    if (summary.non_negative_integers) {
      if (label >= 0 && label == std::trunc(label)) {
        if (label < 64) present |= std::uint64_t{1} << static_cast<int>(label);
      } else {
        summary.non_negative_integers = false;
      }
    }
  }
  const auto classes = static_cast<std::int64_t>(summary.max) + 1;
  if (summary.non_negative_integers && summary.max <= 1) {
    summary.kind = TargetKind::kBinary;
  } else if (summary.non_negative_integers && classes <= kMaxInferredClasses &&
             present == (std::uint64_t{1} << classes) - 1) {
    summary.kind = TargetKind::kMulticlass;
  } else {
    summary.kind = TargetKind::kContinuous;
  }
  return summary;
}

ResolvedHyperparameters resolve(const Hyperparameters& hp, const TargetSummary& target) {
  if (target.rows == 0) throw_invalid("the training set has no rows");
  ResolvedHyperparameters resolved;
  if (hp.objective) {
    resolved.objective = *hp.objective;
  } else {
    switch (target.kind) {
      case TargetKind::kBinary:
        resolved.objective = kBinaryLogistic;
        break;
      case TargetKind::kMulticlass:
        resolved.objective = kMultiSoftprob;
        break;
      case TargetKind::kContinuous:
        resolved.objective = kRegSquaredError;
        break;
    }
  }
  const std::string& objective = resolved.objective;
  const bool binary = objective == kBinaryLogistic;
  const bool multiclass = objective == kMultiSoftprob;

  if (binary) {
    if (target.min < 0 || target.max > 1) {
      throw_invalid("binary:logistic needs labels in [0, 1], but they range from " +
                    format_real(target.min) + " to " + format_real(target.max));
    }
    if (target.sum <= 0 || target.sum >= static_cast<double>(target.rows)) {
      throw_invalid("the training labels hold a single class; binary:logistic needs both 0 and 1");
    }
  }
  if (multiclass) {
    if (!target.non_negative_integers) {
      throw_invalid(
          "multi:softprob needs class labels 0, 1, 2, ...; the labels are not all "
          "non-negative integers");
    }
    const auto needed = static_cast<std::int64_t>(target.max) + 1;
    if (hp.num_class && *hp.num_class < needed) {
      throw_invalid("num_class=" + std::to_string(*hp.num_class) + " but the labels go up to " +
                    format_real(target.max) + "; num_class must be at least " +
                    std::to_string(needed));
    }
    if (!hp.num_class && needed > std::numeric_limits<int>::max()) {
      throw_invalid("the largest class label is too large for multi:softprob");
    }
    resolved.num_class =
        hp.num_class ? *hp.num_class : static_cast<int>(std::max<std::int64_t>(needed, 2));
  } else if (hp.num_class) {
    throw_invalid("num_class applies to multi:softprob only, not " + objective);
  }
  if (!binary && (hp.scale_pos_weight_auto || hp.scale_pos_weight != 1)) {
    throw_invalid("scale_pos_weight applies to binary:logistic only, not " + objective);
  }

  if (hp.eval_metric.empty()) {
    resolved.eval_metric = {binary ? "logloss" : multiclass ? "mlogloss" : "rmse"};
  } else {
    for (const std::string& metric : hp.eval_metric) {
      if (!metric_fits(objective, metric)) {
        throw_invalid("eval_metric " + metric + " does not apply to " + objective);
      }
    }
    resolved.eval_metric = hp.eval_metric;
  }

  const double positives = target.sum;
  const double negatives = static_cast<double>(target.rows) - target.sum;
  resolved.scale_pos_weight =
      binary && hp.scale_pos_weight_auto ? negatives / positives : hp.scale_pos_weight;

  if (hp.base_score) {
    if (binary && !(*hp.base_score > 0 && *hp.base_score < 1)) {
      throw_invalid("base_score must be in (0, 1) for binary:logistic, got " +
                    format_real(*hp.base_score));
    }
    resolved.base_score = *hp.base_score;
  } else if (binary) {
    // The constant that minimises the weighted log loss: positives count
    // scale_pos_weight times, as they do in XGBoost's gradient.
    const double weighted = resolved.scale_pos_weight * positives;
    resolved.base_score = weighted / (weighted + negatives);
  } else if (multiclass) {
    resolved.base_score = 0.5;  // softmax ignores an offset shared by every class
  } else {
    resolved.base_score = target.mean();
  }

  if (hp.max_delta_step) {
    resolved.max_delta_step = *hp.max_delta_step;
  } else if (binary && !hp.base_score) {
    const double minority_rate = std::min(resolved.base_score, 1 - resolved.base_score);
    resolved.max_delta_step = minority_rate < 0.01 ? 1 : 0;
  }

  resolved.nthread = hp.nthread > 0 ? hp.nthread : static_cast<int>(core::hardware_threads());

  auto& params = resolved.xgboost_params;
  params.emplace_back("objective", objective);
  if (multiclass) params.emplace_back("num_class", std::to_string(resolved.num_class));
  params.emplace_back("eta", format_real(hp.eta));
  params.emplace_back("max_depth", std::to_string(hp.max_depth));
  params.emplace_back("subsample", format_real(hp.subsample));
  params.emplace_back("colsample_bytree", format_real(hp.colsample_bytree));
  params.emplace_back("colsample_bylevel", format_real(hp.colsample_bylevel));
  params.emplace_back("colsample_bynode", format_real(hp.colsample_bynode));
  params.emplace_back("gamma", format_real(hp.gamma));
  params.emplace_back("min_child_weight", format_real(hp.min_child_weight));
  params.emplace_back("lambda", format_real(hp.lambda));
  params.emplace_back("alpha", format_real(hp.alpha));
  if (binary) params.emplace_back("scale_pos_weight", format_real(resolved.scale_pos_weight));
  params.emplace_back("max_delta_step", format_real(resolved.max_delta_step));
  params.emplace_back("tree_method", hp.tree_method);
  if (hp.tree_method != "exact") params.emplace_back("max_bin", std::to_string(hp.max_bin));
  params.emplace_back("base_score", format_real(resolved.base_score));
  params.emplace_back("seed", std::to_string(hp.seed));
  params.emplace_back("nthread", std::to_string(resolved.nthread));
  for (const std::string& metric : resolved.eval_metric) params.emplace_back("eval_metric", metric);
  return resolved;
}

bool metric_is_maximized(std::string_view metric) {
  if (metric == "mape") return false;
  for (std::string_view prefix : {"auc", "aucpr", "map", "ndcg"}) {
    if (metric.starts_with(prefix)) return true;
  }
  return false;
}

}  // namespace archml::model
