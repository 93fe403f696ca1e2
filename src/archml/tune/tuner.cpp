#include "archml/tune/tuner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "archml/core/error.h"
#include "archml/tune/asha.h"
#include "archml/tune/median_stopping_rule.h"

namespace archml::tune {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

class TuningJob {
 public:
  TuningJob(const SearchSpace& space, const Objective& objective, const TuningOptions& options,
            const std::function<void(const TuningProgress&)>& on_progress)
      : space_(space),
        objective_(objective),
        options_(options),
        on_progress_(on_progress),
        strategy_(make_strategy(options.strategy, space, options.random_seed, options.max_jobs)),
        start_(Clock::now()) {
    if (options.strategy == StrategyKind::kHyperband)
      stopping_ = std::make_unique<AshaRule>(options.max_steps);
    else if (options.early_stopping == EarlyStopping::kAuto)
      stopping_ = std::make_unique<MedianStoppingRule>(
          3, options.max_steps > 0 ? std::max<std::size_t>(1, options.max_steps / 10) : 1);
    for (const auto& prior : options.warm_start) {
      auto configuration = space.parse(prior.parameters);
      if (!configuration) continue;  // outside the current ranges: it teaches nothing here
      finished_.push_back(
          {{space.snap(*configuration), loss(prior.objective)}, prior.stopped_early});
      ++result_.warm_start_trials;
    }
  }

  TuningResult run() {
    const std::size_t workers = std::min(options_.max_parallel_jobs, options_.max_jobs);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < workers; ++i) threads.emplace_back([this] { work(); });
    for (auto& thread : threads) thread.join();
    if (failure_) std::rethrow_exception(failure_);
    std::sort(result_.trials.begin(), result_.trials.end(),
              [](const TrialRecord& a, const TrialRecord& b) { return a.number < b.number; });
    for (std::size_t i = 0; i < result_.trials.size(); ++i)
      if (result_.trials[i].status != TrialStatus::kFailed &&
          (!result_.best || is_better(options_.direction, result_.trials[i].objective,
                                      result_.trials[*result_.best].objective)))
        result_.best = i;
    if (result_.end_reason.empty()) result_.end_reason = "max_jobs reached";
    result_.seconds = seconds_between(start_, Clock::now());
    return std::move(result_);
  }

  // Called by trials' reporters, from their threads; true means "stop this trial".
  bool record_and_judge(TrialRecord& record, std::size_t step, double value) {
    std::lock_guard lock(mutex_);
    record.curve.emplace_back(step, value);
    return stopping_ != nullptr && stopping_->report(record.number, step, loss(value));
  }

 private:
  class Reporter : public TrialReporter {
   public:
    Reporter(TuningJob& job, TrialRecord& record) : job_(job), record_(record) {}
    bool report(std::size_t step, double objective) override {
      if (job_.record_and_judge(record_, step, objective)) stop_requested_ = true;
      return !stop_requested_;
    }
    bool stop_requested() const { return stop_requested_; }

   private:
    TuningJob& job_;
    TrialRecord& record_;
    bool stop_requested_ = false;
  };

  double loss(double objective) const {
    if (!std::isfinite(objective)) return std::numeric_limits<double>::quiet_NaN();
    return options_.direction == Direction::kMaximize ? -objective : objective;
  }

  void work() {
    try {
      while (true) {
        auto record = std::make_unique<TrialRecord>();
        {
          std::lock_guard lock(mutex_);
          if (!result_.end_reason.empty() || launched_ >= options_.max_jobs) return;
          std::vector<Configuration> running;
          for (const auto& [number, configuration] : running_) running.push_back(configuration);
          auto suggestion = strategy_->suggest(strategy_observations(finished_), running);
          if (!suggestion) {
            result_.end_reason = "every grid combination tried";
            return;
          }
          record->number = ++launched_;
          record->configuration = space_.snap(*suggestion);
          running_[record->number] = record->configuration;
        }
        run_trial(*record);
        finish(std::move(record));
      }
    } catch (...) {
      // Only bugs get here (trial failures are recorded); stop the job and report it.
      std::lock_guard lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
      result_.end_reason = "internal error";
    }
  }

