#include "archml/jobs/tune_job.h"

#include <cmath>
#include <cstdio>

#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/core/yaml_json.h"
#include "archml/jobs/command_objective.h"
#include "archml/jobs/training_objective.h"
#include "archml/store/open_store.h"
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

// Hears a trial's objective values on their way to the tuner and logs them as the trial
// job's metric series.
class RecordingReporter : public tune::TrialReporter {
 public:
  RecordingReporter(tune::TrialReporter& tuner, JobRecorder& trial, std::string metric)
      : tuner_(tuner), trial_(trial), metric_(std::move(metric)) {}
  bool report(std::size_t step, double objective) override {
    if (std::isfinite(objective))
      trial_.log_metric(metric_, static_cast<std::int64_t>(step), objective);
    return tuner_.report(step, objective);
  }

 private:
  tune::TrialReporter& tuner_;
  JobRecorder& trial_;
  std::string metric_;
};

std::string media_type_of(const fs::path& file) {
  const std::string extension = file.extension().string();
  if (extension == ".json") return "application/json";
  if (extension == ".html") return "text/html";
  if (extension == ".yaml") return "application/yaml";
  return "text/plain";
}

// The trial's files (its bundle, metrics, the command's output), at most a few dozen.
void record_trial_files(JobRecorder& trial, const fs::path& dir) {
  constexpr int kMaxFiles = 32;
  std::error_code error;
  int count = 0;
  for (fs::recursive_directory_iterator it(dir, error), end;
       !error && it != end && count < kMaxFiles; it.increment(error)) {
    if (!it->is_regular_file(error)) continue;
    trial.add_local_artifact(fs::relative(it->path(), dir).string(), it->path(),
                             media_type_of(it->path()));
    ++count;
  }
}

// Every trial as a training job of its own run, so `archml runs list` sorts and compares
// trials like any other training runs.
tune::Objective recorded_trials(const JobContext& context, tune::Objective objective,
                                JobRecorder& tuning, const std::string& metric) {
  return [objective = std::move(objective), &tuning, metric, store_options = context.store](
             const tune::TrialRequest& request, tune::TrialReporter& reporter) {
    char suffix[32];
    std::snprintf(suffix, sizeof(suffix), "-trial-%03zu", request.trial_number);
    // Joined when it exists, as a named run is: running a named tuning job again (the
    // demo, a rerun with the same --run) adds a job to each trial's run instead of failing
    // every trial on the run name.
    const track::Run run =
        tuning.catalog().ensure_run(tuning.run().experiment, tuning.run().name + suffix);
    RecorderOptions trial_options;
    trial_options.pushgateway = tuning.options().pushgateway;
    trial_options.command_line = tuning.options().command_line;
    JobRecorder trial(tuning.shared_catalog(), run, track::JobKind::kTraining, trial_options);
    // A store serves one thread at a time, and trials run in parallel: one each.
    if (const std::string store_uri = tuning.artifact_store_uri(); !store_uri.empty())
      trial.keep_artifacts_in(store::open_artifact_store(store_uri, store_options));
    auto parameters = request.parameters;
    parameters.emplace_back("tuning_job", std::to_string(tuning.job_id()));
    parameters.emplace_back("trial", std::to_string(request.trial_number));
    trial.log_parameters(parameters);
    RecordingReporter recording(reporter, trial, metric);
    tune::TrialRequest tracked = request;
    tracked.tracking = tune::TrialTracking{run.experiment, run.name, run.id, trial.job_id()};
    try {
      tune::TrialOutcome outcome = objective(tracked, recording);
      record_trial_files(trial, request.trial_dir);
      if (!outcome.parameters.empty()) trial.log_parameters(outcome.parameters);
      for (const auto& [kind, source] : outcome.sources)
        trial.add_lineage({kind, source, "bundle", file_uri(outcome.model_dir)});
      if (outcome.stopped_early)
        trial.stop("stopped early by the tuner after " + std::to_string(outcome.steps) + " steps");
      else
        trial.complete();
      return outcome;
    } catch (const std::exception& error) {
      trial.fail(error.what());
      throw;
    }
  };
}

void record_tuning(JobRecorder& tuning, const tune::TuningConfig& config,
                   const TuneJobOptions& options, const TuneJobResult& result) {
  // Each trial's objective as the series trials:METRIC (step = trial number); METRIC
  // itself is the best, so the tuning run sorts and compares by its result.
  for (const auto& trial : result.tuning.trials)
    if (std::isfinite(trial.objective))
      tuning.log_metric("trials:" + config.objective_metric,
                        static_cast<std::int64_t>(trial.number), trial.objective);
  if (result.tuning.best) {
    const auto& best = result.tuning.trials[*result.tuning.best];
    tuning.log_metric(config.objective_metric,
                      static_cast<std::int64_t>(result.tuning.trials.size()), best.objective);
    std::vector<std::pair<std::string, std::string>> parameters = {
        {"best_trial", std::to_string(best.number)}};
    for (const auto& [name, value] : best.parameters)
      parameters.emplace_back("best:" + name, value);
    tuning.log_parameters(parameters);
    tuning.add_lineage({"trial", file_uri(best.dir), "tuning", file_uri(options.out_dir)});
  }
  tuning.add_local_artifact("tuning_summary.json", options.out_dir / "tuning_summary.json",
                            "application/json");
  tuning.add_local_artifact("tuning.html", options.out_dir / "tuning.html", "text/html");
}

tune::Objective make_training(const JobContext& context, const tune::TuningConfig& config,
                              const tune::SearchSpace& space, const fs::path& out_dir) {
  return make_training_objective(context, config.training, config.objective_metric,
                                 parameter_names(space), out_dir);
}

}  // namespace

TuneJobResult run_tune_job(const JobContext& context, const TuneJobOptions& options) {
  auto stage = [&](const std::string& name) {
    if (options.on_stage) options.on_stage(name);
  };
  const std::string text = core::read_text_file(options.config_file, "tuning config");
  const nlohmann::json document = core::parse_yaml_or_json(text, options.config_file.string());
  const fs::path base_dir = options.config_file.parent_path();
  tune::TuningConfig config = tune::parse_tuning_config(document, base_dir);
  const tune::SearchSpace space(config.ranges);

  auto& tuning = config.options;
  if (tuning.max_steps == 0 && config.training.is_object())
    tuning.max_steps = training_rounds(config.training);
  tuning.threads = std::max(1u, context.threads);
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
    objective = make_training(context, config, space, options.out_dir);
  }

  if (options.recorder != nullptr) {
    options.recorder->log_parameters(
        {{"config", options.config_file.string()},
         {"objective", config.objective_metric},
         {"direction", tuning.direction == tune::Direction::kMaximize ? "Maximize" : "Minimize"},
         {"max_jobs", std::to_string(tuning.max_jobs)},
         {"max_parallel_jobs", std::to_string(tuning.max_parallel_jobs)},
         {"random_seed", std::to_string(tuning.random_seed)}});
    objective =
        recorded_trials(context, std::move(objective), *options.recorder, config.objective_metric);
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
  if (options.recorder != nullptr) record_tuning(*options.recorder, config, options, result);
  return result;
}

}  // namespace archml::jobs
