#include "archml/monitor/quality.h"

#include <cstdio>

#include "archml/core/error.h"
#include "archml/eval/precision_recall.h"
#include "archml/eval/ranked_scores.h"
#include "archml/eval/roc.h"

namespace archml::monitor {

QualityResult evaluate_quality(const std::vector<double>& scores,
                               const std::vector<std::uint8_t>& labels, double cutoff,
                               const std::map<std::string, double>& baseline, double tolerance) {
  QualityResult result;
  result.rows = scores.size();
  const eval::RankedScores ranked(scores, labels);
  if (ranked.positives() == 0 || ranked.negatives() == 0)
    throw_invalid("the joined labels hold one class only (" + std::to_string(ranked.positives()) +
                  " positive, " + std::to_string(ranked.negatives()) +
                  " negative); quality needs both");
  std::uint64_t tp = 0, fp = 0, tn = 0, fn = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const bool flagged = scores[i] >= cutoff;
    if (flagged)
      (labels[i] ? tp : fp) += 1;
    else
      (labels[i] ? fn : tn) += 1;
  }
  auto share = [](std::uint64_t a, std::uint64_t b) {
    return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
  };
  result.live = {{"auc", eval::roc_auc(ranked)},
                 {"aucpr", eval::average_precision(ranked)},
                 {"accuracy", share(tp + tn, tp + tn + fp + fn)},
                 {"precision", share(tp, tp + fp)},
                 {"recall", share(tp, tp + fn)}};
  for (const auto& [name, value] : result.live) {
    const auto found = baseline.find(name);
    if (found == baseline.end()) continue;
    result.baseline[name] = found->second;
    if (value >= found->second - tolerance) continue;
    char text[200];
    std::snprintf(text, sizeof text,
                  "Live %s %.4g is below the baseline's %.4g by more than %.4g (%llu labelled "
                  "inferences).",
                  name.c_str(), value, found->second, tolerance,
                  static_cast<unsigned long long>(result.rows));
    result.violations.push_back({name, "model_quality_check", text});
  }
  return result;
}

}  // namespace archml::monitor
