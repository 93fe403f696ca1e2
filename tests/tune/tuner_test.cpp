#include "archml/tune/tuner.h"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include <gtest/gtest.h>

#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/tune/tuning_page.h"
#include "archml/tune/tuning_summary.h"
#include "archml/tune/warm_start.h"

namespace archml::tune {
namespace {

SearchSpace line_space() {
  return SearchSpace({{"x", ParameterKind::kContinuous, 0, 1, Scaling::kLinear, {}}});
}

double parameter(const TrialRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.parameters)
    if (key == name) return std::stod(value);
  throw std::runtime_error("no parameter " + name);
}

// The objective is x itself, reported once.
TrialOutcome identity(const TrialRequest& request, TrialReporter& reporter) {
  const double x = parameter(request, "x");
  reporter.report(1, x);
  return {x, 1, false};
}

TEST(TunerTest, RunsMaxJobsTrialsAndFindsTheBest) {
  const SearchSpace space = line_space();
  TuningOptions options;
  options.strategy = StrategyKind::kRandom;
  options.max_jobs = 12;
  options.random_seed = 3;
  std::size_t progress_calls = 0;
  TuningResult result = run_tuning(space, identity, options, [&](const TuningProgress& progress) {
    ++progress_calls;
    EXPECT_EQ(progress.finished, progress_calls);
    ASSERT_NE(progress.best, nullptr);
  });
  ASSERT_EQ(result.trials.size(), 12u);
  EXPECT_EQ(progress_calls, 12u);
  EXPECT_EQ(result.end_reason, "max_jobs reached");
  ASSERT_TRUE(result.best.has_value());
  for (const auto& trial : result.trials) {
    EXPECT_EQ(trial.status, TrialStatus::kCompleted);
    EXPECT_LE(trial.objective, result.trials[*result.best].objective);
    ASSERT_EQ(trial.curve.size(), 1u);
  }
}

TEST(TunerTest, FailedAndNonFiniteTrialsAreRecordedAndTheJobCarriesOn) {
  const SearchSpace space = line_space();
  TuningOptions options;
  options.strategy = StrategyKind::kBayesian;
  options.direction = Direction::kMinimize;
  options.max_jobs = 14;
  options.random_seed = 1;
  Objective objective = [](const TrialRequest& request, TrialReporter&) -> TrialOutcome {
    const double x = parameter(request, "x");
    if (x > 0.7) throw_invalid("diverged at x=" + std::to_string(x));
    if (x < 0.1) return {std::numeric_limits<double>::quiet_NaN(), 1, false};
    return {(x - 0.3) * (x - 0.3), 1, false};
  };
  TuningResult result = run_tuning(space, objective, options);
  ASSERT_EQ(result.trials.size(), 14u);
  std::size_t failed = 0;
  for (const auto& trial : result.trials) {
    if (trial.status != TrialStatus::kFailed) continue;
    ++failed;
    EXPECT_TRUE(std::isnan(trial.objective));
    EXPECT_TRUE(trial.failure_reason.find("diverged") != std::string::npos ||
                trial.failure_reason.find("not a finite number") != std::string::npos)
        << trial.failure_reason;
  }
  EXPECT_GT(failed, 0u);
  ASSERT_TRUE(result.best.has_value());
  EXPECT_NE(result.trials[*result.best].status, TrialStatus::kFailed);
  EXPECT_LT(result.trials[*result.best].objective, 0.01);
}

TEST(TunerTest, ParallelTrialsStayWithinTheLimitAndShareThreads) {
  const SearchSpace space = line_space();
  TuningOptions options;
  options.strategy = StrategyKind::kRandom;
  options.max_jobs = 9;
  options.max_parallel_jobs = 3;
  options.threads = 7;
  std::atomic<int> running{0}, most{0};
  Objective objective = [&](const TrialRequest& request, TrialReporter& reporter) {
    EXPECT_EQ(request.threads, 2u);
    const int now = ++running;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    TrialOutcome outcome = identity(request, reporter);
    --running;
    return outcome;
  };
  TuningResult result = run_tuning(space, objective, options);
  ASSERT_EQ(result.trials.size(), 9u);
  for (std::size_t i = 0; i < result.trials.size(); ++i) EXPECT_EQ(result.trials[i].number, i + 1);
  EXPECT_LE(most.load(), 3);
}

TEST(TunerTest, MedianRuleStopsBadCurvesThroughTheReporter) {
  const SearchSpace space = line_space();
  TuningOptions options;
  options.strategy = StrategyKind::kRandom;
  options.early_stopping = EarlyStopping::kAuto;
  options.max_jobs = 20;
  options.random_seed = 4;
  // Maximised: each trial's curve is flat at x for 10 steps; stopped trials return early.
  Objective objective = [](const TrialRequest& request, TrialReporter& reporter) {
    const double x = parameter(request, "x");
    std::size_t step = 0;
    while (step < 10)
      if (!reporter.report(++step, x)) return TrialOutcome{x, step, true};
    return TrialOutcome{x, step, false};
  };
  TuningResult result = run_tuning(space, objective, options);
  std::size_t stopped = 0;
  for (const auto& trial : result.trials) {
    if (trial.status != TrialStatus::kStoppedEarly) continue;
    ++stopped;
    EXPECT_LT(trial.steps, 10u);
    EXPECT_EQ(trial.curve.size(), trial.steps);
    EXPECT_GE(trial.number, 4u);  // the first three always run in full
  }
  EXPECT_GT(stopped, 0u);
  EXPECT_EQ(result.trials[*result.best].status, TrialStatus::kCompleted);
}

TEST(TunerTest, StoppedTrialsTeachTheStrategyTheMedianOfFullRuns) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<FinishedTrial> finished = {
      {{{0.1}, 5.0}, true},  // before any full run
      {{{0.2}, 1.0}, false}, {{{0.3}, 3.0}, false},
      {{{0.4}, 2.0}, false}, {{{0.5}, 40.0}, true},  // stopped after one step
      {{{0.6}, nan}, false}};
  const auto observations = strategy_observations(finished);
  ASSERT_EQ(observations.size(), 6u);
  EXPECT_EQ(observations[0].loss, 2.0);  // the median of 1, 3, 2
  EXPECT_EQ(observations[1].loss, 1.0);
  EXPECT_EQ(observations[4].loss, 2.0);
  EXPECT_EQ(observations[4].configuration, (Configuration{0.5}));
  EXPECT_TRUE(std::isnan(observations[5].loss));
  EXPECT_EQ(strategy_observations({{{{0.1}, 5.0}, true}})[0].loss, 5.0);
}

