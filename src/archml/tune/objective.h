// The contract between the tuner and what it tunes. The tuner (strategies, early
// stopping, Hyperband) knows only this: it asks for a trial with some parameter values and
// a step budget, hears intermediate objective values as the trial runs, and may tell the
// trial to stop. An XGBoost training job and a user's own command both plug in here, which
// is how tune/ stays ignorant of XGBoost (docs/architecture.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace archml::tune {

// Told to a running trial; implemented by the tuner.
class TrialReporter {
 public:
  virtual ~TrialReporter() = default;
  // The objective after `step` steps (boosting rounds, epochs; 1-based, increasing), in
  // the objective's own direction (e.g. validation:aucpr, larger is better). Returns false
  // when the tuner decides the trial stops now (median rule, a Hyperband rung); the trial
  // then finishes promptly and returns its outcome so far. Thread-safe.
  virtual bool report(std::size_t step, double objective) = 0;
};

// The catalog's record of a trial, when the tuning job is recorded: a trial that keeps a
// model names its job in the model's metadata, so the model can be registered.
struct TrialTracking {
  std::string experiment, run;
  std::int64_t run_id = 0, job_id = 0;
};

struct TrialRequest {
  std::size_t trial_number = 0;  // 1-based within a tuning job
  // Hyperparameter values as text, in the search space's order (SageMaker passes
  // hyperparameters as strings too). Integers print without a decimal point.
  std::vector<std::pair<std::string, std::string>> parameters;
  std::size_t max_steps = 0;        // step budget (Hyperband); 0 = the objective's own default
  unsigned threads = 1;             // the trial's fair share of the machine
  std::filesystem::path trial_dir;  // empty dir the trial may write artifacts into
  std::optional<TrialTracking> tracking;
};

struct TrialOutcome {
  double objective = 0;        // final value, same direction as reported values
  std::size_t steps = 0;       // steps actually run
  bool stopped_early = false;  // the tuner stopped it via TrialReporter::report
  // For the catalog, when the trial kept a model (empty for a command's trial): every
  // parameter it ran with, the model's folder, and what the model came from as
  // (kind, "digest uri") pairs, e.g. ("data", "xxh64:... file:///...").
  std::vector<std::pair<std::string, std::string>> parameters = {};
  std::filesystem::path model_dir = {};
  std::vector<std::pair<std::string, std::string>> sources = {};
};

// Runs one trial. Throws (archml::Error or any std::exception) when the trial fails; the
// tuner records the message as the failure reason and carries on. Must be callable from
// several threads at once for parallel trials.
using Objective = std::function<TrialOutcome(const TrialRequest&, TrialReporter&)>;

}  // namespace archml::tune
