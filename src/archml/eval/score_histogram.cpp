#include "archml/eval/score_histogram.h"

#include <algorithm>
#include <cmath>

#include "archml/core/error.h"
#include "archml/eval/input_checks.h"

namespace archml::eval {

ScoreHistogram score_histogram(std::span<const double> scores, std::span<const std::uint8_t> labels,
                               std::size_t bins, double lower, double upper) {
  if (bins == 0) throw_invalid("score histogram needs at least one bin");
  if (!(lower < upper) || !std::isfinite(lower) || !std::isfinite(upper)) {
    throw_invalid("score histogram range must be finite with lower < upper");
  }
  require_same_size(labels.size(), scores.size(), "scores");
  require_binary_labels(labels, "labels");
  require_finite(scores, "scores");

  ScoreHistogram histogram{lower, upper, std::vector<std::int64_t>(bins, 0),
                           std::vector<std::int64_t>(bins, 0)};
  const double bins_per_unit = static_cast<double>(bins) / (upper - lower);
  for (std::size_t row = 0; row < scores.size(); ++row) {
    const double position =
        std::clamp((scores[row] - lower) * bins_per_unit, 0.0, static_cast<double>(bins - 1));
    const auto bin = static_cast<std::size_t>(position);
    ++(labels[row] ? histogram.positives : histogram.negatives)[bin];
  }
  return histogram;
}

}  // namespace archml::eval
