#include "archml/eval/regression.h"

#include <cmath>
#include <limits>

#include "archml/eval/input_checks.h"

namespace archml::eval {

RegressionMetrics regression_metrics(std::span<const double> predictions,
                                     std::span<const double> targets) {
  require_same_size(targets.size(), predictions.size(), "predictions");
  require_finite(predictions, "predictions");
  require_finite(targets, "targets");
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  RegressionMetrics metrics;
  metrics.rows = static_cast<std::int64_t>(targets.size());
  if (targets.empty()) {
    metrics.rmse = metrics.mae = metrics.r2 = metrics.mape = kNaN;
    return metrics;
  }
  const auto n = static_cast<double>(targets.size());
  double target_sum = 0;
  for (const double target : targets) target_sum += target;
  const double target_mean = target_sum / n;

  double squared_errors = 0;
  double absolute_errors = 0;
  double squared_deviations = 0;
  double relative_errors = 0;
  for (std::size_t row = 0; row < targets.size(); ++row) {
    const double error = predictions[row] - targets[row];
    squared_errors += error * error;
    absolute_errors += std::abs(error);
    const double deviation = targets[row] - target_mean;
    squared_deviations += deviation * deviation;
    if (targets[row] != 0) {
      relative_errors += std::abs(error) / std::abs(targets[row]);
      ++metrics.mape_rows;
    }
  }
  metrics.rmse = std::sqrt(squared_errors / n);
  metrics.mae = absolute_errors / n;
  if (squared_deviations == 0) {
    metrics.r2 = squared_errors == 0 ? 1.0 : 0.0;
  } else {
    metrics.r2 = 1 - squared_errors / squared_deviations;
  }
  metrics.mape =
      metrics.mape_rows == 0 ? kNaN : relative_errors / static_cast<double>(metrics.mape_rows);
  return metrics;
}

}  // namespace archml::eval
