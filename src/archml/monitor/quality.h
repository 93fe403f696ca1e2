// Model quality on live traffic (docs/monitor.md): a binary model's scores of captured
// inferences, joined to labels that arrived later, as metrics against the baseline's
// (the validation metrics the bundle recorded). A metric below the baseline's by more
// than `tolerance` is a violation (SageMaker's model-quality checks, check type
// "model_quality_check").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "archml/monitor/checks.h"

namespace archml::monitor {

struct QualityResult {
  std::uint64_t rows = 0;
  std::map<std::string, double> live;      // auc, aucpr, accuracy, precision, recall
  std::map<std::string, double> baseline;  // the same names where the baseline has them
  std::vector<Violation> violations;
};

// Throws archml::Error (invalid input) when the labels are not 0/1 or hold one class only.
QualityResult evaluate_quality(const std::vector<double>& scores,
                               const std::vector<std::uint8_t>& labels, double cutoff,
                               const std::map<std::string, double>& baseline, double tolerance);

}  // namespace archml::monitor
