// Decides, as a trial reports its loss step by step, whether it should stop now. Rules
// see every trial's reports in trial-number order of arrival; the tuner serialises calls.
#pragma once

#include <cstddef>

namespace archml::tune {

class StoppingRule {
 public:
  virtual ~StoppingRule() = default;
  // Records the loss (lower is better) of `trial` after `step` steps and says whether the
  // trial should stop. Non-finite losses are recorded as nothing and never stop a trial.
  virtual bool report(std::size_t trial, std::size_t step, double loss) = 0;
  // `trial` ended: `completed` when it ran its whole budget (not stopped, not failed).
  virtual void finished(std::size_t /*trial*/, bool /*completed*/) {}
};

}  // namespace archml::tune
