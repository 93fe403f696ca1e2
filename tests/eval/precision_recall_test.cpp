#include "archml/eval/precision_recall.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace archml::eval {
namespace {

using Scores = std::vector<double>;
using Labels = std::vector<std::uint8_t>;

double ap(const Scores& scores, const Labels& labels) {
  return average_precision(RankedScores(scores, labels));
}

TEST(EvalAveragePrecision, HandComputedCases) {
  // sklearn's doc example: recall steps of 1/2 at precision 1 and 2/3.
  EXPECT_DOUBLE_EQ(ap({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}), 0.5 * 1 + 0.5 * 2.0 / 3);
  EXPECT_DOUBLE_EQ(ap({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}), 1.0);
  // Inverted: positives found at ranks 3 and 4 -> (1/3 + 2/4) / 2.
  EXPECT_DOUBLE_EQ(ap({0.9, 0.8, 0.2, 0.1}, {0, 0, 1, 1}), (1.0 / 3 + 0.5) / 2);
}

TEST(EvalAveragePrecision, TiesAreOneStepNotInterpolated) {
  EXPECT_DOUBLE_EQ(ap({0.5, 0.5, 0.5, 0.5}, {0, 1, 0, 1}), 0.5);
  // Threshold 0.9: tp 1, fp 0. Threshold 0.5: tp 2, fp 2 -> 0.5 * 1 + 0.5 * 0.5.
  EXPECT_DOUBLE_EQ(ap({0.9, 0.5, 0.5, 0.5}, {1, 1, 0, 0}), 0.75);
}

TEST(EvalAveragePrecision, NaNWithoutPositivesOneWithoutNegatives) {
  EXPECT_TRUE(std::isnan(ap({0.1, 0.2}, {0, 0})));
  EXPECT_TRUE(std::isnan(ap({}, {})));
  EXPECT_DOUBLE_EQ(ap({0.1, 0.2}, {1, 1}), 1.0);
}

TEST(EvalPrecisionRecallCurve, StartsAtPrecisionOneAndEndsAtTheLowestScore) {
  const auto curve =
      precision_recall_curve(RankedScores(Scores{0.1, 0.2, 0.2, 0.9, 0.05}, Labels{0, 1, 0, 1, 0}));
  ASSERT_EQ(curve.size(), 5u);
  EXPECT_EQ(curve[0].recall, 0.0);
  EXPECT_EQ(curve[0].precision, 1.0);
  EXPECT_TRUE(std::isinf(curve[0].threshold));
  EXPECT_EQ(curve[1].threshold, 0.9);
  EXPECT_DOUBLE_EQ(curve[2].precision, 2.0 / 3);
  EXPECT_EQ(curve[2].recall, 1.0);
  EXPECT_EQ(curve[4].threshold, 0.05);
  EXPECT_DOUBLE_EQ(curve[4].precision, 0.4);
  EXPECT_TRUE(precision_recall_curve(RankedScores(Scores{0.3}, Labels{0})).empty());
}

}  // namespace
}  // namespace archml::eval
