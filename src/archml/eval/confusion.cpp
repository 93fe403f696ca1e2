#include "archml/eval/confusion.h"

#include <limits>

#include "archml/eval/input_checks.h"

namespace archml::eval {

namespace {

void count(ConfusionMatrix& confusion, bool actual, bool predicted) {
  if (actual) {
    ++(predicted ? confusion.tp : confusion.fn);
  } else {
    ++(predicted ? confusion.fp : confusion.tn);
  }
}

}  // namespace

ConfusionMatrix confusion_at_cutoff(std::span<const double> scores,
                                    std::span<const std::uint8_t> labels, double cutoff) {
  require_same_size(labels.size(), scores.size(), "scores");
  require_binary_labels(labels, "labels");
  require_finite(scores, "scores");
  ConfusionMatrix confusion;
  for (std::size_t row = 0; row < scores.size(); ++row) {
    count(confusion, labels[row] == 1, scores[row] >= cutoff);
  }
  return confusion;
}

ConfusionMatrix confusion_from_predictions(std::span<const std::uint8_t> labels,
                                           std::span<const std::uint8_t> predictions) {
  require_same_size(labels.size(), predictions.size(), "predictions");
  require_binary_labels(labels, "labels");
  require_binary_labels(predictions, "predictions");
  ConfusionMatrix confusion;
  for (std::size_t row = 0; row < labels.size(); ++row) {
    count(confusion, labels[row] == 1, predictions[row] == 1);
  }
  return confusion;
}

double accuracy(const ConfusionMatrix& confusion) {
  if (confusion.rows() == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(confusion.tp + confusion.tn) / static_cast<double>(confusion.rows());
}

}  // namespace archml::eval