TEST(TunerTest, CompletionCriteriaEndTheJobEarly) {
  const SearchSpace space = line_space();
  TuningOptions options;
  options.strategy = StrategyKind::kRandom;
  options.max_jobs = 200;
  options.random_seed = 2;
  options.completion.target_objective_value = 0.95;
  TuningResult reached = run_tuning(space, identity, options);
  EXPECT_EQ(reached.end_reason, "target objective value reached");
  EXPECT_LT(reached.trials.size(), 200u);
  EXPECT_GE(reached.trials[*reached.best].objective, 0.95);

  options.completion = {};
  options.completion.best_objective_not_improving = 4;
  Objective constant = [](const TrialRequest&, TrialReporter&) {
    return TrialOutcome{1, 1, false};
  };
  TuningResult flat = run_tuning(space, constant, options);
  EXPECT_EQ(flat.end_reason, "best objective not improving");
  EXPECT_EQ(flat.trials.size(), 5u);  // the first sets the best, four more do not beat it
}

TEST(TunerTest, ConvergenceDetectionEndsASearchWithNothingLeftToGain) {
  // Two possible values: once both are tried, the model expects no improvement anywhere.
  SearchSpace space({{"depth", ParameterKind::kInteger, 1, 2, Scaling::kLinear, {}}});
  TuningOptions options;
  options.max_jobs = 30;
  options.random_seed = 6;
  options.completion.convergence_detection = true;
  Objective objective = [](const TrialRequest& request, TrialReporter&) {
    return TrialOutcome{parameter(request, "depth"), 1, false};
  };
  TuningResult result = run_tuning(space, objective, options);
  EXPECT_EQ(result.end_reason, "convergence detected");
  EXPECT_LT(result.trials.size(), 10u);
  EXPECT_EQ(result.trials[*result.best].objective, 2);
}

