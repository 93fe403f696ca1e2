#include "archml/tune/expected_improvement.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace archml::tune {

double expected_improvement(double mean, double stddev, double best, double xi) {
  const double improvement = best - xi - mean;
  if (!(stddev > 1e-12)) return std::max(improvement, 0.0);
  const double z = improvement / stddev;
  const double cdf = 0.5 * std::erfc(-z / std::numbers::sqrt2);
  const double pdf = std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi);
  return std::max(improvement * cdf + stddev * pdf, 0.0);
}

}  // namespace archml::tune
