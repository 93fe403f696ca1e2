#include "archml/tune/tuning_config.h"

#include <cmath>
#include <set>

#include "archml/core/error.h"

namespace archml::tune {
namespace {

using nlohmann::json;

void only_keys(const json& object, const std::string& where, const std::set<std::string>& keys) {
  if (!object.is_object()) throw_invalid(where + " must be a mapping");
  for (const auto& [key, value] : object.items())
    if (!keys.contains(key)) {
      std::string list;
      for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
      throw_invalid(where + ": unknown key '" + key + "' (known: " + list + ")");
    }
}

std::string text(const json& value, const std::string& where) {
  if (!value.is_string()) throw_invalid(where + " must be text");
  return value.get<std::string>();
}

double number(const json& value, const std::string& where) {
  if (value.is_number()) return value.get<double>();
  // YAML users sometimes quote numbers; accept text that is entirely a number.
  if (value.is_string()) {
    const std::string s = value.get<std::string>();
    char* end = nullptr;
    const double parsed = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size() && std::isfinite(parsed)) return parsed;
  }
  throw_invalid(where + " must be a number");
}

std::size_t count(const json& value, const std::string& where, std::size_t minimum) {
  const double n = number(value, where);
  if (n != std::floor(n) || n < static_cast<double>(minimum) || n > 1e9)
    throw_invalid(where + " must be a whole number >= " + std::to_string(minimum));
  return static_cast<std::size_t>(n);
}

std::vector<ParameterRange> parse_ranges(const json& section) {
  only_keys(section, "parameter_ranges", {"continuous", "integer", "categorical"});
  std::vector<ParameterRange> ranges;
  const std::pair<const char*, ParameterKind> kinds[] = {
      {"continuous", ParameterKind::kContinuous},
      {"integer", ParameterKind::kInteger},
      {"categorical", ParameterKind::kCategorical}};
  for (const auto& [key, kind] : kinds) {
    if (!section.contains(key)) continue;
    const json& list = section.at(key);
    if (!list.is_array()) throw_invalid(std::string("parameter_ranges.") + key + " must be a list");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string where =
          std::string("parameter_ranges.") + key + "[" + std::to_string(i) + "]";
      const json& entry = list[i];
      ParameterRange range;
      range.kind = kind;
      if (kind == ParameterKind::kCategorical) {
        only_keys(entry, where, {"name", "values"});
        if (!entry.contains("values") || !entry.at("values").is_array())
          throw_invalid(where + ": 'values' must be a list");
        for (const auto& value : entry.at("values"))
          range.values.push_back(value.is_string() ? value.get<std::string>() : value.dump());
      } else {
        only_keys(entry, where, {"name", "min", "max", "scaling"});
        if (!entry.contains("min") || !entry.contains("max"))
          throw_invalid(where + ": needs 'min' and 'max'");
        range.min = number(entry.at("min"), where + ".min");
        range.max = number(entry.at("max"), where + ".max");
        if (entry.contains("scaling"))
          range.scaling = parse_scaling(text(entry.at("scaling"), where + ".scaling"));
      }
      if (!entry.contains("name")) throw_invalid(where + ": needs a 'name'");
      range.name = text(entry.at("name"), where + ".name");
      ranges.push_back(std::move(range));
    }
  }
  // Validates now, so a bad range fails before any data is loaded.
  SearchSpace check(ranges);
  return check.ranges();
}

}  // namespace

