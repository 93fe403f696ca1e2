// The tuning loop: asks the strategy for configurations, runs up to max_parallel_jobs
// trials at once on threads through the Objective (objective.h), hears their
// intermediate values (which the median rule or Hyperband may answer with "stop"),
// records every trial (parameters, per-step values, status, duration, failure reason)
// and ends at max_jobs or a completion criterion. Failed trials never end the job.
// Each trial gets an empty directory trials_dir/NNN/ and a fair share of the threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "archml/tune/objective.h"
#include "archml/tune/search_space.h"
#include "archml/tune/strategy.h"

namespace archml::tune {

enum class Direction { kMaximize, kMinimize };
enum class EarlyStopping { kOff, kAuto };

struct CompletionCriteria {
  std::optional<double> target_objective_value;  // stop once the best reaches it
  std::size_t best_objective_not_improving = 0;  // stop after N trials without a new best
  bool convergence_detection = false;            // stop when the strategy has converged
};

// A trial of an earlier tuning job (warm start): its parameters and final objective.
struct PriorTrial {
  std::vector<std::pair<std::string, std::string>> parameters;
  double objective = 0;
  bool stopped_early = false;  // its objective is from part of the budget
};

struct TuningOptions {
  StrategyKind strategy = StrategyKind::kBayesian;
  Direction direction = Direction::kMaximize;
  std::size_t max_jobs = 10;
  std::size_t max_parallel_jobs = 1;
  EarlyStopping early_stopping = EarlyStopping::kOff;
  std::uint64_t random_seed = 0;
  CompletionCriteria completion;
  std::size_t max_steps = 0;  // the step budget of a trial; 0 = the objective's default
  unsigned threads = 1;       // shared among the parallel trials
  std::filesystem::path trials_dir;
  std::vector<PriorTrial> warm_start;
};

enum class TrialStatus { kCompleted, kStoppedEarly, kFailed };
std::string_view to_string(TrialStatus status);

struct TrialRecord {
  std::size_t number = 0;
  std::vector<std::pair<std::string, std::string>> parameters;
  Configuration configuration;
  TrialStatus status = TrialStatus::kFailed;
  double objective = 0;  // NaN when failed
  std::size_t steps = 0;
  std::vector<std::pair<std::size_t, double>> curve;  // (step, objective) as reported
  std::string failure_reason;
  double start_seconds = 0;  // since the tuning job started
  double seconds = 0;
  std::filesystem::path dir;
};

struct TuningProgress {
  std::size_t finished = 0;
  std::size_t max_jobs = 0;
  std::size_t running = 0;
  const TrialRecord* last = nullptr;  // the trial that just finished
  const TrialRecord* best = nullptr;  // null until a trial has a finite objective
};

struct TuningResult {
  std::vector<TrialRecord> trials;    // in trial-number order
  std::optional<std::size_t> best;    // index into trials
  std::size_t warm_start_trials = 0;  // prior trials the strategy learned from
  std::string end_reason;             // "max_jobs reached", "target objective value reached", ...
  double seconds = 0;
};

struct FinishedTrial {
  Observation observation;
  bool stopped_early = false;
};

// What the strategy learns from. A stopped trial's value was measured on part of the
// budget (after one boosting round, say) and would read as "these hyperparameters are
// terrible"; it was stopped for looking no better than the median, so it counts as the
// median loss of the trials that ran in full (its own value until one has).
std::vector<Observation> strategy_observations(const std::vector<FinishedTrial>& finished);

// True when `a` is a better objective than `b` in this direction (NaN is never better).
bool is_better(Direction direction, double a, double b);

// Throws archml::Error (invalid) for max_jobs or max_parallel_jobs of zero, or a strategy
// that cannot handle the space (Grid with continuous ranges); trial failures do not throw.
// `on_progress` is called after each trial, one call at a time.
TuningResult run_tuning(const SearchSpace& space, const Objective& objective,
                        const TuningOptions& options,
                        const std::function<void(const TuningProgress&)>& on_progress = {});

}  // namespace archml::tune
