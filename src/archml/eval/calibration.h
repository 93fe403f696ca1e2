// Calibration table: do predicted probabilities match observed frequencies? Rows are
// grouped into equal-width probability bins; a calibrated model has, in each bin, an
// observed positive rate close to the mean predicted probability.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace archml::eval {

struct CalibrationBin {
  double lower = 0;  // bin covers [lower, upper); the last bin also holds 1.0
  double upper = 0;
  std::int64_t count = 0;
  std::int64_t positives = 0;
  double mean_predicted = 0;  // NaN when the bin is empty
  double observed_rate = 0;   // positives / count; NaN when the bin is empty
};

// All `bins` bins over [0, 1], empty ones included so charts keep a fixed x axis (sklearn's
// calibration_curve drops them). Bin of p is floor(p * bins), clamped to the last bin.
// Probabilities must lie in [0, 1]; bins must be >= 1; otherwise archml::Error.
std::vector<CalibrationBin> calibration_table(std::span<const double> probabilities,
                                              std::span<const std::uint8_t> labels,
                                              std::size_t bins = 10);

}  // namespace archml::eval
