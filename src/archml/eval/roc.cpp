#include "archml/eval/roc.h"

#include <limits>
#include <utility>

#include "archml/eval/curve_thinning.h"

namespace archml::eval {

double roc_auc(const RankedScores& ranked) {
  if (ranked.positives() == 0 || ranked.negatives() == 0) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const auto tps = ranked.cumulative_positives();
  const auto fps = ranked.cumulative_negatives();
  // Twice the trapezoid area in count units; at most 2 * P * N, well inside 64 bits for
  // any table that fits in memory.
  std::int64_t doubled_area = 0;
  std::int64_t previous_tp = 0;
  std::int64_t previous_fp = 0;
  for (std::size_t i = 0; i < tps.size(); ++i) {
    doubled_area += (fps[i] - previous_fp) * (tps[i] + previous_tp);
    previous_tp = tps[i];
    previous_fp = fps[i];
  }
  return static_cast<double>(doubled_area) /
         (2.0 * static_cast<double>(ranked.positives()) * static_cast<double>(ranked.negatives()));
}

std::vector<RocPoint> roc_curve(const RankedScores& ranked, std::size_t max_points) {
  std::vector<RocPoint> curve;
  if (ranked.positives() == 0 || ranked.negatives() == 0) return curve;
  const auto tps = ranked.cumulative_positives();
  const auto fps = ranked.cumulative_negatives();
  const auto thresholds = ranked.thresholds();
  const auto positives = static_cast<double>(ranked.positives());
  const auto negatives = static_cast<double>(ranked.negatives());

  const std::vector<std::size_t> corners = corner_indices(fps, tps);
  // Point 0 is the (0, 0) start; point j > 0 is corner j - 1.
  const auto point_at = [&](std::size_t j) -> RocPoint {
    if (j == 0) return {0.0, 0.0, std::numeric_limits<double>::infinity()};
    const std::size_t i = corners[j - 1];
    return {static_cast<double>(fps[i]) / negatives, static_cast<double>(tps[i]) / positives,
            thresholds[i]};
  };
  const auto kept = thin_curve(
      corners.size() + 1,
      [&](std::size_t j) {
        const RocPoint point = point_at(j);
        return std::pair{point.false_positive_rate, point.true_positive_rate};
      },
      max_points);
  curve.reserve(kept.size());
  for (const std::size_t j : kept) curve.push_back(point_at(j));
  return curve;
}

}  // namespace archml::eval
