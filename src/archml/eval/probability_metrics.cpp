#include "archml/eval/probability_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "archml/eval/input_checks.h"

namespace archml::eval {

namespace {

void check(std::span<const double> probabilities, std::span<const std::uint8_t> labels) {
  require_same_size(labels.size(), probabilities.size(), "probabilities");
  require_binary_labels(labels, "labels");
  require_probabilities(probabilities, "probabilities");
}

}  // namespace

double log_loss(std::span<const double> probabilities, std::span<const std::uint8_t> labels) {
  check(probabilities, labels);
  if (labels.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (std::size_t row = 0; row < labels.size(); ++row) {
    const double positive = std::clamp(probabilities[row], kLogLossEpsilon, 1 - kLogLossEpsilon);
    const double negative = 1 - positive;
    sum -= std::log((labels[row] ? positive : negative) / (positive + negative));
  }
  return sum / static_cast<double>(labels.size());
}

double brier_score(std::span<const double> probabilities, std::span<const std::uint8_t> labels) {
  check(probabilities, labels);
  if (labels.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (std::size_t row = 0; row < labels.size(); ++row) {
    const double error = probabilities[row] - labels[row];
    sum += error * error;
  }
  return sum / static_cast<double>(labels.size());
}

}  // namespace archml::eval
