#include "archml/tune/warm_start.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "archml/core/error.h"
#include "archml/core/text_file.h"

namespace archml::tune {

std::vector<PriorTrial> load_prior_trials(const std::vector<std::filesystem::path>& parents,
                                          const std::string& objective_metric) {
  std::vector<PriorTrial> trials;
  for (const auto& parent : parents) {
    const auto file =
        std::filesystem::is_directory(parent) ? parent / "tuning_summary.json" : parent;
    const std::string what = "warm-start parent " + file.string();
    nlohmann::json summary;
    try {
      summary = nlohmann::json::parse(core::read_text_file(file, "warm-start tuning summary"));
    } catch (const nlohmann::json::exception& error) {
      throw_invalid(what + " is not valid JSON: " + error.what());
    }
    if (!summary.is_object() || !summary.contains("trials") || !summary["trials"].is_array())
      throw_invalid(what + " has no 'trials' list; is it an archml tune output?");
    const std::string metric = summary.value("/objective/metric"_json_pointer, std::string());
    if (metric != objective_metric)
      throw_invalid(what + " tuned '" + metric + "', not '" + objective_metric +
                    "'; warm start needs the same objective metric");
    for (const auto& trial : summary["trials"]) {
      if (!trial.is_object() || trial.value("status", "") == "Failed") continue;
      if (!trial.contains("objective") || !trial["objective"].is_number()) continue;
      PriorTrial prior;
      prior.objective = trial["objective"].get<double>();
      prior.stopped_early = trial.value("status", "") == "Stopped";
      if (!std::isfinite(prior.objective) || !trial.contains("parameters") ||
          !trial["parameters"].is_object())
        continue;
      for (const auto& [name, value] : trial["parameters"].items())
        if (value.is_string()) prior.parameters.emplace_back(name, value.get<std::string>());
      trials.push_back(std::move(prior));
    }
  }
  return trials;
}

}  // namespace archml::tune
