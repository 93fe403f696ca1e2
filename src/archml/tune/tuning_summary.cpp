#include "archml/tune/tuning_summary.h"

#include <algorithm>
#include <cmath>

namespace archml::tune {
namespace {

using nlohmann::json;

json number_or_null(double value) {
  return std::isfinite(value) ? json(value) : json(nullptr);
}

json parameters_json(const TrialRecord& trial) {
  json out = json::object();
  for (const auto& [name, value] : trial.parameters) out[name] = value;
  return out;
}

json trial_json(const TrialRecord& trial, const std::filesystem::path& out_dir) {
  json curve = json::array();
  for (const auto& [step, value] : trial.curve) curve.push_back({step, number_or_null(value)});
  json out = {{"number", trial.number},
              {"status", std::string(to_string(trial.status))},
              {"objective", number_or_null(trial.objective)},
              {"parameters", parameters_json(trial)},
              {"steps", trial.steps},
              {"start_seconds", trial.start_seconds},
              {"seconds", trial.seconds},
              {"curve", curve}};
  if (!trial.dir.empty())
    out["dir"] =
        out_dir.empty() ? trial.dir.string() : trial.dir.lexically_relative(out_dir).string();
  if (trial.status == TrialStatus::kFailed) out["failure_reason"] = trial.failure_reason;
  return out;
}

}  // namespace

json tuning_summary_json(const TuningResult& result, const SearchSpace& space,
                         const SummaryContext& context) {
  json ranges = json::array();
  for (const auto& range : space.ranges()) {
    json entry = {{"name", range.name}, {"type", std::string(to_string(range.kind))}};
    if (range.kind == ParameterKind::kCategorical) {
      entry["values"] = range.values;
    } else {
      entry["min"] = range.min;
      entry["max"] = range.max;
      entry["scaling"] = std::string(to_string(range.scaling));
    }
    ranges.push_back(entry);
  }

  std::vector<const TrialRecord*> sorted;
  for (const auto& trial : result.trials) sorted.push_back(&trial);
  std::stable_sort(sorted.begin(), sorted.end(), [&](const TrialRecord* a, const TrialRecord* b) {
    return is_better(context.direction, a->objective, b->objective);
  });
  json trials = json::array();
  for (const auto* trial : sorted) trials.push_back(trial_json(*trial, context.out_dir));

  // Best objective over time: trials in the order they finished.
  std::vector<const TrialRecord*> by_end;
  for (const auto& trial : result.trials) by_end.push_back(&trial);
  std::sort(by_end.begin(), by_end.end(), [](const TrialRecord* a, const TrialRecord* b) {
    return a->start_seconds + a->seconds < b->start_seconds + b->seconds;
  });
  json over_time = json::array();
  double best = std::nan("");
  for (const auto* trial : by_end) {
    if (is_better(context.direction, trial->objective, best)) best = trial->objective;
    over_time.push_back({{"trial", trial->number},
                         {"end_seconds", trial->start_seconds + trial->seconds},
                         {"objective", number_or_null(trial->objective)},
                         {"best_so_far", number_or_null(best)}});
  }

  json counts = {{"Completed", 0}, {"Stopped", 0}, {"Failed", 0}};
  for (const auto& trial : result.trials)
    counts[std::string(to_string(trial.status))] =
        counts[std::string(to_string(trial.status))].get<int>() + 1;

  json out = {{"objective",
               {{"metric", context.objective_metric},
                {"type", context.direction == Direction::kMaximize ? "Maximize" : "Minimize"}}},
              {"strategy", std::string(to_string(context.strategy))},
              {"parameter_ranges", ranges},
              {"end_reason", result.end_reason},
              {"seconds", result.seconds},
              {"warm_start_trials", result.warm_start_trials},
              {"trial_counts", counts},
              {"best_trial", nullptr},
              {"trials", trials},
              {"objective_over_time", over_time}};
  if (result.best) out["best_trial"] = trial_json(result.trials[*result.best], context.out_dir);
  return out;
}

}  // namespace archml::tune
