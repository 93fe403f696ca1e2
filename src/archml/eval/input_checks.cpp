#include "archml/eval/input_checks.h"

#include <cmath>
#include <string>

#include "archml/core/error.h"

namespace archml::eval {

namespace {

std::string row_text(std::size_t row) {
  return "row " + std::to_string(row);
}

}  // namespace

void require_same_size(std::size_t expected, std::size_t actual, std::string_view what) {
  if (expected == actual) return;
  throw_invalid(std::string(what) + " has " + std::to_string(actual) + " values but " +
                std::to_string(expected) + " were expected; pass one value per row");
}

void require_finite(std::span<const double> values, std::string_view what) {
  for (std::size_t row = 0; row < values.size(); ++row) {
    if (std::isfinite(values[row])) continue;
    throw_invalid(std::string(what) + " at " + row_text(row) + " is " +
                  (std::isnan(values[row]) ? "NaN" : "infinite") +
                  "; metrics need finite values, so check the model input for that row");
  }
}

void require_probabilities(std::span<const double> values, std::string_view what) {
  require_finite(values, what);
  for (std::size_t row = 0; row < values.size(); ++row) {
    if (values[row] >= 0.0 && values[row] <= 1.0) continue;
    throw_invalid(std::string(what) + " at " + row_text(row) + " is " +
                  std::to_string(values[row]) +
                  ", outside [0, 1]; this metric needs probabilities, not raw margins");
  }
}

void require_binary_labels(std::span<const std::uint8_t> labels, std::string_view what) {
  for (std::size_t row = 0; row < labels.size(); ++row) {
    if (labels[row] <= 1) continue;
    throw_invalid(std::string(what) + " at " + row_text(row) + " is " +
                  std::to_string(labels[row]) + "; binary labels must be 0 or 1");
  }
}

void require_class_indices(std::span<const std::int32_t> labels, std::size_t classes,
                           std::string_view what) {
  for (std::size_t row = 0; row < labels.size(); ++row) {
    if (labels[row] >= 0 && static_cast<std::size_t>(labels[row]) < classes) continue;
    throw_invalid(std::string(what) + " at " + row_text(row) + " is " +
                  std::to_string(labels[row]) + "; class indices must be within [0, " +
                  std::to_string(classes) + ")");
  }
}

}  // namespace archml::eval
