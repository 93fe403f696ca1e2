#include "archml/eval/calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "archml/core/error.h"
#include "archml/eval/score_histogram.h"

namespace archml::eval {
namespace {

using Probabilities = std::vector<double>;
using Labels = std::vector<std::uint8_t>;

TEST(EvalCalibrationTable, BinsByProbabilityAndKeepsEmptyBins) {
  const auto table =
      calibration_table(Probabilities{0.05, 0.15, 0.12, 0.95, 1.0}, Labels{0, 1, 0, 1, 1}, 10);
  ASSERT_EQ(table.size(), 10u);
  EXPECT_EQ(table[0].count, 1);
  EXPECT_EQ(table[1].count, 2);
  EXPECT_EQ(table[1].positives, 1);
  EXPECT_DOUBLE_EQ(table[1].mean_predicted, (0.15 + 0.12) / 2);
  EXPECT_DOUBLE_EQ(table[1].observed_rate, 0.5);
  EXPECT_EQ(table[5].count, 0);
  EXPECT_TRUE(std::isnan(table[5].mean_predicted));
  EXPECT_EQ(table[9].count, 2);  // 1.0 belongs to the last bin
  EXPECT_DOUBLE_EQ(table[9].lower, 0.9);
  EXPECT_DOUBLE_EQ(table[9].upper, 1.0);
}

TEST(EvalCalibrationTable, RejectsMarginsAndZeroBins) {
  EXPECT_THROW(calibration_table(Probabilities{1.2}, Labels{1}), Error);
  EXPECT_THROW(calibration_table(Probabilities{0.2}, Labels{1}, 0), Error);
}

TEST(EvalScoreHistogram, SplitsByLabelAndClampsOutliersToEdgeBins) {
  const auto histogram =
      score_histogram(Probabilities{0.0, 0.24, 0.26, 1.0, -3.0, 7.0}, Labels{0, 1, 0, 1, 0, 1}, 4);
  EXPECT_EQ(histogram.negatives, (std::vector<std::int64_t>{2, 1, 0, 0}));
  EXPECT_EQ(histogram.positives, (std::vector<std::int64_t>{1, 0, 0, 2}));
  EXPECT_THROW(score_histogram(Probabilities{0.1}, Labels{0}, 0), Error);
  EXPECT_THROW(score_histogram(Probabilities{0.1}, Labels{0}, 4, 1.0, 1.0), Error);
}

}  // namespace
}  // namespace archml::eval
