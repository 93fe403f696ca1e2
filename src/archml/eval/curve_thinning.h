// Thinning a computed curve for charts: a million-point ROC curve is exact but too heavy
// for an HTML page. Thinning keeps points spaced evenly along the curve's length, so
// steep and flat stretches keep their shape; the first and last points always stay.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <utility>
#include <vector>

namespace archml::eval {

// Drops points that lie on the straight segment between their neighbours because both
// coordinates' counts move at a constant rate (sklearn's drop_intermediate). The counts
// are integers so the test is exact. Returns the indices kept, ascending.
std::vector<std::size_t> corner_indices(std::span<const std::int64_t> x_counts,
                                        std::span<const std::int64_t> y_counts);

// Indices (ascending) of at most max(max_points, 2) of `count` points, spaced evenly by
// L1 path length; all indices when there are few enough points. point_at(i) returns the
// point's (x, y) as a std::pair<double, double>; it is called lazily so a million-point
// curve need not be materialised to be thinned.
template <typename PointAt>
std::vector<std::size_t> thin_curve(std::size_t count, PointAt point_at, std::size_t max_points) {
  max_points = std::max<std::size_t>(max_points, 2);
  std::vector<std::size_t> kept;
  if (count <= max_points) {
    kept.resize(count);
    std::iota(kept.begin(), kept.end(), std::size_t{0});
    return kept;
  }
  const auto step = [&](std::size_t i) {
    const auto [x0, y0] = point_at(i - 1);
    const auto [x1, y1] = point_at(i);
    return std::abs(x1 - x0) + std::abs(y1 - y0);
  };
  double length = 0;
  for (std::size_t i = 1; i < count; ++i) length += step(i);
  // Interior points at least `spacing` apart along the path number at most max_points - 2,
  // which leaves room for both ends.
  const double spacing = length / static_cast<double>(max_points - 2);
  kept.push_back(0);
  double travelled = 0;
  for (std::size_t i = 1; i + 1 < count; ++i) {
    travelled += step(i);
    if (spacing > 0 && travelled >= spacing) {
      kept.push_back(i);
      travelled = 0;
    }
  }
  // Rounding in the running sums could admit one extra point; the end point must stay.
  if (kept.size() >= max_points) kept.resize(max_points - 1);
  kept.push_back(count - 1);
  return kept;
}

}  // namespace archml::eval
