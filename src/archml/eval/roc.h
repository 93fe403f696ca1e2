// Receiver operating characteristic: true positive rate against false positive rate as
// the cutoff falls through every distinct score. Ties are one step (a diagonal segment),
// so the AUC equals sklearn's roc_auc_score: the trapezoid rule over distinct thresholds,
// i.e. the probability that a random positive outscores a random negative, ties counting 1/2.
#pragma once

#include <cstddef>
#include <vector>

#include "archml/eval/ranked_scores.h"

namespace archml::eval {

struct RocPoint {
  double false_positive_rate = 0;
  double true_positive_rate = 0;
  // Rows with score >= threshold are flagged; +infinity for the (0, 0) start.
  double threshold = 0;
};

// NaN when positives or negatives are absent (sklearn raises; the AUC is undefined).
// Computed from integer counts, so it is exact up to one final division.
double roc_auc(const RankedScores& ranked);

// Starts at (0, 0) and ends at (1, 1); points lying on a straight segment between their
// neighbours are dropped (as sklearn's drop_intermediate), then the rest thinned to at
// most max_points for charts. Empty when either class is absent.
std::vector<RocPoint> roc_curve(const RankedScores& ranked, std::size_t max_points = 256);

}  // namespace archml::eval
