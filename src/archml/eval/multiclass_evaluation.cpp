#include "archml/eval/multiclass_evaluation.h"

namespace archml::eval {

MulticlassEvaluation evaluate_multiclass(std::span<const double> probabilities, std::size_t classes,
                                         std::span<const std::int32_t> labels) {
  MulticlassEvaluation evaluation;
  evaluation.log_loss = multiclass_log_loss(probabilities, classes, labels);
  evaluation.rows = static_cast<std::int64_t>(labels.size());
  evaluation.classes = classes;
  evaluation.confusion =
      multiclass_confusion(labels, argmax_classes(probabilities, classes), classes);
  evaluation.report = classification_report(evaluation.confusion);
  evaluation.accuracy = evaluation.report.accuracy;
  evaluation.macro_f1 = evaluation.report.macro_avg.f1;
  evaluation.weighted_f1 = evaluation.report.weighted_avg.f1;
  return evaluation;
}

}  // namespace archml::eval
