// Precision against recall as the cutoff falls through every distinct score, and its
// summary, average precision, defined as sklearn's average_precision_score: the step-wise
// sum over thresholds of (recall gained) x (precision there), with no interpolation.
#pragma once

#include <cstddef>
#include <vector>

#include "archml/eval/ranked_scores.h"

namespace archml::eval {

struct PrPoint {
  double recall = 0;
  double precision = 0;
  // Rows with score >= threshold are flagged; +infinity for the (0, 1) start.
  double threshold = 0;
};

// NaN when there are no positives (recall is undefined); 1 when there are no negatives.
double average_precision(const RankedScores& ranked);

// Recall ascending: starts at (recall 0, precision 1) as sklearn's curve ends, then one
// point per distinct threshold down to the lowest score (sklearn 1.2's curve, reversed);
// thinned to at most max_points for charts. Empty when there are no positives.
std::vector<PrPoint> precision_recall_curve(const RankedScores& ranked,
                                            std::size_t max_points = 256);

}  // namespace archml::eval
