// The training job (`archml train`): read a CSV, split it, fit the recipe on the training
// part, build XGBoost's quantised matrices batch by batch, boost with per-round metrics,
// choose the cutoff on validation, score test, and write the artifacts to the output
// directory (docs/training.md):
//   OUT/bundle/       the model bundle (model/bundle.h)
//   OUT/metrics.json  every round's metrics, named as SageMaker names them
//   OUT/split.json    the split spec, the data file's hash and the part sizes: with
//                     data::split_rows the test rows can be recomputed exactly
//   OUT/recipe.yaml   the automatic recipe, written only when none was given
//   OUT/summary.json  final validation and test metrics, cutoff, stage timings
// Every input is checked before the data is read where possible (hyperparameters,
// recipe, split spec), so a typo fails in milliseconds, not after a 6 GB read.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/data/csv_reader.h"
#include "archml/data/split.h"
#include "archml/eval/cost.h"
#include "archml/jobs/job_record.h"
#include "archml/model/bundle.h"
#include "archml/model/trainer.h"

namespace archml::jobs {

struct TrainJobOptions {
  std::string data_file;
  data::CsvOptions csv;
  std::string target;
  std::string recipe_file;                   // empty: the automatic recipe
  std::optional<data::SplitSpec> split;      // nullopt: stratified for classes, else random
  std::vector<std::string> hyperparameters;  // NAME=VALUE, applied in order
  eval::CostMatrix costs;
  std::optional<std::string> positive_class;
  bool evaluate_train = false;
  std::filesystem::path out_dir;
  // Rows per chunk the recipe transforms and per batch fed to XGBoost: bounds the
  // temporary copies held at once. 0 = a default suited to the machine.
  std::size_t batch_rows = 0;
  // Each round's metrics as soon as the round ends (the terminal view).
  std::function<void(const model::RoundMetrics&)> on_round;
  // A stage starts ("reading", "splitting", ...), for a terminal status line.
  std::function<void(const std::string&)> on_stage;
  // When set, the job's parameters, per-round and final metrics, artifacts and lineage
  // go to the catalog, and the bundle records the run (its `tracking` metadata). The
  // caller ends the job (run_recorded).
  JobRecorder* recorder = nullptr;
};

struct TrainJobResult {
  std::filesystem::path out_dir;
  std::filesystem::path bundle_dir;
  model::BundleMetadata metadata;  // as written to bundle.json
  data::CsvReport csv_report;      // what the read skipped or repaired, for the user
  std::size_t train_rows = 0, validation_rows = 0, test_rows = 0, excluded_rows = 0;
  std::vector<std::string> features;
  bool automatic_recipe = false;
  model::StopReason stop_reason = model::StopReason::kCompleted;
  nlohmann::json validation_metrics;  // final round's validation:* metrics
  nlohmann::json test_metrics;        // measured on the test part (empty when none)
};

// Throws archml::Error for bad inputs (invalid input, not found) and unwritable output.
TrainJobResult run_train_job(const JobContext& context, const TrainJobOptions& options);

// What the catalog keeps of a training, shared by training jobs and tuning trials: its
// parameters (every hyperparameter, the data, target, recipe, split and costs), and
// what its bundle came from as (kind, "digest uri") pairs: the data file and the recipe.
std::vector<std::pair<std::string, std::string>> training_parameters(
    const TrainJobOptions& options, const model::Hyperparameters& hp, const data::SplitSpec& split);
std::vector<std::pair<std::string, std::string>> training_sources(
    const model::BundleMetadata& metadata, const std::string& recipe_text,
    const std::string& recipe_file);

}  // namespace archml::jobs
