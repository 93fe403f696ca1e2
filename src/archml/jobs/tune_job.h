// The tuning job behind `archml tune`: reads the config (YAML or JSON, docs/tuning.md),
// checks everything before any trial runs, builds the objective (an XGBoost training job
// or the user's own command), loads warm-start trials, runs the tuner, and writes
// OUT/tuning_summary.json and OUT/tuning.html next to OUT/trials/NNN/.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "archml/tune/tuner.h"

namespace archml::jobs {

struct TuneJobOptions {
  std::filesystem::path config_file;
  std::filesystem::path out_dir = "tune-out";
  unsigned threads = 1;  // shared among parallel trials
  std::function<void(const std::string& stage)> on_stage;
  std::function<void(const tune::TuningProgress&)> on_progress;
};

struct TuneJobResult {
  tune::TuningResult tuning;
  nlohmann::json summary;  // as written to tuning_summary.json
  std::string objective_metric;
  std::filesystem::path out_dir;
};

TuneJobResult run_tune_job(const TuneJobOptions& options);

}  // namespace archml::jobs
