#include "archml/boost/objective.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "archml/core/error.h"

namespace archml::boost {
namespace {

// XGBoost 1.7's LogisticClassification: p = sigmoid(m), gradient (p - y) w, hessian
// max(p (1 - p), 1e-16) w with w = scale_pos_weight on positive rows.
TEST(BoostObjective, LogisticGradientsAreXGBoosts) {
  const std::vector<float> margins = {-30, -2, -0.5f, 0, 0.5f, 3, 40};
  const std::vector<float> labels = {0, 1, 0, 1, 1, 0, 1};
  std::vector<GradientPair> out(margins.size());
  compute_gradients(Objective::kBinaryLogistic, margins.data(), labels.data(), 3.0f, margins.size(),
                    out.data());
  for (std::size_t i = 0; i < margins.size(); ++i) {
    const double p = 1 / (1 + std::exp(-static_cast<double>(margins[i])));
    const double w = labels[i] == 1 ? 3 : 1;
    EXPECT_NEAR(out[i].grad, (p - labels[i]) * w, 1e-6) << i;
    EXPECT_NEAR(out[i].hess, std::max(p * (1 - p), 1e-16) * w, 1e-6) << i;
    EXPECT_GT(out[i].hess, 0.0f);
  }
}

TEST(BoostObjective, SquaredErrorGradientsAreTheResiduals) {
  const std::vector<float> margins = {1, 2.5f, -3};
  const std::vector<float> labels = {0, 3, -1};
  std::vector<GradientPair> out(3);
  compute_gradients(Objective::kSquaredError, margins.data(), labels.data(), 1, 3, out.data());
  EXPECT_FLOAT_EQ(out[0].grad, 1);
  EXPECT_FLOAT_EQ(out[1].grad, -0.5f);
  EXPECT_FLOAT_EQ(out[2].grad, -2);
  for (const auto& pair : out) EXPECT_FLOAT_EQ(pair.hess, 1);
}

TEST(BoostObjective, BaseScoreBecomesTheStartingMargin) {
  EXPECT_NEAR(initial_margin(Objective::kBinaryLogistic, 0.5), 0, 1e-7);
  EXPECT_NEAR(transform_margin(Objective::kBinaryLogistic,
                               initial_margin(Objective::kBinaryLogistic, 0.01)),
              0.01, 1e-7);
  EXPECT_FLOAT_EQ(initial_margin(Objective::kSquaredError, 7.5), 7.5f);
}

TEST(BoostObjective, OtherObjectivesAreUnsupported) {
  try {
    parse_objective("multi:softprob");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUnsupported);
  }
}

}  // namespace
}  // namespace archml::boost
