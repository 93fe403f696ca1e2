#include "archml/eval/probability_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "archml/core/error.h"

namespace archml::eval {
namespace {

using Probabilities = std::vector<double>;
using Labels = std::vector<std::uint8_t>;

TEST(EvalLogLoss, HandComputed) {
  EXPECT_NEAR(log_loss(Probabilities{0.9, 0.2}, Labels{1, 0}), -(std::log(0.9) + std::log(0.8)) / 2,
              1e-15);
}

TEST(EvalLogLoss, ClipsCertainMistakesToAFiniteLoss) {
  // -log(machine epsilon) = 36.04 per confidently wrong row, as sklearn 1.2.
  EXPECT_NEAR(log_loss(Probabilities{1.0}, Labels{0}), -std::log(kLogLossEpsilon), 1e-3);
  EXPECT_NEAR(log_loss(Probabilities{0.0}, Labels{1}), -std::log(kLogLossEpsilon), 1e-3);
  EXPECT_NEAR(log_loss(Probabilities{1.0, 0.0}, Labels{1, 0}), 0.0, 1e-14);
}

TEST(EvalBrierScore, HandComputed) {
  EXPECT_DOUBLE_EQ(brier_score(Probabilities{0.9, 0.2, 0.5}, Labels{1, 0, 1}),
                   (0.01 + 0.04 + 0.25) / 3);
}

TEST(EvalProbabilityMetrics, NaNOnEmptyInput) {
  EXPECT_TRUE(std::isnan(log_loss({}, {})));
  EXPECT_TRUE(std::isnan(brier_score({}, {})));
}

TEST(EvalProbabilityMetrics, RejectMarginsNaNAndSizeMismatch) {
  EXPECT_THROW(log_loss(Probabilities{1.5}, Labels{1}), Error);
  EXPECT_THROW(brier_score(Probabilities{-0.1}, Labels{0}), Error);
  EXPECT_THROW(log_loss(Probabilities{std::nan("")}, Labels{0}), Error);
  EXPECT_THROW(brier_score(Probabilities{0.1, 0.2}, Labels{0}), Error);
}

}  // namespace
}  // namespace archml::eval
