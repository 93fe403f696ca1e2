#include "archml/tune/asha.h"

#include <algorithm>
#include <cmath>

#include "archml/core/error.h"

namespace archml::tune {

AshaRule::AshaRule(std::size_t max_steps, std::size_t reduction_factor, std::size_t brackets)
    : max_steps_(max_steps), eta_(reduction_factor), brackets_(brackets) {
  if (eta_ < 2) throw_invalid("Hyperband: reduction_factor must be at least 2");
  if (brackets_ < 1) throw_invalid("Hyperband: brackets must be at least 1");
  min_steps_ = std::max<std::size_t>(1, max_steps_ / (eta_ * eta_ * eta_));
}

std::vector<std::size_t> AshaRule::rungs(std::size_t bracket) const {
  std::vector<std::size_t> out;
  std::size_t rung = min_steps_;
  for (std::size_t k = 0; k < bracket; ++k) rung *= eta_;
  // Without a known budget, rungs go on to a generous bound (the trial ends first).
  const std::size_t limit = max_steps_ > 0 ? max_steps_ : 1'000'000'000;
  // The last bracket is plain random search at full budget, as in Hyperband.
  if (bracket + 1 == brackets_ && brackets_ > 1) return out;
  for (; rung < limit; rung *= eta_) out.push_back(rung);
  return out;
}

bool AshaRule::report(std::size_t trial, std::size_t step, double loss) {
  if (!std::isfinite(loss) || trial == 0) return false;
  const std::size_t bracket = bracket_of(trial);
  const std::vector<std::size_t> bracket_rungs = rungs(bracket);
  std::size_t& next = next_rung_[trial];
  bool stop = false;
  // A trial that reports sparsely may pass several rungs at once; each one judges it.
  while (next < bracket_rungs.size() && step >= bracket_rungs[next] && !stop) {
    auto& values = recorded_[{bracket, bracket_rungs[next]}];
    if (!values.empty()) {
      std::vector<double> sorted = values;
      std::sort(sorted.begin(), sorted.end());
      // The loss a trial must match to be in the top 1/η of those recorded.
      const std::size_t keep = std::max<std::size_t>(1, sorted.size() / eta_);
      stop = loss > sorted[keep - 1];
    }
    values.push_back(loss);
    ++next;
  }
  return stop;
}

}  // namespace archml::tune
