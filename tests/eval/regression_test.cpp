#include "archml/eval/regression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "archml/core/error.h"

namespace archml::eval {
namespace {

using Values = std::vector<double>;

TEST(EvalRegressionMetrics, HandComputed) {
  const RegressionMetrics metrics = regression_metrics(Values{1, 2, 3, 5}, Values{1, 2, 3, 4});
  EXPECT_EQ(metrics.rows, 4);
  EXPECT_DOUBLE_EQ(metrics.rmse, 0.5);
  EXPECT_DOUBLE_EQ(metrics.mae, 0.25);
  EXPECT_DOUBLE_EQ(metrics.r2, 0.8);  // 1 - 1 / 5
  EXPECT_DOUBLE_EQ(metrics.mape, 0.0625);
  EXPECT_EQ(metrics.mape_rows, 4);
}

TEST(EvalRegressionMetrics, MapeSkipsZeroTargets) {
  const RegressionMetrics metrics = regression_metrics(Values{1, 3}, Values{0, 2});
  EXPECT_DOUBLE_EQ(metrics.mape, 0.5);
  EXPECT_EQ(metrics.mape_rows, 1);
  EXPECT_TRUE(std::isnan(regression_metrics(Values{1}, Values{0}).mape));
}

TEST(EvalRegressionMetrics, ConstantTargetKeepsR2Finite) {
  EXPECT_EQ(regression_metrics(Values{3, 3}, Values{3, 3}).r2, 1.0);
  EXPECT_EQ(regression_metrics(Values{3, 4}, Values{3, 3}).r2, 0.0);
}

TEST(EvalRegressionMetrics, EmptyIsNaNAndBadInputThrows) {
  const RegressionMetrics empty = regression_metrics({}, {});
  EXPECT_TRUE(std::isnan(empty.rmse));
  EXPECT_TRUE(std::isnan(empty.r2));
  EXPECT_THROW(regression_metrics(Values{1, 2}, Values{1}), Error);
  EXPECT_THROW(regression_metrics(Values{std::nan("")}, Values{1}), Error);
}

}  // namespace
}  // namespace archml::eval
