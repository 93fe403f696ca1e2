#include "archml/eval/binary_evaluation.h"

#include "archml/eval/input_checks.h"
#include "archml/eval/probability_metrics.h"
#include "archml/eval/ranked_scores.h"

namespace archml::eval {

BinaryEvaluation evaluate_binary(
    std::span<const double> probabilities, std::span<const std::uint8_t> labels,
    const BinaryEvaluationOptions& options,
    std::optional<std::span<const std::uint8_t>> baseline_predictions) {
  require_same_size(labels.size(), probabilities.size(), "probabilities");
  require_probabilities(probabilities, "probabilities");
  const RankedScores ranked(probabilities, labels);

  BinaryEvaluation evaluation;
  evaluation.rows = static_cast<std::int64_t>(ranked.rows());
  evaluation.positives = ranked.positives();
  evaluation.roc_auc = roc_auc(ranked);
  evaluation.average_precision = average_precision(ranked);
  evaluation.log_loss = log_loss(probabilities, labels);
  evaluation.brier = brier_score(probabilities, labels);
  evaluation.cutoff = options.cutoff;
  evaluation.confusion = ranked.confusion_at(options.cutoff);
  evaluation.accuracy = accuracy(evaluation.confusion);
  evaluation.report = classification_report(evaluation.confusion);
  evaluation.roc = roc_curve(ranked, options.curve_points);
  evaluation.precision_recall = precision_recall_curve(ranked, options.curve_points);
  evaluation.histogram = score_histogram(probabilities, labels, options.histogram_bins);
  evaluation.calibration = calibration_table(probabilities, labels, options.calibration_bins);
  evaluation.cost_curve = cost_curve(ranked, options.costs);
  evaluation.optimal = optimal_cutoff(evaluation.cost_curve);
  evaluation.at_cutoff = operating_point(evaluation.confusion, options.costs);
  evaluation.at_default_cutoff =
      operating_point(ranked.confusion_at(kDefaultCutoff), options.costs);
  evaluation.at_optimal = operating_point(evaluation.optimal.confusion, options.costs);
  if (baseline_predictions) {
    evaluation.baseline =
        operating_point(confusion_from_predictions(labels, *baseline_predictions), options.costs);
  }
  return evaluation;
}

}  // namespace archml::eval
