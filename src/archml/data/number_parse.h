// Strict parsers for the text of one CSV field: the whole text must be the value, with
// no surrounding spaces. They return false instead of throwing, because type inference
// calls them on every field and a miss is the normal way to learn a column's type.
#pragma once

#include <cstdint>
#include <string_view>

namespace archml::data {

// true/True/TRUE or false/False/FALSE (what pandas infers as bool).
inline bool parse_bool(std::string_view text, bool& value) {
  if (text.size() == 4 && (text == "true" || text == "True" || text == "TRUE")) {
    value = true;
    return true;
  }
  if (text.size() == 5 && (text == "false" || text == "False" || text == "FALSE")) {
    value = false;
    return true;
  }
  return false;
}

// An optional sign and decimal digits that fit in int64.
inline bool parse_int64(std::string_view text, std::int64_t& value) {
  const char* p = text.data();
  const char* end = p + text.size();
  bool negative = false;
  if (p != end && (*p == '-' || *p == '+')) negative = *p++ == '-';
  if (p == end) return false;
  // 18 digits cannot overflow; longer numbers take the checked path.
  if (end - p <= 18) {
    std::uint64_t magnitude = 0;
    for (; p != end; ++p) {
      unsigned digit = static_cast<unsigned char>(*p) - '0';
      if (digit > 9) return false;
      magnitude = magnitude * 10 + digit;
    }
    value = negative ? -static_cast<std::int64_t>(magnitude) : static_cast<std::int64_t>(magnitude);
    return true;
  }
  std::uint64_t magnitude = 0;
  for (; p != end; ++p) {
    unsigned digit = static_cast<unsigned char>(*p) - '0';
    if (digit > 9) return false;
    if (__builtin_mul_overflow(magnitude, 10u, &magnitude) ||
        __builtin_add_overflow(magnitude, digit, &magnitude))
      return false;
  }
  constexpr std::uint64_t kMaxPositive = 9223372036854775807ull;
  if (magnitude > kMaxPositive + (negative ? 1 : 0)) return false;
  value =
      negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  return true;
}

// Decimal or scientific notation (1.916920493E7), inf and nan, an optional sign;
// correctly rounded (fast_float).
bool parse_float64(std::string_view text, double& value);

}  // namespace archml::data
