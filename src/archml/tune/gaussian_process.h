// Gaussian-process regression with a zero mean and a Matérn 5/2 kernel with one length
// scale per input dimension (automatic relevance determination) plus observation noise.
// The kernel's hyperparameters are either given or fitted by maximising the log marginal
// likelihood (with a weak log-normal prior on the length scales, which keeps fits sane
// when there are only a handful of points). Callers standardise targets themselves.
#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Dense>

namespace archml::tune {

struct KernelParameters {
  std::vector<double> length_scales;  // one per input dimension
  double signal_variance = 1;
  double noise_variance = 1e-6;
};

// k(a, b) = s² (1 + √5 r + 5/3 r²) exp(-√5 r), r the length-scaled distance.
double matern52(const std::vector<double>& a, const std::vector<double>& b,
                const KernelParameters& kernel);

struct Prediction {
  double mean = 0;
  double variance = 0;  // of the latent function, without the observation noise
};

class GaussianProcess {
 public:
  // Conditions on the points with fixed kernel parameters. Points and targets must be
  // non-empty, of equal count, and every point as long as the length scales; a jitter is
  // added to the diagonal if the kernel matrix is numerically singular (duplicates).
  GaussianProcess(std::vector<std::vector<double>> points, std::vector<double> targets,
                  KernelParameters kernel);

  // Fits the kernel parameters by multi-start local search (NLopt BOBYQA on their logs),
  // starting from `start` when given (the previous fit, so refits are cheap and stable).
  static GaussianProcess fit(std::vector<std::vector<double>> points, std::vector<double> targets,
                             std::uint64_t seed, const KernelParameters* start = nullptr);

  Prediction predict(const std::vector<double>& point) const;
  double log_marginal_likelihood() const { return log_marginal_likelihood_; }
  const KernelParameters& kernel() const { return kernel_; }
  const std::vector<std::vector<double>>& points() const { return points_; }
  const std::vector<double>& targets() const { return targets_; }

 private:
  std::vector<std::vector<double>> points_;
  std::vector<double> targets_;
  KernelParameters kernel_;
  Eigen::LLT<Eigen::MatrixXd> cholesky_;
  Eigen::VectorXd alpha_;  // K⁻¹ y
  double log_marginal_likelihood_ = 0;
};

}  // namespace archml::tune
