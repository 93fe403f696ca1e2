#include "archml/tune/tuning_summary.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "archml/tune/tuning_page.h"

namespace archml::tune {
namespace {

TrialRecord trial(std::size_t number, double objective, TrialStatus status, double end,
                  std::vector<std::pair<std::string, std::string>> parameters) {
  TrialRecord record;
  record.number = number;
  record.objective = objective;
  record.status = status;
  record.start_seconds = end - 1;
  record.seconds = 1;
  record.parameters = std::move(parameters);
  record.steps = 3;
  if (status == TrialStatus::kFailed) record.failure_reason = "out of <memory>";
  return record;
}

struct Fixture {
  SearchSpace space{{{"eta", ParameterKind::kContinuous, 0.001, 1, Scaling::kLogarithmic, {}},
                     {"policy",
                      ParameterKind::kCategorical,
                      0,
                      0,
                      Scaling::kAuto,
                      {"depthwise", "loss<guide>"}}}};
  TuningResult result;
  Fixture() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    result.trials = {
        trial(1, 0.30, TrialStatus::kCompleted, 4, {{"eta", "0.01"}, {"policy", "depthwise"}}),
        trial(2, nan, TrialStatus::kFailed, 2, {{"eta", "0.9"}, {"policy", "depthwise"}}),
        trial(3, 0.10, TrialStatus::kStoppedEarly, 3, {{"eta", "0.1"}, {"policy", "loss<guide>"}}),
        trial(4, 0.20, TrialStatus::kCompleted, 5, {{"eta", "0.5"}, {"policy", "depthwise"}})};
    result.best = 2;
    result.end_reason = "max_jobs reached";
  }
};

TEST(TuningSummaryTest, SortsBestFirstAndTracksTheBestOverTime) {
  Fixture f;
  const auto summary = tuning_summary_json(
      f.result, f.space, {"validation:logloss", Direction::kMinimize, StrategyKind::kBayesian, {}});
  ASSERT_EQ(summary["trials"].size(), 4u);
  std::vector<int> order;
  for (const auto& t : summary["trials"]) order.push_back(t["number"].get<int>());
  EXPECT_EQ(order, (std::vector<int>{3, 4, 1, 2}));  // failed last
  EXPECT_TRUE(summary["trials"][3]["objective"].is_null());
  EXPECT_EQ(summary["trials"][3]["failure_reason"], "out of <memory>");
  EXPECT_EQ(summary["trials"][0]["status"], "Stopped");
  EXPECT_EQ(summary["best_trial"]["number"], 3);
  EXPECT_EQ(summary["trial_counts"]["Failed"], 1);
  EXPECT_EQ(summary["trial_counts"]["Completed"], 2);
  // In finishing order: trial 2 (failed, at 2 s), 3 (0.10), 1 (0.30), 4 (0.20).
  std::vector<double> best_so_far;
  for (const auto& point : summary["objective_over_time"])
    best_so_far.push_back(point["best_so_far"].is_null() ? -1 : point["best_so_far"].get<double>());
  EXPECT_EQ(best_so_far, (std::vector<double>{-1, 0.10, 0.10, 0.10}));
  EXPECT_EQ(summary["parameter_ranges"][0]["scaling"], "Logarithmic");
}

TEST(TuningSummaryTest, PageHasAConvergenceChartAndAScatterPlotPerParameter) {
  Fixture f;
  const auto summary = tuning_summary_json(
      f.result, f.space, {"validation:logloss", Direction::kMinimize, StrategyKind::kBayesian, {}});
  const std::string page = tuning_page_html(summary);
  std::size_t charts = 0;
  for (std::size_t at = page.find("<svg"); at != std::string::npos; at = page.find("<svg", at + 1))
    ++charts;
  EXPECT_EQ(charts, 3u);
  EXPECT_NE(page.find("log10 of eta"), std::string::npos);
  EXPECT_NE(page.find("loss&lt;guide&gt;"), std::string::npos);
  EXPECT_EQ(page.find("loss<guide>"), std::string::npos);
  EXPECT_NE(page.find("out of &lt;memory&gt;"), std::string::npos);
  EXPECT_EQ(page.find("http"), std::string::npos);
}

}  // namespace
}  // namespace archml::tune