TuningConfig parse_tuning_config(const json& config, const std::filesystem::path& base_dir) {
  only_keys(config, "tuning config",
            {"objective", "strategy", "max_jobs", "max_parallel_jobs", "early_stopping",
             "random_seed", "completion_criteria", "warm_start", "parameter_ranges", "max_steps",
             "training", "command"});
  TuningConfig out;
  auto& options = out.options;

  if (!config.contains("objective")) throw_invalid("tuning config: 'objective' is required");
  const json& objective = config.at("objective");
  only_keys(objective, "objective", {"metric", "type"});
  if (!objective.contains("metric")) throw_invalid("objective: 'metric' is required");
  out.objective_metric = text(objective.at("metric"), "objective.metric");
  if (out.objective_metric.empty()) throw_invalid("objective.metric must not be empty");
  const std::string type =
      objective.contains("type") ? text(objective.at("type"), "objective.type") : "Maximize";
  if (type == "Maximize")
    options.direction = Direction::kMaximize;
  else if (type == "Minimize")
    options.direction = Direction::kMinimize;
  else
    throw_invalid("objective.type '" + type + "': use Maximize or Minimize");

  if (config.contains("strategy"))
    options.strategy = parse_strategy(text(config.at("strategy"), "strategy"));
  if (config.contains("max_jobs")) options.max_jobs = count(config.at("max_jobs"), "max_jobs", 1);
  if (config.contains("max_parallel_jobs"))
    options.max_parallel_jobs = count(config.at("max_parallel_jobs"), "max_parallel_jobs", 1);
  if (config.contains("max_steps"))
    options.max_steps = count(config.at("max_steps"), "max_steps", 1);
  if (config.contains("random_seed"))
    options.random_seed = count(config.at("random_seed"), "random_seed", 0);
  if (config.contains("early_stopping")) {
    const std::string mode = text(config.at("early_stopping"), "early_stopping");
    if (mode == "Auto")
      options.early_stopping = EarlyStopping::kAuto;
    else if (mode != "Off")
      throw_invalid("early_stopping '" + mode + "': use Off or Auto");
  }
  if (config.contains("completion_criteria")) {
    const json& criteria = config.at("completion_criteria");
    only_keys(criteria, "completion_criteria",
              {"target_objective_value", "best_objective_not_improving", "convergence_detection"});
    auto& completion = options.completion;
    if (criteria.contains("target_objective_value"))
      completion.target_objective_value =
          number(criteria.at("target_objective_value"), "target_objective_value");
    if (criteria.contains("best_objective_not_improving"))
      completion.best_objective_not_improving =
          count(criteria.at("best_objective_not_improving"), "best_objective_not_improving", 1);
    if (criteria.contains("convergence_detection")) {
      if (!criteria.at("convergence_detection").is_boolean())
        throw_invalid("completion_criteria.convergence_detection must be true or false");
      completion.convergence_detection = criteria.at("convergence_detection").get<bool>();
    }
  }
  if (config.contains("warm_start")) {
    const json& warm = config.at("warm_start");
    only_keys(warm, "warm_start", {"parent_jobs"});
    if (!warm.contains("parent_jobs") || !warm.at("parent_jobs").is_array())
      throw_invalid("warm_start.parent_jobs must be a list of earlier tuning output folders");
    for (const auto& parent : warm.at("parent_jobs")) {
      std::filesystem::path path = text(parent, "warm_start.parent_jobs[]");
      out.parent_jobs.push_back(path.is_absolute() ? path : base_dir / path);
    }
  }
  if (!config.contains("parameter_ranges"))
    throw_invalid("tuning config: 'parameter_ranges' is required");
  out.ranges = parse_ranges(config.at("parameter_ranges"));

  const bool training = config.contains("training"), command = config.contains("command");
  if (training == command)
    throw_invalid(
        "tuning config: give exactly one of 'training' (tune an XGBoost training "
        "job) or 'command' (tune your own program)");
  if (training) {
    if (!config.at("training").is_object()) throw_invalid("training must be a mapping");
    out.training = config.at("training");
  } else {
    if (!config.at("command").is_object()) throw_invalid("command must be a mapping");
    out.command = config.at("command");
  }
  if (options.strategy == StrategyKind::kHyperband &&
      options.early_stopping == EarlyStopping::kAuto)
    throw_invalid(
        "early_stopping Auto does not combine with strategy Hyperband, which stops "
        "trials itself; set early_stopping: Off");
  return out;
}

}  // namespace archml::tune
