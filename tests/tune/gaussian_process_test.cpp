#include "archml/tune/gaussian_process.h"

#include <cmath>
#include <numbers>
#include <random>

#include <gtest/gtest.h>

namespace archml::tune {
namespace {

// Matérn 5/2 with unit length scale and variance, written out independently.
double matern(double r) {
  const double s = std::sqrt(5.0) * r;
  return (1 + s + s * s / 3) * std::exp(-s);
}

// Two noise-free points, x = 0 and x = 1 with targets +1 and -1. By hand: K = [[1, k], [k, 1]]
// with k = matern(1) = 0.5239941; K⁻¹y = (1, -1) / (1 - k); at x the cross covariances are
// matern(x) and matern(1 - x), so mean(x) = (matern(x) - matern(1 - x)) / (1 - k), and
// var(0.5) = 1 - 2 matern(0.5)² / (1 + k).
TEST(GaussianProcessTest, TwoPointPosteriorMatchesHandComputation) {
  KernelParameters kernel{{1.0}, 1.0, 0.0};
  GaussianProcess gp({{0.0}, {1.0}}, {1.0, -1.0}, kernel);
  const double k = matern(1);
  EXPECT_NEAR(k, 0.5239941088, 1e-9);

  const Prediction quarter = gp.predict({0.25});
  EXPECT_NEAR(quarter.mean, (matern(0.25) - matern(0.75)) / (1 - k), 1e-9);
  EXPECT_NEAR(quarter.mean, 0.5783796519, 1e-9);
  EXPECT_NEAR(quarter.variance, 0.0523172769, 1e-9);

  const Prediction middle = gp.predict({0.5});
  EXPECT_NEAR(middle.mean, 0.0, 1e-12);
  EXPECT_NEAR(middle.variance, 1 - 2 * matern(0.5) * matern(0.5) / (1 + k), 1e-9);

  const Prediction at_data = gp.predict({0.0});
  EXPECT_NEAR(at_data.mean, 1.0, 1e-6);
  EXPECT_NEAR(at_data.variance, 0.0, 1e-6);

  // log p(y) = -½ yᵀK⁻¹y - ½ log|K| - log 2π with yᵀK⁻¹y = 2 / (1 - k), |K| = 1 - k².
  const double expected =
      -1.0 / (1 - k) - 0.5 * std::log(1 - k * k) - std::log(2 * std::numbers::pi);
  EXPECT_NEAR(gp.log_marginal_likelihood(), expected, 1e-9);
  EXPECT_NEAR(gp.log_marginal_likelihood(), -3.7781961736, 1e-8);
}

TEST(GaussianProcessTest, FarFromDataThePriorReturns) {
  GaussianProcess gp({{0.0}}, {2.0}, KernelParameters{{0.1}, 3.0, 1e-6});
  const Prediction far = gp.predict({5.0});
  EXPECT_NEAR(far.mean, 0.0, 1e-9);
  EXPECT_NEAR(far.variance, 3.0, 1e-9);
}

TEST(GaussianProcessTest, DuplicatePointsDoNotBreakTheFactorisation) {
  GaussianProcess gp({{0.5}, {0.5}, {0.5}}, {1.0, 1.2, 0.8}, KernelParameters{{0.3}, 1.0, 0.0});
  const Prediction p = gp.predict({0.5});
  EXPECT_TRUE(std::isfinite(p.mean));
  EXPECT_NEAR(p.mean, 1.0, 0.05);
}

TEST(GaussianProcessTest, FittingFindsTheRelevantDimension) {
  // The target varies with the first input only; the fitted length scale of the second,
  // irrelevant input must come out much longer (automatic relevance determination).
  std::vector<std::vector<double>> points;
  std::vector<double> targets;
  std::mt19937_64 random(1);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < 30; ++i) {
    const double a = unit(random), b = unit(random);
    points.push_back({a, b});
    targets.push_back(std::sin(6 * a));
  }
  const double default_lml =
      GaussianProcess(points, targets, KernelParameters{{0.5, 0.5}, 1.0, 1e-3})
          .log_marginal_likelihood();
  GaussianProcess fitted = GaussianProcess::fit(points, targets, 7);
  EXPECT_GT(fitted.log_marginal_likelihood(), default_lml);
  EXPECT_GT(fitted.kernel().length_scales[1], 3 * fitted.kernel().length_scales[0]);
  EXPECT_NEAR(fitted.predict({0.3, 0.9}).mean, std::sin(1.8), 0.1);
}

}  // namespace
}  // namespace archml::tune
