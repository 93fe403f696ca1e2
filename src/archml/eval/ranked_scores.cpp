#include "archml/eval/ranked_scores.h"

#include <algorithm>

#include "archml/eval/input_checks.h"
#include "archml/eval/sortable_keys.h"

namespace archml::eval {

RankedScores::RankedScores(std::span<const double> scores, std::span<const std::uint8_t> labels) {
  require_same_size(labels.size(), scores.size(), "scores");
  require_binary_labels(labels, "labels");
  require_finite(scores, "scores");

  // Sorting positives and negatives apart keeps the keys bare (no label payload), and a
  // merge of the two sorted runs groups ties across labels for free.
  std::size_t positive_count = 0;
  for (const std::uint8_t label : labels) positive_count += label;
  std::vector<std::uint64_t> positive_keys;
  std::vector<std::uint64_t> negative_keys;
  positive_keys.reserve(positive_count);
  negative_keys.reserve(scores.size() - positive_count);
  for (std::size_t row = 0; row < scores.size(); ++row) {
    (labels[row] ? positive_keys : negative_keys).push_back(ordered_key(scores[row]));
  }
  positives_ = static_cast<std::int64_t>(positive_keys.size());
  negatives_ = static_cast<std::int64_t>(negative_keys.size());
  radix_sort(positive_keys);
  radix_sort(negative_keys);

  // Reserving for the worst case (all scores distinct) avoids regrowing three vectors of
  // up to a million entries each.
  thresholds_.reserve(scores.size());
  cumulative_positives_.reserve(scores.size());
  cumulative_negatives_.reserve(scores.size());
  // Walk both runs from the top (highest score) down.
  std::size_t next_positive = positive_keys.size();
  std::size_t next_negative = negative_keys.size();
  std::int64_t true_positives = 0;
  std::int64_t false_positives = 0;
  while (next_positive > 0 || next_negative > 0) {
    std::uint64_t key = 0;
    if (next_positive > 0) key = positive_keys[next_positive - 1];
    if (next_negative > 0) key = std::max(key, negative_keys[next_negative - 1]);
    while (next_positive > 0 && positive_keys[next_positive - 1] == key) {
      --next_positive;
      ++true_positives;
    }
    while (next_negative > 0 && negative_keys[next_negative - 1] == key) {
      --next_negative;
      ++false_positives;
    }
    thresholds_.push_back(from_ordered_key(key));
    cumulative_positives_.push_back(true_positives);
    cumulative_negatives_.push_back(false_positives);
  }
}

ConfusionMatrix RankedScores::confusion_at(double cutoff) const {
  // Thresholds descend, so those >= cutoff form a prefix.
  const auto flagged = static_cast<std::size_t>(
      std::partition_point(thresholds_.begin(), thresholds_.end(),
                           [cutoff](double threshold) { return threshold >= cutoff; }) -
      thresholds_.begin());
  ConfusionMatrix confusion;
  if (flagged > 0) {
    confusion.tp = cumulative_positives_[flagged - 1];
    confusion.fp = cumulative_negatives_[flagged - 1];
  }
  confusion.fn = positives_ - confusion.tp;
  confusion.tn = negatives_ - confusion.fp;
  return confusion;
}

}  // namespace archml::eval
