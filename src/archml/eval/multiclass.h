// Multi-class primitives. Classes are indices 0..k-1 (the caller maps names to indices);
// probabilities are an n x k row-major matrix, one row per example, as XGBoost's
// multi:softprob returns them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace archml::eval {

// Rows are actual classes, columns predicted classes (sklearn's confusion_matrix layout).
struct MulticlassConfusion {
  std::size_t classes = 0;
  std::vector<std::int64_t> counts;  // classes x classes, row-major

  std::int64_t at(std::size_t actual, std::size_t predicted) const {
    return counts[actual * classes + predicted];
  }
  std::int64_t rows() const;
};

// Labels and predictions must be class indices in [0, classes) and equal in size; classes
// must be >= 1; otherwise archml::Error (invalid input).
MulticlassConfusion multiclass_confusion(std::span<const std::int32_t> labels,
                                         std::span<const std::int32_t> predictions,
                                         std::size_t classes);

// The most probable class of each row; ties go to the lower index (as numpy's argmax).
// Throws archml::Error when the matrix size is not a multiple of classes or holds NaN.
std::vector<std::int32_t> argmax_classes(std::span<const double> probabilities,
                                         std::size_t classes);

// Share of rows on the diagonal; NaN when there are no rows.
double accuracy(const MulticlassConfusion& confusion);

// Mean negative log-likelihood of the true class, computed as sklearn 1.2's log_loss with
// labels = 0..k-1: clip to [eps, 1 - eps] (kLogLossEpsilon), renormalise each row, then average.
// Probabilities must be finite and >= 0; NaN on empty input.
double multiclass_log_loss(std::span<const double> probabilities, std::size_t classes,
                           std::span<const std::int32_t> labels);

}  // namespace archml::eval
