// The business view of a classifier: what each outcome costs, the total cost at each
// cutoff, and the cutoff that minimises it. The cost curve is read off RankedScores, so it
// costs O(cutoffs x log distinct scores) after the one shared sort.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "archml/eval/confusion.h"
#include "archml/eval/ranked_scores.h"

namespace archml::eval {

// The cutoff a probability is read at when nothing better is known.
inline constexpr double kDefaultCutoff = 0.5;

// Cost of one row per outcome, in any currency. The defaults are the workshop's fraud
// example: a missed fraud costs 500, every alert costs 100 to investigate.
struct CostMatrix {
  double tn = 0;
  double fp = 100;
  double fn = 500;
  double tp = 100;
};

double total_cost(const ConfusionMatrix& confusion, const CostMatrix& costs);

struct CostPoint {
  double cutoff = 0;  // rows with score >= cutoff are flagged
  ConfusionMatrix confusion;
  double total_cost = 0;
};

CostPoint cost_at_cutoff(const RankedScores& ranked, const CostMatrix& costs, double cutoff);

// One point per cutoff k / 100 for k = 1..99 (computed as k / 100.0, not by accumulating
// 0.01, so a cutoff prints and compares as the decimal it names).
std::vector<CostPoint> cost_curve(const RankedScores& ranked, const CostMatrix& costs);

// The point of least total cost. Ties, common when no scores fall between two cutoffs,
// go to the cutoff closest to 0.5 (the conventional default, so a flat curve keeps it),
// then to the smaller cutoff. Throws archml::Error (invalid input) on an empty curve.
CostPoint optimal_cutoff(std::span<const CostPoint> curve);

}  // namespace archml::eval
