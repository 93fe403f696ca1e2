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

// The digits of [digits][.digits] at `p`, 16 bytes from `p` being readable, when both
// parts have at most 7 digits: one word for each part, and one digit conversion when they
// fit 8 digits together. Returns the position after them, or nullptr for longer parts.
inline const char* read_decimal_words(const char* p, std::uint64_t& digits, std::size_t& fraction) {
  static constexpr std::uint64_t kScale[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
  const std::uint64_t whole_word = load_word(p);
  const unsigned whole = leading_digit_count(whole_word);
  if (whole == 0 || whole == 8) return nullptr;
  const char* q = p + whole;
  fraction = 0;
  if (*q != '.') {
    digits = leading_digits_value(whole_word, whole);
    return q;
  }
  const std::uint64_t fraction_word = load_word(q + 1);
  const unsigned fraction_digits = leading_digit_count(fraction_word);
  if (fraction_digits == 8) return nullptr;
  fraction = fraction_digits;
  if (whole + fraction_digits <= 8) {
    const std::uint64_t whole_bytes = (std::uint64_t{1} << (8 * whole)) - 1;
    const std::uint64_t joined = (whole_word & whole_bytes) | fraction_word << (8 * whole);
    digits = leading_digits_value(joined, whole + fraction_digits);
  } else {
    digits = std::uint64_t{leading_digits_value(whole_word, whole)} * kScale[fraction_digits] +
             leading_digits_value(fraction_word, fraction_digits);
  }
  return q + 1 + fraction_digits;
}

// The common shape of money and measurements, [-]digits[.digits] with at most 15
// digits, read at `p`: returns the position after it, or nullptr for any other text
// (the caller then uses the general parser). Both the digits and the power of ten are
// exact doubles, so one division is correctly rounded: the same value as fast_float.
inline const char* parse_simple_decimal(const char* p, const char* end, double& value) {
  static constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  std::uint64_t digits = 0;
  std::size_t fraction = 0;
  const char* q = end - p >= 16 ? read_decimal_words(p, digits, fraction) : nullptr;
  if (q == nullptr) {
    // Near the end of the text, or a part of 8 digits or more: digit runs of any length.
    digits = 0;
    q = read_digits(p, end, digits);
    const char* const int_end = q;
    if (int_end == p) return nullptr;
    fraction = 0;
    if (q != end && *q == '.') {
      ++q;
      const char* const fraction_begin = q;
      q = read_digits(q, end, digits);
      fraction = static_cast<std::size_t>(q - fraction_begin);
    }
    if (static_cast<std::size_t>(int_end - p) + fraction > 15) return nullptr;
  }
  if (q != end && (*q == 'e' || *q == 'E')) return nullptr;
  const double magnitude = static_cast<double>(digits) / kPowersOfTen[fraction];
  value = negative ? -magnitude : magnitude;
  return q;
}

}  // namespace archml::data
