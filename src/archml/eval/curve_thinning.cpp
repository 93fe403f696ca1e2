#include "archml/eval/curve_thinning.h"

#include <algorithm>

namespace archml::eval {

std::vector<std::size_t> corner_indices(std::span<const std::int64_t> x_counts,
                                        std::span<const std::int64_t> y_counts) {
  const std::size_t n = std::min(x_counts.size(), y_counts.size());
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < n; ++i) {
    const bool interior = i > 0 && i + 1 < n;
    const bool collinear = interior &&
                           x_counts[i + 1] - x_counts[i] == x_counts[i] - x_counts[i - 1] &&
                           y_counts[i + 1] - y_counts[i] == y_counts[i] - y_counts[i - 1];
    if (!collinear) kept.push_back(i);
  }
  return kept;
}

}  // namespace archml::eval
