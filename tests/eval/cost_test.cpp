#include "archml/eval/cost.h"

#include <gtest/gtest.h>

#include <vector>

#include "archml/core/error.h"
#include "archml/eval/operating_point.h"

namespace archml::eval {
namespace {

// Positives at 0.3, 0.6, 0.9; negatives at 0.05, 0.15, 0.3. Workshop costs: every alert
// 100, every miss 500. By hand:
//   cutoff 0.01-0.05: 6 alerts                 -> 600
//   cutoff 0.06-0.15: 5 alerts                 -> 500
//   cutoff 0.16-0.30: 4 alerts                 -> 400  (the minimum, a plateau)
//   cutoff 0.31-0.60: 2 alerts, 1 miss         -> 700
//   cutoff 0.61-0.90: 1 alert, 2 misses        -> 1100
//   cutoff 0.91-0.99: 3 misses                 -> 1500
const std::vector<double> kCostScores = {0.05, 0.15, 0.3, 0.3, 0.6, 0.9};
const std::vector<std::uint8_t> kCostLabels = {0, 0, 1, 0, 1, 1};

double expected_cost(int step) {
  if (step <= 5) return 600;
  if (step <= 15) return 500;
  if (step <= 30) return 400;
  if (step <= 60) return 700;
  if (step <= 90) return 1100;
  return 1500;
}

TEST(EvalCostCurve, MatchesHandComputedCostAtEveryCutoff) {
  const auto curve = cost_curve(RankedScores(kCostScores, kCostLabels), CostMatrix{});
  ASSERT_EQ(curve.size(), 99u);
  for (int step = 1; step <= 99; ++step) {
    const CostPoint& point = curve[step - 1];
    EXPECT_EQ(point.cutoff, step / 100.0);
    EXPECT_EQ(point.total_cost, expected_cost(step)) << "cutoff " << point.cutoff;
    EXPECT_EQ(point.confusion, confusion_at_cutoff(kCostScores, kCostLabels, point.cutoff));
  }
}

TEST(EvalCostCurve, OptimalCutoffBreaksPlateauTiesTowardHalf) {
  const auto curve = cost_curve(RankedScores(kCostScores, kCostLabels), CostMatrix{});
  const CostPoint best = optimal_cutoff(curve);
  EXPECT_EQ(best.cutoff, 0.3);  // 0.16..0.30 all cost 400; 0.30 is closest to 0.5
  EXPECT_EQ(best.total_cost, 400);
  EXPECT_EQ(best.confusion, (ConfusionMatrix{.tn = 2, .fp = 1, .fn = 0, .tp = 3}));
}

TEST(EvalCostCurve, EquidistantTiesGoToTheSmallerCutoff) {
  const std::vector<CostPoint> curve = {
      {0.2, {}, 10.0}, {0.6, {}, 5.0}, {0.4, {}, 5.0}, {0.7, {}, 5.0}};
  EXPECT_EQ(optimal_cutoff(curve).cutoff, 0.4);
  EXPECT_THROW(optimal_cutoff(std::vector<CostPoint>{}), Error);
}

TEST(EvalCostCurve, CustomCostMatrixAndCostAtAnyCutoff) {
  const CostMatrix costs{.tn = 1, .fp = 2, .fn = 3, .tp = 4};
  const CostPoint point = cost_at_cutoff(RankedScores(kCostScores, kCostLabels), costs, 0.45);
  EXPECT_EQ(point.confusion, (ConfusionMatrix{.tn = 3, .fp = 0, .fn = 1, .tp = 2}));
  EXPECT_EQ(point.total_cost, 3 * 1 + 1 * 3 + 2 * 4);
}

TEST(EvalCostCurve, RulesBaselineCost) {
  const std::vector<std::uint8_t> flagged = {0, 0, 0, 0, 1, 1};
  const ConfusionMatrix confusion = confusion_from_predictions(kCostLabels, flagged);
  EXPECT_EQ(confusion, (ConfusionMatrix{.tn = 3, .fp = 0, .fn = 1, .tp = 2}));
  EXPECT_EQ(total_cost(confusion, CostMatrix{}), 700);
  EXPECT_THROW(confusion_from_predictions(kCostLabels, std::vector<std::uint8_t>{0, 1}), Error);
  EXPECT_THROW(confusion_from_predictions(kCostLabels, std::vector<std::uint8_t>(6, 3)), Error);
}

TEST(EvalCostCurve, EmptyInputCostsNothing) {
  const auto curve = cost_curve(RankedScores({}, {}), CostMatrix{});
  ASSERT_EQ(curve.size(), 99u);
  EXPECT_EQ(optimal_cutoff(curve).cutoff, 0.5);
  EXPECT_EQ(optimal_cutoff(curve).total_cost, 0);
}

TEST(EvalOperatingPoint, CountsAndCostPerThousandRows) {
  const OperatingPoint point =
      operating_point(ConfusionMatrix{.tn = 2, .fp = 1, .fn = 0, .tp = 3}, CostMatrix{});
  EXPECT_EQ(point.rows, 6);
  EXPECT_EQ(point.positives, 3);
  EXPECT_EQ(point.caught, 3);
  EXPECT_EQ(point.missed, 0);
  EXPECT_EQ(point.alerts, 4);
  EXPECT_EQ(point.false_alarms, 1);
  EXPECT_DOUBLE_EQ(point.recall, 1.0);
  EXPECT_DOUBLE_EQ(point.precision, 0.75);
  EXPECT_EQ(point.total_cost, 400);
  EXPECT_DOUBLE_EQ(point.cost_per_1000_rows, 400.0 * 1000 / 6);
}

TEST(EvalOperatingPoint, DescribesItselfInPlainWords) {
  const OperatingPoint point = operating_point(
      ConfusionMatrix{.tn = 633'000, .fp = 1'533, .fn = 188, .tp = 812}, CostMatrix{});
  EXPECT_EQ(describe(point, {.positives = "frauds", .rows = "transactions"}),
            "Catches 812 of 1,000 frauds (81.2%), misses 188, raises 2,345 alerts "
            "(1,533 false alarms) and costs 516.89 per 1,000 transactions.");
  const OperatingPoint single =
      operating_point(ConfusionMatrix{.tn = 5, .fp = 1, .fn = 0, .tp = 0}, CostMatrix{});
  EXPECT_EQ(describe(single),
            "Catches 0 of 0 positives, misses 0, raises 1 alert (1 false alarm) and "
            "costs 16,666.67 per 1,000 rows.");
}

TEST(EvalOperatingPoint, ThousandsSeparators) {
  EXPECT_EQ(with_thousands_separators(0), "0");
  EXPECT_EQ(with_thousands_separators(999), "999");
  EXPECT_EQ(with_thousands_separators(1000), "1,000");
  EXPECT_EQ(with_thousands_separators(6'362'620), "6,362,620");
  EXPECT_EQ(with_thousands_separators(-12'345), "-12,345");
}

}  // namespace
}  // namespace archml::eval
