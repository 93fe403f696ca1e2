// The evaluation as one self-contained HTML page (inline SVG, no scripts, no network):
// headline metrics, the confusion matrix and classification report, curves, score
// histogram, calibration and, for binary classifiers, the business view of cost against
// cutoff. Rendering only; the numbers come from evaluate_binary, evaluate_multiclass and
// regression_metrics.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "archml/eval/binary_evaluation.h"
#include "archml/eval/business_view.h"
#include "archml/eval/multiclass_evaluation.h"
#include "archml/eval/regression.h"

namespace archml::eval {

struct EvaluationPageContext {
  std::string title = "Evaluation";
  // Where the numbers come from (model, data file, split, rows ...), listed first as is.
  std::vector<std::pair<std::string, std::string>> facts;
  // Display names of classes 0..k-1; missing names show as the index.
  std::vector<std::string> class_names;
  BusinessWords words;  // binary only
  CostMatrix costs;     // binary only: the matrix the evaluation was costed with
};

std::string render_binary_evaluation_html(const BinaryEvaluation& evaluation,
                                          const EvaluationPageContext& context);
std::string render_multiclass_evaluation_html(const MulticlassEvaluation& evaluation,
                                              const EvaluationPageContext& context);
std::string render_regression_evaluation_html(const RegressionMetrics& metrics,
                                              const EvaluationPageContext& context);

}  // namespace archml::eval
