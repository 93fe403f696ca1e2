// Everything `archml evaluate` reports for a binary classifier, computed with one sort:
// threshold-free metrics, the confusion matrix and report at the chosen cutoff, charts'
// curves, and the business view (cost curve, its optimum, the cost at the default 0.5
// cutoff and of an optional rules baseline). The chosen cutoff normally comes from the
// validation split; `optimal` here is the hindsight optimum on these rows, for comparison.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "archml/eval/calibration.h"
#include "archml/eval/classification_report.h"
#include "archml/eval/confusion.h"
#include "archml/eval/cost.h"
#include "archml/eval/operating_point.h"
#include "archml/eval/precision_recall.h"
#include "archml/eval/roc.h"
#include "archml/eval/score_histogram.h"

namespace archml::eval {

struct BinaryEvaluationOptions {
  double cutoff = 0.5;  // rows with probability >= cutoff are flagged
  CostMatrix costs;
  std::size_t curve_points = 256;  // per ROC / PR curve, for charts
  std::size_t histogram_bins = 20;
  std::size_t calibration_bins = 10;
};

struct BinaryEvaluation {
  std::int64_t rows = 0;
  std::int64_t positives = 0;
  double roc_auc = 0;            // NaN with one class only
  double average_precision = 0;  // NaN without positives
  double log_loss = 0;
  double brier = 0;
  double accuracy = 0;  // at the cutoff
  double cutoff = 0;
  ConfusionMatrix confusion;    // at the cutoff
  ClassificationReport report;  // at the cutoff
  std::vector<RocPoint> roc;
  std::vector<PrPoint> precision_recall;
  ScoreHistogram histogram;
  std::vector<CalibrationBin> calibration;
  std::vector<CostPoint> cost_curve;  // cutoffs 0.01..0.99
  CostPoint optimal;                  // least cost on the curve (see optimal_cutoff)
  OperatingPoint at_cutoff;
  OperatingPoint at_default_cutoff;  // 0.5
  OperatingPoint at_optimal;
  std::optional<OperatingPoint> baseline;  // when baseline predictions were given
};

// Probabilities in [0, 1], labels and an optional 0/1 baseline column (e.g. a rules
// engine's isFlaggedFraud) of equal size; otherwise archml::Error (invalid input).
BinaryEvaluation evaluate_binary(
    std::span<const double> probabilities, std::span<const std::uint8_t> labels,
    const BinaryEvaluationOptions& options = {},
    std::optional<std::span<const std::uint8_t>> baseline_predictions = std::nullopt);

}  // namespace archml::eval
