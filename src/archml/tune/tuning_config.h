// The generic part of a tuning job's configuration (docs/tuning.md): objective, strategy,
// budgets, early stopping, completion criteria, warm start and parameter ranges, in
// snake_case versions of SageMaker's names. What is tuned — a `training:` or a `command:`
// section — is kept as JSON for the objective that reads it. Every error is reported
// before anything runs, naming the key.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/tune/search_space.h"
#include "archml/tune/tuner.h"

namespace archml::tune {

struct TuningConfig {
  std::string objective_metric;  // e.g. "validation:aucpr"
  TuningOptions options;         // trials_dir, threads and warm_start trials left to the caller
  std::vector<ParameterRange> ranges;
  std::vector<std::filesystem::path> parent_jobs;  // resolved against the config's folder
  nlohmann::json training;  // exactly one of training and command is an object
  nlohmann::json command;
};

// Throws archml::Error (invalid) for unknown keys, wrong types, missing or conflicting
// sections, bad enum values, and invalid ranges (SearchSpace's checks). `base_dir`
// resolves relative parent_jobs paths.
TuningConfig parse_tuning_config(const nlohmann::json& config,
                                 const std::filesystem::path& base_dir);

}  // namespace archml::tune
