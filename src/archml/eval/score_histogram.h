// Histogram of predicted scores split by true label, for the chart that shows how well
// the model separates the classes (two overlaid distributions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace archml::eval {

struct ScoreHistogram {
  double lower = 0;  // range covered; bin i spans [lower + i*w, lower + (i+1)*w)
  double upper = 1;
  std::vector<std::int64_t> negatives;  // rows with label 0, per bin
  std::vector<std::int64_t> positives;  // rows with label 1, per bin
};

// Equal-width bins over [lower, upper]; scores outside the range go to the edge bins so
// every row is counted. Needs bins >= 1, lower < upper, finite scores, 0/1 labels;
// otherwise archml::Error (invalid input).
ScoreHistogram score_histogram(std::span<const double> scores, std::span<const std::uint8_t> labels,
                               std::size_t bins = 20, double lower = 0.0, double upper = 1.0);

}  // namespace archml::eval
