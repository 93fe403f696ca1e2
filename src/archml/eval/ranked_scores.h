// Scores sorted once, collapsed to distinct thresholds with cumulative label counts.
// ROC, precision-recall, average precision and the cost curve all derive from it, so a
// whole evaluation pays for one sort. Building is O(n) (radix sort); lookups by cutoff
// are O(log distinct).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "archml/eval/confusion.h"

namespace archml::eval {

class RankedScores {
 public:
  // Scores may be any finite values (probabilities or margins); labels are 0/1.
  // Throws archml::Error (invalid input) on NaN/infinite scores, other labels, or
  // mismatched sizes. Empty input is allowed and yields no thresholds.
  RankedScores(std::span<const double> scores, std::span<const std::uint8_t> labels);

  std::size_t rows() const { return static_cast<std::size_t>(positives_ + negatives_); }
  std::int64_t positives() const { return positives_; }
  std::int64_t negatives() const { return negatives_; }

  // Distinct scores, highest first. Entry i of the cumulative counts is the number of
  // positives (true positives) and negatives (false positives) with score >= thresholds[i].
  std::span<const double> thresholds() const { return thresholds_; }
  std::span<const std::int64_t> cumulative_positives() const { return cumulative_positives_; }
  std::span<const std::int64_t> cumulative_negatives() const { return cumulative_negatives_; }

  // The confusion matrix of predicting positive when score >= cutoff.
  ConfusionMatrix confusion_at(double cutoff) const;

 private:
  std::int64_t positives_ = 0;
  std::int64_t negatives_ = 0;
  std::vector<double> thresholds_;
  std::vector<std::int64_t> cumulative_positives_;
  std::vector<std::int64_t> cumulative_negatives_;
};

}  // namespace archml::eval
