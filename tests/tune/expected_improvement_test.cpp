#include "archml/tune/expected_improvement.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

namespace archml::tune {
namespace {

TEST(ExpectedImprovementTest, WithoutSpreadItIsThePlainImprovement) {
  EXPECT_DOUBLE_EQ(expected_improvement(1.0, 0.0, 3.0), 2.0);
  EXPECT_DOUBLE_EQ(expected_improvement(4.0, 0.0, 3.0), 0.0);
}

TEST(ExpectedImprovementTest, AtTheBestItIsTheSpreadTimesTheNormalDensityAtZero) {
  EXPECT_NEAR(expected_improvement(2.0, 1.0, 2.0), 1 / std::sqrt(2 * std::numbers::pi), 1e-12);
  EXPECT_NEAR(expected_improvement(2.0, 0.5, 2.0), 0.5 / std::sqrt(2 * std::numbers::pi), 1e-12);
}

TEST(ExpectedImprovementTest, MatchesTheClosedFormAwayFromTheBest) {
  // mean 1, sd 2, best 2: z = 0.5, EI = 1·Φ(0.5) + 2·φ(0.5) = 0.691462 + 0.704130.
  EXPECT_NEAR(expected_improvement(1.0, 2.0, 2.0), 0.6914624613 + 2 * 0.3520653268, 1e-9);
}

TEST(ExpectedImprovementTest, IsNonNegativeAndMonotone) {
  double previous_by_mean = INFINITY;
  for (double mean = -3; mean <= 3; mean += 0.25) {
    double previous_by_spread = -1;
    for (double sd = 0.01; sd <= 3; sd *= 1.5) {
      const double ei = expected_improvement(mean, sd, 0.0);
      EXPECT_GE(ei, 0.0);
      EXPECT_GE(ei, std::max(-mean, 0.0) - 1e-12);  // never below the plain improvement
      EXPECT_GE(ei, previous_by_spread);            // more uncertainty, more to gain
      previous_by_spread = ei;
    }
    const double ei = expected_improvement(mean, 1.0, 0.0);
    EXPECT_LE(ei, previous_by_mean);  // a worse mean gains less
    previous_by_mean = ei;
  }
}

TEST(ExpectedImprovementTest, ExplorationMarginLowersTheGain) {
  EXPECT_LT(expected_improvement(1.0, 1.0, 1.5, 0.1), expected_improvement(1.0, 1.0, 1.5, 0.0));
}

}  // namespace
}  // namespace archml::tune
