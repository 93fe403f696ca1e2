#include "archml/features/feature_matrix.h"

#include <charconv>
#include <cstdlib>
#include <string>

#include "archml/core/error.h"

namespace archml::features {

void throw_non_finite(std::string_view column, std::size_t row, std::string_view text) {
  std::string value = text.empty() ? std::string("the value") : "'" + std::string(text) + "'";
  throw_invalid("row " + std::to_string(row) + ", column '" + std::string(column) + "': " + value +
                " is not a finite number (inf, or beyond +-3.4e38, the range of the model's "
                "32-bit features); fix the data, or leave the field empty to mark it missing");
}

bool read_feature_number(std::string_view text, double& value, std::string_view column,
                         std::size_t row) {
  const char* first = text.data();
  const char* last = first + text.size();
  if (first != last && *first == '+') ++first;
  const auto result = std::from_chars(first, last, value);
  if (result.ptr != last || first == last) return false;
  if (result.ec == std::errc::result_out_of_range) {
    value = std::strtod(std::string(first, last).c_str(), nullptr);  // overflow or underflow
    if (overflows_feature(value)) throw_non_finite(column, row, text);
    return true;
  }
  if (result.ec != std::errc()) return false;
  if (overflows_feature(value)) throw_non_finite(column, row, text);
  return true;
}

FeatureMatrix::FeatureMatrix(std::size_t rows, std::vector<std::string> names)
    : rows_(rows), names_(std::move(names)) {
  // new float[n] (not new float[n]()) leaves the values uninitialised on purpose.
  values_.reset(new float[rows_ * names_.size() + 1]);
}

std::ptrdiff_t FeatureMatrix::find(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

}  // namespace archml::features