  void run_trial(TrialRecord& record) {
    record.parameters = space_.values(record.configuration);
    char name[16];
    std::snprintf(name, sizeof name, "%03zu", record.number);
    record.dir = options_.trials_dir.empty() ? std::filesystem::path() : options_.trials_dir / name;
    const auto started = Clock::now();
    record.start_seconds = seconds_between(start_, started);
    Reporter reporter(*this, record);
    try {
      if (!record.dir.empty()) {
        std::error_code error;
        std::filesystem::remove_all(record.dir, error);
        std::filesystem::create_directories(record.dir, error);
        if (error)
          throw_io("cannot create trial directory " + record.dir.string() + ": " + error.message());
      }
      TrialRequest request;
      request.trial_number = record.number;
      request.parameters = record.parameters;
      request.max_steps = options_.max_steps;
      request.threads = std::max(1u, options_.threads / static_cast<unsigned>(std::max<std::size_t>(
                                                            1, options_.max_parallel_jobs)));
      request.trial_dir = record.dir;
      TrialOutcome outcome = objective_(request, reporter);
      record.objective = outcome.objective;
      record.steps = outcome.steps;
      record.status = outcome.stopped_early || reporter.stop_requested()
                          ? TrialStatus::kStoppedEarly
                          : TrialStatus::kCompleted;
      if (!std::isfinite(record.objective)) {
        record.status = TrialStatus::kFailed;
        record.failure_reason = "the objective is not a finite number";
      }
    } catch (const std::exception& error) {
      record.status = TrialStatus::kFailed;
      record.failure_reason = error.what();
    }
    if (record.status == TrialStatus::kFailed)
      record.objective = std::numeric_limits<double>::quiet_NaN();
    record.seconds = seconds_between(started, Clock::now());
  }

  void finish(std::unique_ptr<TrialRecord> record) {
    std::lock_guard lock(mutex_);
    running_.erase(record->number);
    if (stopping_ != nullptr)
      stopping_->finished(record->number, record->status == TrialStatus::kCompleted);
    finished_.push_back({{record->configuration, loss(record->objective)},
                         record->status == TrialStatus::kStoppedEarly});
    const bool improved =
        record->status != TrialStatus::kFailed &&
        (!best_ || is_better(options_.direction, record->objective, best_->objective));
    result_.trials.push_back(*record);
    if (improved) {
      best_ = std::move(record);
      since_improvement_ = 0;
    } else {
      ++since_improvement_;
    }
    const auto& completion = options_.completion;
    if (result_.end_reason.empty()) {
      if (completion.target_objective_value && best_ &&
          !is_better(options_.direction, *completion.target_objective_value, best_->objective))
        result_.end_reason = "target objective value reached";
      else if (completion.best_objective_not_improving > 0 &&
               since_improvement_ >= completion.best_objective_not_improving)
        result_.end_reason = "best objective not improving";
      else if (completion.convergence_detection && strategy_->converged())
        result_.end_reason = "convergence detected";
    }
    if (on_progress_) {
      TuningProgress progress;
      progress.finished = result_.trials.size();
      progress.max_jobs = options_.max_jobs;
      progress.running = running_.size();
      progress.last = &result_.trials.back();
      progress.best = best_.get();
      on_progress_(progress);
    }
  }

  const SearchSpace& space_;
  const Objective& objective_;
  const TuningOptions& options_;
  const std::function<void(const TuningProgress&)>& on_progress_;
  std::unique_ptr<Strategy> strategy_;
  std::unique_ptr<StoppingRule> stopping_;
  Clock::time_point start_;

  std::mutex mutex_;
  std::size_t launched_ = 0;
  std::map<std::size_t, Configuration> running_;
  std::vector<FinishedTrial> finished_;
  std::unique_ptr<TrialRecord> best_;
  std::size_t since_improvement_ = 0;
  TuningResult result_;
  std::exception_ptr failure_;
};

}  // namespace

std::string_view to_string(TrialStatus status) {
  switch (status) {
    case TrialStatus::kCompleted:
      return "Completed";
    case TrialStatus::kStoppedEarly:
      return "Stopped";
    case TrialStatus::kFailed:
      return "Failed";
  }
  return "?";
}

std::vector<Observation> strategy_observations(const std::vector<FinishedTrial>& finished) {
  std::vector<double> full;
  for (const auto& f : finished)
    if (!f.stopped_early && std::isfinite(f.observation.loss)) full.push_back(f.observation.loss);
  std::optional<double> median;
  if (!full.empty()) {
    std::sort(full.begin(), full.end());
    median = full[full.size() / 2];
  }
  std::vector<Observation> out;
  for (const auto& f : finished) {
    out.push_back(f.observation);
    if (f.stopped_early && median && std::isfinite(f.observation.loss)) out.back().loss = *median;
  }
  return out;
}

bool is_better(Direction direction, double a, double b) {
  if (!std::isfinite(a)) return false;
  if (!std::isfinite(b)) return true;
  return direction == Direction::kMaximize ? a > b : a < b;
}

TuningResult run_tuning(const SearchSpace& space, const Objective& objective,
                        const TuningOptions& options,
                        const std::function<void(const TuningProgress&)>& on_progress) {
  if (options.max_jobs == 0) throw_invalid("max_jobs must be at least 1");
  if (options.max_parallel_jobs == 0) throw_invalid("max_parallel_jobs must be at least 1");
  TuningJob job(space, objective, options, on_progress);
  return job.run();
}

}  // namespace archml::tune
