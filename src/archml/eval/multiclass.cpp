#include "archml/eval/multiclass.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "archml/core/error.h"
#include "archml/eval/input_checks.h"
#include "archml/eval/probability_metrics.h"

namespace archml::eval {

namespace {

std::size_t matrix_rows(std::span<const double> probabilities, std::size_t classes) {
  if (classes == 0) throw_invalid("a multi-class matrix needs at least one class");
  if (probabilities.size() % classes != 0) {
    throw_invalid("probability matrix has " + std::to_string(probabilities.size()) +
                  " values, not a multiple of " + std::to_string(classes) +
                  " classes; pass one row of class probabilities per example");
  }
  return probabilities.size() / classes;
}

}  // namespace

std::int64_t MulticlassConfusion::rows() const {
  return std::accumulate(counts.begin(), counts.end(), std::int64_t{0});
}

MulticlassConfusion multiclass_confusion(std::span<const std::int32_t> labels,
                                         std::span<const std::int32_t> predictions,
                                         std::size_t classes) {
  if (classes == 0) throw_invalid("a confusion matrix needs at least one class");
  require_same_size(labels.size(), predictions.size(), "predictions");
  require_class_indices(labels, classes, "labels");
  require_class_indices(predictions, classes, "predictions");
  MulticlassConfusion confusion{classes, std::vector<std::int64_t>(classes * classes, 0)};
  for (std::size_t row = 0; row < labels.size(); ++row) {
    ++confusion.counts[static_cast<std::size_t>(labels[row]) * classes +
                       static_cast<std::size_t>(predictions[row])];
  }
  return confusion;
}

std::vector<std::int32_t> argmax_classes(std::span<const double> probabilities,
                                         std::size_t classes) {
  const std::size_t rows = matrix_rows(probabilities, classes);
  require_finite(probabilities, "probabilities");
  std::vector<std::int32_t> predicted(rows);
  for (std::size_t row = 0; row < rows; ++row) {
    const auto first = probabilities.begin() + static_cast<std::ptrdiff_t>(row * classes);
    predicted[row] = static_cast<std::int32_t>(
        std::max_element(first, first + static_cast<std::ptrdiff_t>(classes)) - first);
  }
  return predicted;
}

double accuracy(const MulticlassConfusion& confusion) {
  const std::int64_t rows = confusion.rows();
  if (rows == 0) return std::numeric_limits<double>::quiet_NaN();
  std::int64_t correct = 0;
  for (std::size_t c = 0; c < confusion.classes; ++c) correct += confusion.at(c, c);
  return static_cast<double>(correct) / static_cast<double>(rows);
}

double multiclass_log_loss(std::span<const double> probabilities, std::size_t classes,
                           std::span<const std::int32_t> labels) {
  const std::size_t rows = matrix_rows(probabilities, classes);
  require_same_size(labels.size(), rows, "labels");
  require_class_indices(labels, classes, "labels");
  require_finite(probabilities, "probabilities");
  if (rows == 0) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    const auto values = probabilities.subspan(row * classes, classes);
    double row_sum = 0;
    for (const double p : values) {
      if (p < 0) {
        throw_invalid("probabilities at row " + std::to_string(row) +
                      " include a negative value; pass class probabilities, not margins");
      }
      row_sum += std::clamp(p, kLogLossEpsilon, 1 - kLogLossEpsilon);
    }
    const double truth = std::clamp(values[static_cast<std::size_t>(labels[row])], kLogLossEpsilon,
                                    1 - kLogLossEpsilon);
    sum -= std::log(truth / row_sum);
  }
  return sum / static_cast<double>(rows);
}

}  // namespace archml::eval
