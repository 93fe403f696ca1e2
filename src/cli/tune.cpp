// `archml tune --config tune.yaml [--out DIR]`: runs a tuning job, printing a line per
// finished trial with the best objective so far and its hyperparameters.
#include <cstdio>
#include <memory>
#include <string>

#include "archml/jobs/tune_job.h"
#include "archml/report/format.h"
#include "cli/commands.h"
#include "cli/run_flags.h"

namespace archml::cli {
namespace {

struct TuneFlags {
  std::string config;
  std::string out = "tune-out";
  RunFlags run;
};

std::string format_parameters(const std::vector<std::pair<std::string, std::string>>& values) {
  std::string out;
  for (const auto& [name, value] : values) out += (out.empty() ? "" : " ") + name + "=" + value;
  return out;
}

void print_trial(const tune::TuningProgress& progress) {
  const auto& trial = *progress.last;
  std::string outcome =
      trial.status == tune::TrialStatus::kFailed
          ? "FAILED: " + trial.failure_reason.substr(0, trial.failure_reason.find('\n'))
          : report::format_number(trial.objective, 6);
  std::printf("[%zu/%zu] trial %zu %s %s (%zu steps, %.1f s)\n", progress.finished,
              progress.max_jobs, trial.number, std::string(to_string(trial.status)).c_str(),
              outcome.c_str(), trial.steps, trial.seconds);
  if (progress.best != nullptr)
    std::printf("        best %s (trial %zu: %s)\n",
                report::format_number(progress.best->objective, 6).c_str(), progress.best->number,
                format_parameters(progress.best->parameters).c_str());
  std::fflush(stdout);
}

void run_tune(const jobs::JobContext& context, const TuneFlags& flags) {
  jobs::TuneJobOptions options;
  options.config_file = flags.config;
  options.out_dir = flags.out;
  options.on_stage = [](const std::string& stage) {
    std::fprintf(stderr, "%s...\n", stage.c_str());
  };
  options.on_progress = print_trial;
  auto recorder = jobs::start_job(context, flags.run.choice(), track::JobKind::kTuning);
  options.recorder = recorder.get();
  std::fprintf(stderr, "recording tuning run %s/%s (id %lld) in %s\n",
               recorder->run().experiment.c_str(), recorder->run().name.c_str(),
               static_cast<long long>(recorder->run().id), recorder->catalog().path().c_str());
  jobs::TuneJobResult result =
      jobs::run_recorded(recorder.get(), [&] { return jobs::run_tune_job(context, options); });

  const auto& tuning = result.tuning;
  std::printf("\n%zu trials in %.1f s (%s)", tuning.trials.size(), tuning.seconds,
              tuning.end_reason.c_str());
  if (tuning.warm_start_trials > 0)
    std::printf("; warm-started from %zu earlier trials", tuning.warm_start_trials);
  std::printf("\n");
  if (tuning.best) {
    const auto& best = tuning.trials[*tuning.best];
    std::printf("best trial %zu: %s %s\n  %s\n  artifacts in %s\n", best.number,
                result.objective_metric.c_str(), report::format_number(best.objective, 6).c_str(),
                format_parameters(best.parameters).c_str(), best.dir.string().c_str());
  } else {
    std::printf("no trial produced an objective value; see the failure reasons above\n");
  }
  std::printf(
      "recorded as run %s/%s, its trials as runs %s-trial-NNN: 'archml runs list "
      "--experiment %s --sort-by %s'\n",
      recorder->run().experiment.c_str(), recorder->run().name.c_str(),
      recorder->run().name.c_str(), recorder->run().experiment.c_str(),
      result.objective_metric.c_str());
  std::printf("wrote %s/ (tuning_summary.json, tuning.html, trials/)\n",
              result.out_dir.string().c_str());
}

}  // namespace

void add_tune_command(CLI::App& app, const jobs::JobContext& context) {
  auto flags = std::make_shared<TuneFlags>();
  auto* command = app.add_subcommand(
      "tune",
      "Tune hyperparameters like SageMaker's Automatic Model Tuning.\n\n"
      "A Bayesian (default), Random, Grid or Hyperband search over continuous, integer and\n"
      "categorical ranges, with parallel trials, early stopping (median rule), completion\n"
      "criteria and warm start from earlier tuning jobs (docs/tuning.md).\n\n"
      "The config (YAML or JSON) names the objective, the ranges, and what to tune: a\n"
      "'training:' section (an XGBoost training job) or a 'command:' section (your own\n"
      "program: {param} placeholders in its command line, a regex that finds the objective\n"
      "in its output).\n\n"
      "Writes OUT/tuning_summary.json (every trial, best first), OUT/tuning.html\n"
      "(convergence and per-parameter charts) and OUT/trials/NNN/ (each trial's artifacts).\n\n"
      "Examples:\n"
      "  archml tune --config examples/paysim/tune.yaml --out runs/tune-1\n"
      "  archml --threads 2 tune --config examples/tuning/branin.yaml");
  command->add_option("-c,--config", flags->config, "Tuning config, YAML or JSON")->required();
  command->add_option("-o,--out", flags->out, "Output directory, created if needed")
      ->default_val("tune-out");
  add_run_flags(*command, flags->run, false);
  command->callback([flags, &context] { run_tune(context, *flags); });
}

}  // namespace archml::cli
