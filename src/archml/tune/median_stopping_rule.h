// SageMaker's median stopping rule, what `early_stopping: Auto` applies.
#pragma once

#include <cstddef>
#include <map>
#include <vector>

#include "archml/tune/stopping_rule.h"

namespace archml::tune {

// SageMaker's median rule (early_stopping: Auto): after step r, a trial stops when its
// loss is worse than the median, over earlier-numbered trials that reached step r, of
// their running average loss up to r. Needs `min_trials` such earlier trials to act, so
// the first trials always run to the end, and judges nothing before `min_step`: the first
// rounds of a learning curve (a rare class's PR AUC after one boosting round) say little
// about where it ends.
class MedianStoppingRule : public StoppingRule {
 public:
  explicit MedianStoppingRule(std::size_t min_trials = 3, std::size_t min_step = 1)
      : min_trials_(min_trials), min_step_(min_step) {}
  bool report(std::size_t trial, std::size_t step, double loss) override;

 private:
  struct Curve {
    std::vector<std::size_t> steps;
    std::vector<double> running_sum;  // of losses up to and including steps[i]
  };
  std::size_t min_trials_;
  std::size_t min_step_;
  std::map<std::size_t, Curve> curves_;
};

}  // namespace archml::tune
