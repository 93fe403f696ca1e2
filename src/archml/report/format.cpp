#include "archml/report/format.h"

#include <cmath>
#include <cstdio>
#include <string_view>

namespace archml::report {

std::string format_number(double value, int digits) {
  if (std::isnan(value)) return "—";
  if (std::isinf(value)) return value > 0 ? "∞" : "-∞";
  char buffer[64];
  double magnitude = std::fabs(value);
  // Large magnitudes keep every integer digit: 92,445,516.64 reads better than 9.245e+07.
  if (magnitude >= 1e4 && magnitude < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.*f", magnitude >= 1e6 ? 0 : 2, value);
    std::string_view raw = buffer;
    std::size_t point = raw.find('.');
    std::size_t integer_end = point == std::string_view::npos ? raw.size() : point;
    std::size_t first_digit = raw[0] == '-' ? 1 : 0;
    std::string text(raw.substr(0, first_digit));
    for (std::size_t i = first_digit; i < integer_end; ++i) {
      if (i > first_digit && (integer_end - i) % 3 == 0) text += ',';
      text += raw[i];
    }
    text += raw.substr(integer_end);
    return text;
  }
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
}

std::string format_count(std::uint64_t value) {
  std::string digits = std::to_string(value);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

std::string format_percent(double ratio) {
  if (std::isnan(ratio)) return "—";
  char buffer[32];
  double percent = ratio * 100;
  if (percent != 0 && std::fabs(percent) < 1)
    std::snprintf(buffer, sizeof buffer, "%.3g%%", percent);
  else
    std::snprintf(buffer, sizeof buffer, "%.1f%%", percent);
  return buffer;
}

}  // namespace archml::report
