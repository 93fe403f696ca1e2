#include "archml/eval/calibration.h"

#include <algorithm>
#include <limits>

#include "archml/core/error.h"
#include "archml/eval/input_checks.h"

namespace archml::eval {

std::vector<CalibrationBin> calibration_table(std::span<const double> probabilities,
                                              std::span<const std::uint8_t> labels,
                                              std::size_t bins) {
  if (bins == 0) throw_invalid("calibration table needs at least one bin");
  require_same_size(labels.size(), probabilities.size(), "probabilities");
  require_binary_labels(labels, "labels");
  require_probabilities(probabilities, "probabilities");

  std::vector<CalibrationBin> table(bins);
  std::vector<double> predicted_sums(bins, 0.0);
  for (std::size_t row = 0; row < labels.size(); ++row) {
    const auto bin = std::min(
        static_cast<std::size_t>(probabilities[row] * static_cast<double>(bins)), bins - 1);
    ++table[bin].count;
    table[bin].positives += labels[row];
    predicted_sums[bin] += probabilities[row];
  }
  for (std::size_t bin = 0; bin < bins; ++bin) {
    auto& entry = table[bin];
    entry.lower = static_cast<double>(bin) / static_cast<double>(bins);
    entry.upper = static_cast<double>(bin + 1) / static_cast<double>(bins);
    if (entry.count == 0) {
      entry.mean_predicted = entry.observed_rate = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    entry.mean_predicted = predicted_sums[bin] / static_cast<double>(entry.count);
    entry.observed_rate = static_cast<double>(entry.positives) / static_cast<double>(entry.count);
  }
  return table;
}

}  // namespace archml::eval
