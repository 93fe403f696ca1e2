#include "archml/data/java_double.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace archml::data {
namespace {

// Two digits at a time: integer formatting is the hot loop of data generation.
constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Decimal digits of `value` at `out`, most significant first; returns their count.
int write_digits(std::uint64_t value, char* out) {
  char scratch[24];
  char* end = scratch + sizeof scratch;
  char* p = end;
  while (value >= 100) {
    std::uint64_t pair = value % 100;
    value /= 100;
    p -= 2;
    std::memcpy(p, kDigitPairs + 2 * pair, 2);
  }
  if (value >= 10) {
    p -= 2;
    std::memcpy(p, kDigitPairs + 2 * value, 2);
  } else {
    *--p = static_cast<char>('0' + value);
  }
  int count = static_cast<int>(end - p);
  std::memcpy(out, p, static_cast<std::size_t>(count));
  return count;
}

char* write_exponent(int exponent, char* out) {
  *out++ = 'E';
  if (exponent < 0) {
    *out++ = '-';
    exponent = -exponent;
  }
  return out + write_digits(static_cast<std::uint64_t>(exponent), out);
}

// Lays out significant digits d1 d2 ... dn with value 0.d1d2...dn * 10^(point) the way
// Java does. `point` is the position of the decimal point relative to the first digit.
char* layout(const char* digits, int count, int point, char* out) {
  // Java switches to scientific notation outside [1e-3, 1e7), i.e. point outside [-2, 7].
  if (point >= -2 && point <= 7) {
    if (point <= 0) {
      *out++ = '0';
      *out++ = '.';
      for (int i = 0; i < -point; ++i) *out++ = '0';
      std::memcpy(out, digits, static_cast<std::size_t>(count));
      return out + count;
    }
    int integer_digits = point;
    if (count <= integer_digits) {
      std::memcpy(out, digits, static_cast<std::size_t>(count));
      out += count;
      for (int i = count; i < integer_digits; ++i) *out++ = '0';
      *out++ = '.';
      *out++ = '0';
      return out;
    }
    std::memcpy(out, digits, static_cast<std::size_t>(integer_digits));
    out += integer_digits;
    *out++ = '.';
    std::memcpy(out, digits + integer_digits, static_cast<std::size_t>(count - integer_digits));
    return out + (count - integer_digits);
  }
  *out++ = digits[0];
  *out++ = '.';
  if (count > 1) {
    std::memcpy(out, digits + 1, static_cast<std::size_t>(count - 1));
    out += count - 1;
  } else {
    *out++ = '0';
  }
  return write_exponent(point - 1, out);
}

}  // namespace

char* format_java_double(double value, char* out) {
  if (std::isnan(value)) {
    std::memcpy(out, "NaN", 3);
    return out + 3;
  }
  if (std::signbit(value)) {
    *out++ = '-';
    value = -value;
  }
  if (std::isinf(value)) {
    std::memcpy(out, "Infinity", 8);
    return out + 8;
  }
  if (value == 0) {
    std::memcpy(out, "0.0", 3);
    return out + 3;
  }
  // to_chars in scientific form yields the shortest round-trip digits: "d.ddde+XX".
  char scientific[kJavaDoubleMaxChars];
  auto result = std::to_chars(scientific, scientific + sizeof scientific, value,
                              std::chars_format::scientific);
  char digits[kJavaDoubleMaxChars];
  int count = 0;
  const char* p = scientific;
  for (; p < result.ptr && *p != 'e'; ++p) {
    if (*p != '.') digits[count++] = *p;
  }
  int exponent = 0;
  std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), result.ptr, exponent);
  return layout(digits, count, exponent + 1, out);
}

char* format_java_cents(std::int64_t cents, char* out) {
  if (cents == 0) {
    std::memcpy(out, "0.0", 3);
    return out + 3;
  }
  std::uint64_t magnitude;
  if (cents < 0) {
    *out++ = '-';
    magnitude = static_cast<std::uint64_t>(-(cents + 1)) + 1;
  } else {
    magnitude = static_cast<std::uint64_t>(cents);
  }
  // Fast path for the common case: plain notation, printed straight from the integer.
  if (magnitude < 1'000'000'000) {
    std::uint64_t whole = magnitude / 100;
    unsigned fraction = static_cast<unsigned>(magnitude % 100);
    out += write_digits(whole, out);
    *out++ = '.';
    if (fraction == 0) {
      *out++ = '0';
    } else if (fraction % 10 == 0) {
      *out++ = static_cast<char>('0' + fraction / 10);
    } else {
      std::memcpy(out, kDigitPairs + 2 * fraction, 2);
      out += 2;
    }
    return out;
  }
  char digits[24];
  int count = write_digits(magnitude, digits);
  int point = count - 2;
  while (count > 1 && digits[count - 1] == '0') --count;
  return layout(digits, count, point, out);
}

std::string java_double_string(double value) {
  char buffer[kJavaDoubleMaxChars];
  return std::string(buffer, format_java_double(value, buffer));
}

}  // namespace archml::data
