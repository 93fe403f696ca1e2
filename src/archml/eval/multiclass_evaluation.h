// Everything `archml evaluate` reports for a multi-class classifier: log loss, and the
// confusion matrix and classification report of the most probable class.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "archml/eval/classification_report.h"
#include "archml/eval/multiclass.h"

namespace archml::eval {

struct MulticlassEvaluation {
  std::int64_t rows = 0;
  std::size_t classes = 0;
  double log_loss = 0;  // see multiclass_log_loss
  double accuracy = 0;
  double macro_f1 = 0;
  double weighted_f1 = 0;
  MulticlassConfusion confusion;
  ClassificationReport report;
};

// probabilities: rows x classes, row-major; labels: class indices. Errors as in multiclass.h.
MulticlassEvaluation evaluate_multiclass(std::span<const double> probabilities, std::size_t classes,
                                         std::span<const std::int32_t> labels);

}  // namespace archml::eval
