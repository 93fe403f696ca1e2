// The XGBoost training job as a tuning objective (docs/tuning-xgboost.md). Built from
// the `training:` section of a tuning config, the objective metric ("validation:aucpr")
// and the names of the tuned hyperparameters. The constructor checks every name first
// (an unknown hyperparameter or metric, a tuned name that is also static or that the
// tuner may not vary, fails with archml::Error invalid input before the data is read),
// then reads the CSV, splits it, fits the recipe and builds XGBoost's matrices once; the
// trials share them read-only.
//
// A trial (operator(), callable from several threads at once) applies its values over
// the static hyperparameters, boosts min(num_round, max_steps) rounds with the trial's
// threads, reports the objective metric on the validation rows after every round and
// stops when the reporter says so. It writes a training job's artifacts to trial_dir:
//   bundle/       the model bundle, cutoff chosen on validation (`archml predict` loads it)
//   metrics.json  every round's metrics
// The outcome's objective is the metric at the round the model predicts with (the last,
// or the best one when static early_stopping_rounds stopped it). A hyperparameter value
// out of range, or data the trial cannot train on, throws: the trial fails.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/jobs/training_data.h"
#include "archml/tune/objective.h"

namespace archml::jobs {

class TrainingObjective {
 public:
  // `on_stage` sees the preparation stages (reading, splitting, ...), for progress. The
  // preparation runs with the context's threads and progress switch (a trial then gets
  // its share of the threads from the tuner).
  TrainingObjective(const JobContext& context, const nlohmann::json& training_section,
                    const std::string& objective_metric,
                    const std::vector<std::string>& tuned_names, const StageStart& on_stage = {});

  tune::TrialOutcome operator()(const tune::TrialRequest& request,
                                tune::TrialReporter& reporter) const;

  // The boosting rounds of a trial without a step budget: the static num_round.
  std::size_t default_steps() const;
  // What the trials share: table, split, recipe, matrices (read-only).
  const TrainingData& data() const;
  // Rows, features, split and data hash, as OUT/training.json records them.
  nlohmann::json description() const;

 private:
  struct Shared;
  std::shared_ptr<const Shared> shared_;
};

// The factory the `archml tune` CLI calls for configs with a `training:` section: builds
// the objective (showing the preparation stages on a terminal) and writes
// OUT/training.json (what the trials train on) and, when the section names no recipe,
// OUT/recipe.yaml (the automatic recipe used). Throws archml::Error as the constructor.
tune::Objective make_training_objective(const JobContext& context,
                                        const nlohmann::json& training_section,
                                        const std::string& objective_metric,
                                        const std::vector<std::string>& tuned_names,
                                        const std::filesystem::path& out_dir);

}  // namespace archml::jobs
