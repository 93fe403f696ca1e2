#include "archml/eval/precision_recall.h"

#include <limits>
#include <utility>

#include "archml/eval/curve_thinning.h"

namespace archml::eval {

double average_precision(const RankedScores& ranked) {
  if (ranked.positives() == 0) return std::numeric_limits<double>::quiet_NaN();
  const auto tps = ranked.cumulative_positives();
  const auto fps = ranked.cumulative_negatives();
  double sum = 0;
  std::int64_t previous_tp = 0;
  for (std::size_t i = 0; i < tps.size(); ++i) {
    if (tps[i] == previous_tp) continue;  // no recall gained: the step adds nothing
    const double precision = static_cast<double>(tps[i]) / static_cast<double>(tps[i] + fps[i]);
    sum += static_cast<double>(tps[i] - previous_tp) * precision;
    previous_tp = tps[i];
  }
  return sum / static_cast<double>(ranked.positives());
}

std::vector<PrPoint> precision_recall_curve(const RankedScores& ranked, std::size_t max_points) {
  std::vector<PrPoint> curve;
  if (ranked.positives() == 0) return curve;
  const auto tps = ranked.cumulative_positives();
  const auto fps = ranked.cumulative_negatives();
  const auto thresholds = ranked.thresholds();
  const auto positives = static_cast<double>(ranked.positives());

  // Point 0 is the (recall 0, precision 1) start; point j > 0 is threshold j - 1.
  const auto point_at = [&](std::size_t j) -> PrPoint {
    if (j == 0) return {0.0, 1.0, std::numeric_limits<double>::infinity()};
    const std::size_t i = j - 1;
    return {static_cast<double>(tps[i]) / positives,
            static_cast<double>(tps[i]) / static_cast<double>(tps[i] + fps[i]), thresholds[i]};
  };
  const auto kept = thin_curve(
      tps.size() + 1,
      [&](std::size_t j) {
        const PrPoint point = point_at(j);
        return std::pair{point.recall, point.precision};
      },
      max_points);
  curve.reserve(kept.size());
  for (const std::size_t j : kept) curve.push_back(point_at(j));
  return curve;
}

}  // namespace archml::eval
