// Bayesian optimisation: a space-filling initial design, then each proposal maximises
// expected improvement under a Gaussian-process surrogate (gaussian_process.h) of the
// standardised losses. The maximiser scores a space-filling candidate set plus
// perturbations of the best points, then refines the best few with NLopt's BOBYQA over
// continuous and integer positions (categoricals held), and snaps integers and categories
// before the final choice, so the model only ever sees values a trial can run.
// Running trials enter the model at their predicted mean (kriging believer), so parallel
// proposals spread out. Failed or non-finite trials count as the worst loss seen, which
// steers the search away from where they failed; duplicates are absorbed by the fitted
// noise, and a proposal never repeats a finished configuration nor comes within 0.01 (in
// unit features) of a running one. Right-skewed losses are log-warped first.
#pragma once

#include <cstdint>
#include <optional>
#include <random>

#include "archml/tune/gaussian_process.h"
#include "archml/tune/strategy.h"

namespace archml::tune {

class BayesianStrategy : public Strategy {
 public:
  // `budget` (max_jobs) sizes the initial design: max(4, ranges / 2 + 1), at most a third of
  // the budget, so that most trials are guided by the model.
  BayesianStrategy(const SearchSpace& space, std::uint64_t seed, std::size_t budget);
  std::optional<Configuration> suggest(const std::vector<Observation>& finished,
                                       const std::vector<Configuration>& running) override;
  // After three proposals in a row whose expected improvement is negligible.
  bool converged() const override { return negligible_streak_ >= 3; }

  std::size_t initial_design_size() const { return design_.size(); }

 private:
  // Fits the surrogate on the standardised losses at `points` (the features of
  // `observed`) and maximises expected improvement.
  Configuration model_proposal(const std::vector<std::vector<double>>& points,
                               const std::vector<double>& standardised,
                               const std::vector<Configuration>& observed,
                               const std::vector<Configuration>& running,
                               const std::vector<Configuration>& taken);
  // `observed` lists the configurations of the model's first points, in order.
  Configuration propose(const GaussianProcess& model, double best,
                        const std::vector<Configuration>& observed,
                        const std::vector<Configuration>& running,
                        const std::vector<Configuration>& taken, double& best_ei);
  Configuration fresh_random(const std::vector<Configuration>& taken);

  const SearchSpace& space_;
  std::mt19937_64 random_;
  std::vector<Configuration> design_;
  std::optional<KernelParameters> last_kernel_;
  int negligible_streak_ = 0;
  bool stalled_ = false;  // the best loss did not improve over the last trials
};

}  // namespace archml::tune
