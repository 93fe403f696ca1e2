// The tuning job behind `archml tune`: reads the config (YAML or JSON, docs/tuning.md),
// checks everything before any trial runs, builds the objective (an XGBoost training job
// or the user's own command), loads warm-start trials, runs the tuner, and writes
// OUT/tuning_summary.json and OUT/tuning.html next to OUT/trials/NNN/.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "archml/jobs/job_record.h"
#include "archml/tune/tuner.h"

namespace archml::jobs {

struct TuneJobOptions {
  std::filesystem::path config_file;
  std::filesystem::path out_dir = "tune-out";
  std::function<void(const std::string& stage)> on_stage;
  std::function<void(const tune::TuningProgress&)> on_progress;
  // When set, the tuning job's settings, its objective per trial and its result files go
  // to the catalog, and every trial is recorded as a training job in a run of its own
  // (RUN-trial-NNN in the tuning run's experiment), with its parameters, its objective
  // per step, and its status: Completed, Stopped (stopped early) or Failed with the reason.
  // The caller ends the tuning job itself (run_recorded).
  JobRecorder* recorder = nullptr;
};

struct TuneJobResult {
  tune::TuningResult tuning;
  nlohmann::json summary;  // as written to tuning_summary.json
  std::string objective_metric;
  std::filesystem::path out_dir;
};

// The context's threads are shared among the parallel trials; its store settings open each
// trial's artifact store.
TuneJobResult run_tune_job(const JobContext& context, const TuneJobOptions& options);

}  // namespace archml::jobs
