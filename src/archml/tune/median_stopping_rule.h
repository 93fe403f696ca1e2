// SageMaker's median stopping rule, what `early_stopping: Auto` applies.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <vector>

#include "archml/tune/stopping_rule.h"

namespace archml::tune {

// SageMaker's median rule (early_stopping: Auto): after step r, a trial stops when its
// loss is worse than the median, over other trials that reached step r, of their running
// average loss up to r. It acts only once `min_trials` trials have completed their whole
// budget (a median of curves that were themselves cut short, or of the first few trials
// alone, is no yardstick), judges nothing before `min_step` (the first rounds of a
// learning curve, a rare class's PR AUC after one boosting round, say little about where
// it ends), and spares a trial that is still improving: one whose loss, were it to keep
// improving over the next `min_step` steps as it did over the last ones, would beat the
// median.
class MedianStoppingRule : public StoppingRule {
 public:
  explicit MedianStoppingRule(std::size_t min_trials = 3, std::size_t min_step = 1)
      : min_trials_(min_trials), min_step_(min_step) {}
  bool report(std::size_t trial, std::size_t step, double loss) override;
  void finished(std::size_t trial, bool completed) override;

 private:
  struct Curve {
    std::vector<std::size_t> steps;
    std::vector<double> losses;
    std::vector<double> running_sum;  // of losses up to and including steps[i]
  };
  // The trial's loss `lookback` steps before its latest report (its first when shorter).
  static double loss_before(const Curve& curve, std::size_t lookback);

  std::size_t min_trials_;
  std::size_t min_step_;
  std::map<std::size_t, Curve> curves_;
  std::set<std::size_t> completed_;
};

}  // namespace archml::tune
