#include "archml/eval/roc.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "archml/eval/curve_thinning.h"

namespace archml::eval {
namespace {

using Scores = std::vector<double>;
using Labels = std::vector<std::uint8_t>;

double auc(const Scores& scores, const Labels& labels) {
  return roc_auc(RankedScores(scores, labels));
}

TEST(EvalRocAuc, HandComputedCases) {
  EXPECT_DOUBLE_EQ(auc({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}), 0.75);  // sklearn's doc example
  EXPECT_DOUBLE_EQ(auc({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}), 1.0);    // perfect
  EXPECT_DOUBLE_EQ(auc({0.9, 0.8, 0.2, 0.1}, {0, 0, 1, 1}), 0.0);    // inverted
}

TEST(EvalRocAuc, TiesAcrossClassesCountHalf) {
  EXPECT_DOUBLE_EQ(auc({0.5, 0.5, 0.5, 0.5}, {0, 1, 0, 1}), 0.5);
  // Pairs (positive, negative): (0.5, 0.2) 1, (0.5, 0.5) 1/2, (0.9, *) 2 -> 3.5 / 4.
  EXPECT_DOUBLE_EQ(auc({0.2, 0.5, 0.5, 0.9}, {0, 0, 1, 1}), 0.875);
}

TEST(EvalRocAuc, UndefinedWithOneClassOrNoRows) {
  EXPECT_TRUE(std::isnan(auc({0.1, 0.7}, {1, 1})));
  EXPECT_TRUE(std::isnan(auc({0.1, 0.7}, {0, 0})));
  EXPECT_TRUE(std::isnan(auc({}, {})));
  EXPECT_TRUE(roc_curve(RankedScores(Scores{0.1}, Labels{1})).empty());
}

TEST(EvalRocCurve, RunsFromOriginToOneOneAndDropsCollinearPoints) {
  // Thresholds 0.9 (tp 1), 0.8 (tp 2), 0.7 (tp 3): the middle one lies on a straight line.
  const auto curve = roc_curve(RankedScores(Scores{0.9, 0.8, 0.7, 0.1}, Labels{1, 1, 1, 0}));
  ASSERT_EQ(curve.size(), 4u);
  EXPECT_TRUE(std::isinf(curve[0].threshold));
  EXPECT_EQ(curve[0].true_positive_rate, 0.0);
  EXPECT_DOUBLE_EQ(curve[1].true_positive_rate, 1.0 / 3);
  EXPECT_DOUBLE_EQ(curve[2].true_positive_rate, 1.0);
  EXPECT_EQ(curve[2].threshold, 0.7);
  EXPECT_EQ(curve[3].false_positive_rate, 1.0);
}

TEST(EvalRocCurve, ThinsLargeCurvesKeepingBothEnds) {
  std::mt19937_64 random(11);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Scores scores;
  Labels labels;
  for (int row = 0; row < 100'000; ++row) {
    const bool positive = uniform(random) < 0.2;
    labels.push_back(positive);
    scores.push_back(std::min(1.0, uniform(random) * (positive ? 1.5 : 1.0)));
  }
  const RankedScores ranked(scores, labels);
  const auto curve = roc_curve(ranked, 200);
  EXPECT_LE(curve.size(), 200u);
  EXPECT_GE(curve.size(), 100u);
  EXPECT_EQ(curve.front().false_positive_rate, 0.0);
  EXPECT_EQ(curve.back().false_positive_rate, 1.0);
  EXPECT_EQ(curve.back().true_positive_rate, 1.0);
  // The thinned curve still integrates to the exact AUC within chart precision.
  double area = 0;
  for (std::size_t i = 1; i < curve.size(); ++i) {
    area += (curve[i].false_positive_rate - curve[i - 1].false_positive_rate) *
            (curve[i].true_positive_rate + curve[i - 1].true_positive_rate) / 2;
  }
  EXPECT_NEAR(area, roc_auc(ranked), 1e-3);
}

std::vector<std::size_t> thin(const std::vector<double>& x, const std::vector<double>& y,
                              std::size_t max_points) {
  return thin_curve(
      x.size(),
      [&](std::size_t i) {
        return std::pair{x[i], y[i]};
      },
      max_points);
}

TEST(EvalCurveThinning, KeepsAllPointsWhenFewAndBoundsTheCountOtherwise) {
  const std::vector<double> x = {0, 0.1, 0.2, 0.3};
  const std::vector<double> y = {0, 0.5, 0.7, 1.0};
  EXPECT_EQ(thin(x, y, 10), (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(thin(x, y, 2), (std::vector<std::size_t>{0, 3}));
  const std::vector<double> flat(1000, 0.5);
  EXPECT_EQ(thin(flat, flat, 5), (std::vector<std::size_t>{0, 999}));
  std::vector<double> ramp(1000);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<double>(i) / 999;
  const auto kept = thin(ramp, ramp, 11);
  EXPECT_LE(kept.size(), 11u);
  EXPECT_GE(kept.size(), 9u);
  EXPECT_EQ(kept.back(), 999u);
}

}  // namespace
}  // namespace archml::eval