TEST(TunerTest, GridTriesEveryCombinationOnceAndSkipsWarmStartedOnes) {
  SearchSpace space({{"depth", ParameterKind::kInteger, 2, 4, Scaling::kLinear, {}},
                     {"policy", ParameterKind::kCategorical, 0, 0, Scaling::kAuto, {"a", "b"}}});
  TuningOptions options;
  options.strategy = StrategyKind::kGrid;
  options.max_jobs = 50;
  options.warm_start = {{{{"depth", "3"}, {"policy", "b"}}, 0.5},
                        {{{"depth", "9"}, {"policy", "b"}}, 0.1}};  // outside: ignored
  Objective objective = [](const TrialRequest& request, TrialReporter&) {
    return TrialOutcome{parameter(request, "depth"), 1, false};
  };
  TuningResult result = run_tuning(space, objective, options);
  EXPECT_EQ(result.warm_start_trials, 1u);
  EXPECT_EQ(result.trials.size(), 5u);
  EXPECT_EQ(result.end_reason, "every grid combination tried");
  for (const auto& trial : result.trials)
    EXPECT_FALSE(trial.parameters[0].second == "3" && trial.parameters[1].second == "b");

  SearchSpace continuous = line_space();
  EXPECT_THROW(run_tuning(continuous, identity, options), Error);
}

TEST(TunerTest, WarmStartFromASummaryTeachesTheBayesianStrategy) {
  const auto dir = std::filesystem::temp_directory_path() / "archml_tuner_warm_start";
  std::filesystem::remove_all(dir);
  const SearchSpace space = line_space();
  TuningOptions options;
  options.strategy = StrategyKind::kRandom;
  options.max_jobs = 10;
  options.random_seed = 8;
  options.trials_dir = dir / "parent" / "trials";
  TuningResult parent = run_tuning(space, identity, options);
  const auto summary = tuning_summary_json(
      parent, space, {"x", Direction::kMaximize, StrategyKind::kRandom, dir / "parent"});
  core::write_text_file(dir / "parent" / "tuning_summary.json", summary.dump());
  EXPECT_TRUE(std::filesystem::is_directory(dir / "parent" / "trials" / "010"));
  EXPECT_EQ(summary["trials"][0]["objective"], parent.trials[*parent.best].objective);
  char best_dir[16];
  std::snprintf(best_dir, sizeof best_dir, "trials/%03d",
                summary["best_trial"]["number"].get<int>());
  EXPECT_EQ(summary["best_trial"]["dir"], best_dir);

  std::vector<PriorTrial> prior = load_prior_trials({dir / "parent"}, "x");
  ASSERT_EQ(prior.size(), 10u);
  EXPECT_THROW(load_prior_trials({dir / "parent"}, "y"), Error);
  EXPECT_THROW(load_prior_trials({dir / "missing"}, "x"), Error);

  // With ten prior trials the initial design is already covered: the child job's first
  // proposal comes from the model, which knows larger x is better.
  options.strategy = StrategyKind::kBayesian;
  options.max_jobs = 1;
  options.trials_dir.clear();
  options.warm_start = prior;
  TuningResult child = run_tuning(space, identity, options);
  EXPECT_EQ(child.warm_start_trials, 10u);
  ASSERT_EQ(child.trials.size(), 1u);
  EXPECT_GT(child.trials[0].objective, 0.9);

  const std::string page = tuning_page_html(summary);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("Convergence"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace archml::tune
