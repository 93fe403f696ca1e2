// Validation shared by every metric, so each one rejects bad input with the same words.
// All failures throw archml::Error (invalid input); `what` names the argument in messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace archml::eval {

void require_same_size(std::size_t expected, std::size_t actual, std::string_view what);
// Rejects NaN and infinities: a NaN score usually means a broken feature upstream, and
// silently ranking it would hide that.
void require_finite(std::span<const double> values, std::string_view what);
// Requires every value to be finite and within [0, 1] (implies require_finite).
void require_probabilities(std::span<const double> values, std::string_view what);
// Requires every label to be 0 or 1.
void require_binary_labels(std::span<const std::uint8_t> labels, std::string_view what);
// Requires every class index to be within [0, classes).
void require_class_indices(std::span<const std::int32_t> labels, std::size_t classes,
                           std::string_view what);

}  // namespace archml::eval
