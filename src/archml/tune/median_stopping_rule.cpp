#include "archml/tune/median_stopping_rule.h"

#include <algorithm>
#include <cmath>

namespace archml::tune {

bool MedianStoppingRule::report(std::size_t trial, std::size_t step, double loss) {
  if (!std::isfinite(loss)) return false;
  Curve& curve = curves_[trial];
  if (!curve.steps.empty() && step <= curve.steps.back()) return false;  // out of order
  curve.running_sum.push_back(loss + (curve.running_sum.empty() ? 0 : curve.running_sum.back()));
  curve.steps.push_back(step);

  if (step < min_step_) return false;
  std::vector<double> averages;
  for (const auto& [number, earlier] : curves_) {
    if (number >= trial) break;
    // The running average up to step r needs the earlier trial to have reached r.
    if (earlier.steps.empty() || earlier.steps.back() < step) continue;
    const auto at = std::upper_bound(earlier.steps.begin(), earlier.steps.end(), step);
    const std::size_t count = static_cast<std::size_t>(at - earlier.steps.begin());
    averages.push_back(earlier.running_sum[count - 1] / static_cast<double>(count));
  }
  if (averages.size() < min_trials_) return false;
  const std::size_t middle = averages.size() / 2;
  std::nth_element(averages.begin(), averages.begin() + middle, averages.end());
  double median = averages[middle];
  if (averages.size() % 2 == 0)
    median = (median + *std::max_element(averages.begin(), averages.begin() + middle)) / 2;
  return loss > median;
}

}  // namespace archml::tune
