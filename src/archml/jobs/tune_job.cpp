#include "archml/jobs/tune_job.h"

#include <cmath>

#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/features/yaml_json.h"
#include "archml/jobs/command_objective.h"
#include "archml/jobs/training_objective.h"
#include "archml/tune/search_space.h"
#include "archml/tune/tuning_config.h"
#include "archml/tune/tuning_page.h"
#include "archml/tune/tuning_summary.h"
#include "archml/tune/warm_start.h"

namespace archml::jobs {
namespace {

namespace fs = std::filesystem;

// Hyperband needs the full step budget to place its rungs; a training job's is num_round.
std::size_t training_rounds(const nlohmann::json& training) {
  const auto pointer = "/static_hyperparameters/num_round"_json_pointer;
  if (!training.contains(pointer)) return 0;
  const auto& value = training.at(pointer);
  double rounds = 0;
  if (value.is_number())
    rounds = value.get<double>();
  else if (value.is_string())
    rounds = std::strtod(value.get<std::string>().c_str(), nullptr);
  return rounds >= 1 && std::isfinite(rounds) ? static_cast<std::size_t>(rounds) : 0;
}

std::vector<std::string> parameter_names(const tune::SearchSpace& space) {
  std::vector<std::string> names;
  for (const auto& range : space.ranges()) names.push_back(range.name);
  return names;
}

tune::Objective make_training(const tune::TuningConfig& config, const tune::SearchSpace& space,
                              const fs::path& out_dir) {
  return make_training_objective(config.training, config.objective_metric, parameter_names(space),
                                 out_dir);
}

}  // namespace

TuneJobResult run_tune_job(const TuneJobOptions& options) {
  auto stage = [&](const std::string& name) {
    if (options.on_stage) options.on_stage(name);
  };
  const std::string text = core::read_text_file(options.config_file, "tuning config");
  const nlohmann::json document = features::parse_yaml_or_json(text, options.config_file.string());
  const fs::path base_dir = options.config_file.parent_path();
  tune::TuningConfig config = tune::parse_tuning_config(document, base_dir);
  const tune::SearchSpace space(config.ranges);

  auto& tuning = config.options;
  if (tuning.max_steps == 0 && config.training.is_object())
    tuning.max_steps = training_rounds(config.training);
  tuning.threads = std::max(1u, options.threads);
  tuning.trials_dir = options.out_dir / "trials";
  tuning.warm_start = tune::load_prior_trials(config.parent_jobs, config.objective_metric);

  // A command is fully checked before the output directory exists; a training objective
  // loads data and may write next to its trials, so it comes after.
  tune::Objective objective;
  if (config.command.is_object())
    objective =
        make_command_objective(parse_command_section(config.command), parameter_names(space));
  std::error_code error;
  fs::create_directories(options.out_dir, error);
  if (error)
    throw_io("cannot create output directory " + options.out_dir.string() + ": " + error.message());
  if (!objective) {
    stage("preparing the training objective");
    objective = make_training(config, space, options.out_dir);
  }

  stage("running trials");
  TuneJobResult result;
  result.tuning = tune::run_tuning(space, objective, tuning, options.on_progress);
  result.objective_metric = config.objective_metric;
  result.out_dir = options.out_dir;
  result.summary = tune::tuning_summary_json(
      result.tuning, space,
      {config.objective_metric, tuning.direction, tuning.strategy, options.out_dir});
  core::write_text_file(options.out_dir / "tuning_summary.json", result.summary.dump(2) + "\n");
  core::write_text_file(options.out_dir / "tuning.html", tune::tuning_page_html(result.summary));
  return result;
}

}  // namespace archml::jobs
