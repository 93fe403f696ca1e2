#include "archml/tune/median_stopping_rule.h"

#include <algorithm>
#include <cmath>

namespace archml::tune {

double MedianStoppingRule::loss_before(const Curve& curve, std::size_t lookback) {
  const std::size_t latest = curve.steps.back();
  const std::size_t wanted = latest > lookback ? latest - lookback : 0;
  const auto at = std::lower_bound(curve.steps.begin(), curve.steps.end(), wanted);
  return curve.losses[static_cast<std::size_t>(at - curve.steps.begin())];
}

void MedianStoppingRule::finished(std::size_t trial, bool completed) {
  if (completed) completed_.insert(trial);
}

bool MedianStoppingRule::report(std::size_t trial, std::size_t step, double loss) {
  if (!std::isfinite(loss)) return false;
  Curve& curve = curves_[trial];
  if (!curve.steps.empty() && step <= curve.steps.back()) return false;  // out of order
  curve.running_sum.push_back(loss + (curve.running_sum.empty() ? 0 : curve.running_sum.back()));
  curve.steps.push_back(step);
  curve.losses.push_back(loss);

  if (step < min_step_ || completed_.size() < min_trials_) return false;
  std::vector<double> averages;
  for (const auto& [number, other] : curves_) {
    // The running average up to step r needs the other trial to have reached r.
    if (number == trial || other.steps.empty() || other.steps.back() < step) continue;
    const auto at = std::upper_bound(other.steps.begin(), other.steps.end(), step);
    const std::size_t count = static_cast<std::size_t>(at - other.steps.begin());
    averages.push_back(other.running_sum[count - 1] / static_cast<double>(count));
  }
  if (averages.empty()) return false;
  const std::size_t middle = averages.size() / 2;
  std::nth_element(averages.begin(), averages.begin() + middle, averages.end());
  double median = averages[middle];
  if (averages.size() % 2 == 0)
    median = (median + *std::max_element(averages.begin(), averages.begin() + middle)) / 2;
  if (loss <= median) return false;
  const double recent_gain = loss_before(curve, std::max<std::size_t>(min_step_, 1)) - loss;
  return loss - std::max(recent_gain, 0.0) > median;
}

}  // namespace archml::tune
