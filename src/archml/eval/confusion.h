// The binary confusion matrix. Convention everywhere in eval: label 1 is the positive
// class, and a row is predicted positive when its score is >= the cutoff (as sklearn's
// thresholds and XGBoost's `pred >= cutoff` do).
#pragma once

#include <cstdint>
#include <span>

namespace archml::eval {

struct ConfusionMatrix {
  std::int64_t tn = 0;
  std::int64_t fp = 0;
  std::int64_t fn = 0;
  std::int64_t tp = 0;

  std::int64_t rows() const { return tn + fp + fn + tp; }
  std::int64_t positives() const { return tp + fn; }
  std::int64_t negatives() const { return tn + fp; }
  std::int64_t predicted_positives() const { return tp + fp; }
  bool operator==(const ConfusionMatrix&) const = default;
};

// Scores must be finite, labels 0/1, sizes equal; otherwise archml::Error (invalid input).
ConfusionMatrix confusion_at_cutoff(std::span<const double> scores,
                                    std::span<const std::uint8_t> labels, double cutoff);
// For a 0/1 prediction column such as a rules engine's flag (e.g. isFlaggedFraud).
ConfusionMatrix confusion_from_predictions(std::span<const std::uint8_t> labels,
                                           std::span<const std::uint8_t> predictions);

// Share of rows predicted correctly; NaN when there are no rows.
double accuracy(const ConfusionMatrix& confusion);

}  // namespace archml::eval
