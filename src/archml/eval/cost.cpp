#include "archml/eval/cost.h"

#include <cmath>

#include "archml/core/error.h"

namespace archml::eval {

namespace {

constexpr int kCutoffSteps = 100;
// Cutoffs like 0.4 and 0.6 are not exactly symmetric around 0.5 in binary; distances
// closer than this count as equal so the tie-break falls to the smaller cutoff.
constexpr double kDistanceTolerance = 1e-12;

}  // namespace

double total_cost(const ConfusionMatrix& confusion, const CostMatrix& costs) {
  return static_cast<double>(confusion.tn) * costs.tn +
         static_cast<double>(confusion.fp) * costs.fp +
         static_cast<double>(confusion.fn) * costs.fn +
         static_cast<double>(confusion.tp) * costs.tp;
}

CostPoint cost_at_cutoff(const RankedScores& ranked, const CostMatrix& costs, double cutoff) {
  CostPoint point{cutoff, ranked.confusion_at(cutoff), 0.0};
  point.total_cost = total_cost(point.confusion, costs);
  return point;
}

std::vector<CostPoint> cost_curve(const RankedScores& ranked, const CostMatrix& costs) {
  std::vector<CostPoint> curve;
  curve.reserve(kCutoffSteps - 1);
  for (int step = 1; step < kCutoffSteps; ++step) {
    curve.push_back(cost_at_cutoff(ranked, costs, step / static_cast<double>(kCutoffSteps)));
  }
  return curve;
}

CostPoint optimal_cutoff(std::span<const CostPoint> curve) {
  if (curve.empty()) throw_invalid("cannot choose a cutoff from an empty cost curve");
  const CostPoint* best = &curve.front();
  for (const CostPoint& point : curve) {
    const double distance = std::abs(point.cutoff - kDefaultCutoff);
    const double best_distance = std::abs(best->cutoff - kDefaultCutoff);
    const bool closer = distance < best_distance - kDistanceTolerance;
    const bool as_close = std::abs(distance - best_distance) <= kDistanceTolerance;
    const bool better = point.total_cost < best->total_cost ||
                        (point.total_cost == best->total_cost &&
                         (closer || (as_close && point.cutoff < best->cutoff)));
    if (better) best = &point;
  }
  return *best;
}

}  // namespace archml::eval
