// Strict parsers for the text of one CSV field: the whole text must be the value, with
// no surrounding spaces. They return false instead of throwing, because type inference
// calls them on every field and a miss is the normal way to learn a column's type.
#pragma once

#include <cstdint>
#include <string_view>

#include "archml/data/digit_scan.h"

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

// The common shape of money and measurements, [-]digits[.digits] with at most 15
// digits, read at `p`: returns the position after it, or nullptr for any other text
// (the caller then uses the general parser). Both the digits and the power of ten are
// exact doubles, so one division is correctly rounded: the same value as fast_float.
inline const char* parse_simple_decimal(const char* p, const char* end, double& value) {
  static constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  static constexpr std::uint64_t kScaleOf[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  // Inside the text (16 bytes readable), a whole part and a fraction of up to 7 digits
  // each take one word each, and one digit conversion when they fit 8 digits together.
  if (end - p >= 16) {
    const std::uint64_t whole_word = load_word(p);
    const unsigned whole = leading_digit_count(whole_word);
    if (whole != 0 && whole < 8) {
      const char* q = p + whole;
      std::uint64_t digits = 0;
      unsigned fraction = 0;
      if (*q != '.') {
        digits = leading_digits_value(whole_word, whole);
      } else {
        const std::uint64_t fraction_word = load_word(q + 1);
        fraction = leading_digit_count(fraction_word);
        if (fraction == 8) goto general;
        q += 1 + fraction;
        if (whole + fraction <= 8) {
          const std::uint64_t whole_bytes = (std::uint64_t{1} << (8 * whole)) - 1;
          const std::uint64_t joined = (whole_word & whole_bytes) | fraction_word << (8 * whole);
          digits = leading_digits_value(joined, whole + fraction);
        } else {
          digits = std::uint64_t{leading_digits_value(whole_word, whole)} * kScaleOf[fraction] +
                   leading_digits_value(fraction_word, fraction);
        }
      }
      if (*q == 'e' || *q == 'E') return nullptr;
      const double magnitude = static_cast<double>(digits) / kPowersOfTen[fraction];
      value = negative ? -magnitude : magnitude;
      return q;
    }
  }
general:
  const char* const first_digit = p;
  std::uint64_t digits = 0;
  p = read_digits(p, end, digits);
  const char* const int_end = p;
  if (int_end == first_digit) return nullptr;
  std::size_t fraction = 0;
  if (p != end && *p == '.') {
    ++p;
    const char* const fraction_begin = p;
    p = read_digits(p, end, digits);
    fraction = static_cast<std::size_t>(p - fraction_begin);
  }
  if (static_cast<std::size_t>(int_end - first_digit) + fraction > 15) return nullptr;
  if (p != end && (*p == 'e' || *p == 'E')) return nullptr;
  const double magnitude = static_cast<double>(digits) / kPowersOfTen[fraction];
  value = negative ? -magnitude : magnitude;
  return p;
}

}  // namespace archml::data
