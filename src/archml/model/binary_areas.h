// ROC AUC and PR AUC of binary scores, to the bit as XGBoost 1.7's `auc` and `aucpr`
// evaluation metrics compute them (unweighted rows, labels 0 or 1), but without their
// sort. XGBoost argsorts every score each round (a stable merge sort over indices): on a
// 200,000-row validation set that was a third of a 100-round single-thread training run.
//
// Both areas are sums over the distinct scores in descending order, and only the scores
// of positive rows need that order: a run of negatives between two positive scores adds
// nothing to the PR area and exactly (run length) x (positives above) to the ROC area.
// So the positives' distinct scores are sorted and every negative is only counted into
// the gap or tie it falls in (a binary search), O(n log P) for P positives. With unit
// weights every partial sum is an integer or a half-integer, exact in a double, so the
// different summation order gives the double XGBoost computes, bit for bit (XGBoost then
// prints it with 17 decimals: see as_xgboost_reports in booster.h).
#pragma once

#include <span>

namespace archml::model {

struct BinaryAreas {
  double roc_auc;  // NaN when one class is absent, as XGBoost reports it
  double pr_auc;   // XGBoost's interpolated PR area (Davis & Goadrich); NaN likewise
};

// `labels` must be 0 or 1 (checked: throws archml::Error otherwise), one per score.
// Counts the negatives on up to `threads` threads.
BinaryAreas binary_areas(std::span<const float> scores, std::span<const float> labels,
                         unsigned threads = 1);

}  // namespace archml::model
