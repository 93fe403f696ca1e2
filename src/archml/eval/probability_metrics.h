// Losses of predicted probabilities against 0/1 labels. Both need probabilities in
// [0, 1] (raw margins throw archml::Error, invalid input) and return NaN on empty input.
#pragma once

#include <cstdint>
#include <limits>
#include <span>

namespace archml::eval {

// Probabilities are clipped to [eps, 1 - eps] so a confident miss costs a large but finite
// loss (-log(eps) = 36.04). sklearn 1.2 changed its default from 1e-15 to the machine
// epsilon of the input (eps="auto"); the same value keeps our numbers equal to its.
inline constexpr double kLogLossEpsilon = std::numeric_limits<double>::epsilon();

// Mean negative log-likelihood, natural log, computed as sklearn's log_loss (clip, then
// renormalise the pair (1 - p, p)). Defined even when only one class is present.
double log_loss(std::span<const double> probabilities, std::span<const std::uint8_t> labels);

// Mean squared difference between probability and label.
double brier_score(std::span<const double> probabilities, std::span<const std::uint8_t> labels);

}  // namespace archml::eval
