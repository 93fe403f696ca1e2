// Regression metrics of predictions against targets. Both must be finite and equal in
// size (otherwise archml::Error, invalid input); every metric is NaN on empty input.
#pragma once

#include <cstdint>
#include <span>

namespace archml::eval {

struct RegressionMetrics {
  std::int64_t rows = 0;
  double rmse = 0;
  double mae = 0;
  // 1 - residual / total sum of squares. A constant target makes it 1 for a perfect fit
  // and 0 otherwise (sklearn's force_finite default) instead of dividing by zero.
  double r2 = 0;
  // Mean |error| / |target| as a fraction (0.05 = 5%), over rows whose target is non-zero:
  // sklearn divides by machine epsilon there, which buries the mean in 1e15-sized terms.
  // NaN when every target is zero.
  double mape = 0;
  std::int64_t mape_rows = 0;  // rows MAPE averaged over
};

RegressionMetrics regression_metrics(std::span<const double> predictions,
                                     std::span<const double> targets);

}  // namespace archml::eval
