#include "archml/tune/gaussian_process.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>

#include <nlopt.hpp>

#include "archml/core/error.h"

namespace archml::tune {
namespace {

constexpr double kMinLengthScale = 0.01, kMaxLengthScale = 20;
constexpr double kMinSignal = 1e-2, kMaxSignal = 1e2;
constexpr double kMinNoise = 1e-8, kMaxNoise = 1;
// Length scales of about half the unit cube are a priori most plausible.
constexpr double kPriorLogLengthScale = -0.7, kPriorLogLengthScaleSd = 1.5;

double log_prior(const KernelParameters& kernel) {
  double total = 0;
  for (double scale : kernel.length_scales) {
    const double z = (std::log(scale) - kPriorLogLengthScale) / kPriorLogLengthScaleSd;
    total -= 0.5 * z * z;
  }
  return total;
}

KernelParameters from_logs(const std::vector<double>& logs) {
  KernelParameters kernel;
  kernel.length_scales.assign(logs.begin(), logs.end() - 2);
  for (double& scale : kernel.length_scales) scale = std::exp(scale);
  kernel.signal_variance = std::exp(logs[logs.size() - 2]);
  kernel.noise_variance = std::exp(logs.back());
  return kernel;
}

std::vector<double> to_logs(const KernelParameters& kernel) {
  std::vector<double> logs;
  for (double scale : kernel.length_scales) logs.push_back(std::log(scale));
  logs.push_back(std::log(kernel.signal_variance));
  logs.push_back(std::log(kernel.noise_variance));
  return logs;
}

struct FitProblem {
  const std::vector<std::vector<double>>* points;
  const std::vector<double>* targets;
};

double fit_objective(const std::vector<double>& logs, std::vector<double>&, void* data) {
  const auto* problem = static_cast<const FitProblem*>(data);
  KernelParameters kernel = from_logs(logs);
  try {
    GaussianProcess gp(*problem->points, *problem->targets, kernel);
    const double value = gp.log_marginal_likelihood() + log_prior(kernel);
    return std::isfinite(value) ? value : -1e300;
  } catch (const std::exception&) {
    return -1e300;
  }
}

}  // namespace

double matern52(const std::vector<double>& a, const std::vector<double>& b,
                const KernelParameters& kernel) {
  double squared = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double d = (a[i] - b[i]) / kernel.length_scales[i];
    squared += d * d;
  }
  const double r = std::sqrt(5.0 * squared);
  return kernel.signal_variance * (1 + r + r * r / 3.0) * std::exp(-r);
}

GaussianProcess::GaussianProcess(std::vector<std::vector<double>> points,
                                 std::vector<double> targets, KernelParameters kernel)
    : points_(std::move(points)), targets_(std::move(targets)), kernel_(std::move(kernel)) {
  const std::size_t n = points_.size();
  if (n == 0 || n != targets_.size())
    throw Error(ErrorKind::kInternal, "GaussianProcess: points and targets differ in count");
  for (const auto& point : points_)
    if (point.size() != kernel_.length_scales.size())
      throw Error(ErrorKind::kInternal, "GaussianProcess: a point has the wrong dimension");
  Eigen::MatrixXd k(n, n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j <= i; ++j)
      k(i, j) = k(j, i) = matern52(points_[i], points_[j], kernel_);
  double jitter = 0;
  for (int attempt = 0; attempt < 8; ++attempt) {
    Eigen::MatrixXd noisy = k;
    noisy.diagonal().array() += kernel_.noise_variance + jitter;
    cholesky_.compute(noisy);
    if (cholesky_.info() == Eigen::Success) break;
    jitter = jitter == 0 ? 1e-10 * kernel_.signal_variance : jitter * 10;
  }
  if (cholesky_.info() != Eigen::Success)
    throw Error(ErrorKind::kInternal, "GaussianProcess: kernel matrix is not positive definite");
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(targets_.data(), n);
  alpha_ = cholesky_.solve(y);
  const Eigen::MatrixXd l = cholesky_.matrixL();
  log_marginal_likelihood_ = -0.5 * y.dot(alpha_) - l.diagonal().array().log().sum() -
                             0.5 * static_cast<double>(n) * std::log(2 * std::numbers::pi);
}

Prediction GaussianProcess::predict(const std::vector<double>& point) const {
  const std::size_t n = points_.size();
  Eigen::VectorXd cross(n);
  for (std::size_t i = 0; i < n; ++i) cross(i) = matern52(point, points_[i], kernel_);
  Prediction prediction;
  prediction.mean = cross.dot(alpha_);
  const Eigen::VectorXd v = cholesky_.matrixL().solve(cross);
  prediction.variance = std::max(0.0, kernel_.signal_variance - v.squaredNorm());
  return prediction;
}

GaussianProcess GaussianProcess::fit(std::vector<std::vector<double>> points,
                                     std::vector<double> targets, std::uint64_t seed,
                                     const KernelParameters* start) {
  if (points.empty())
    throw Error(ErrorKind::kInternal, "GaussianProcess::fit needs at least one point");
  const std::size_t dimensions = points.front().size();
  std::vector<double> lower, upper;
  for (std::size_t i = 0; i < dimensions; ++i) {
    lower.push_back(std::log(kMinLengthScale));
    upper.push_back(std::log(kMaxLengthScale));
  }
  lower.push_back(std::log(kMinSignal));
  upper.push_back(std::log(kMaxSignal));
  lower.push_back(std::log(kMinNoise));
  upper.push_back(std::log(kMaxNoise));

  KernelParameters initial{std::vector<double>(dimensions, 0.5), 1.0, 1e-3};
  std::vector<std::vector<double>> starts = {to_logs(initial)};
  if (start != nullptr && start->length_scales.size() == dimensions) {
    std::vector<double> logs = to_logs(*start);
    for (std::size_t i = 0; i < logs.size(); ++i) logs[i] = std::clamp(logs[i], lower[i], upper[i]);
    starts.push_back(logs);
  }
  std::mt19937_64 random(seed);
  std::vector<double> random_start(lower.size());
  for (std::size_t i = 0; i < lower.size(); ++i)
    random_start[i] = std::uniform_real_distribution<double>(
        lower[i] + 0.25 * (upper[i] - lower[i]), upper[i] - 0.25 * (upper[i] - lower[i]))(random);
  starts.push_back(random_start);

  FitProblem problem{&points, &targets};
  std::vector<double> best_logs = starts.front();
  double best_value = -std::numeric_limits<double>::infinity();
  for (auto logs : starts) {
    nlopt::opt optimiser(nlopt::LN_BOBYQA, static_cast<unsigned>(logs.size()));
    optimiser.set_lower_bounds(lower);
    optimiser.set_upper_bounds(upper);
    optimiser.set_max_objective(fit_objective, &problem);
    optimiser.set_maxeval(static_cast<int>(60 + 20 * logs.size()));
    optimiser.set_xtol_rel(1e-4);
    double value = -std::numeric_limits<double>::infinity();
    try {
      optimiser.optimize(logs, value);
    } catch (const std::exception&) {
      // BOBYQA gives up on round-off; the point it reached is still usable.
      std::vector<double> unused;
      value = fit_objective(logs, unused, &problem);
    }
    if (value > best_value) {
      best_value = value;
      best_logs = logs;
    }
  }
  return GaussianProcess(std::move(points), std::move(targets), from_logs(best_logs));
}

}  // namespace archml::tune
