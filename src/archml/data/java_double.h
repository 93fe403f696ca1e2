// Numbers as Java's Double.toString writes them, which is how the real PaySim file (and
// anything else exported from the JVM) spells its doubles: shortest round-trip digits,
// plain decimal with at least one fractional digit for 1e-3 <= |x| < 1e7 ("0.0",
// "9839.64", "170136.0"), and computerized scientific notation otherwise
// ("1.916920493E7", "1.0E7", "1.0E-4"). Readers of such files must accept exponents.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace archml::data {

// Longest text format_java_double can produce ("-1.2345678901234567E-308").
inline constexpr std::size_t kJavaDoubleMaxChars = 32;

// Writes `value` at `out` (which must have kJavaDoubleMaxChars bytes) and returns the end.
// NaN and infinities are spelled "NaN", "Infinity", "-Infinity".
char* format_java_double(double value, char* out);

// Same text as format_java_double(cents / 100.0), without floating point, for money held
// as whole cents; exact for |cents| < 2^53. This is the generator's fast path.
char* format_java_cents(std::int64_t cents, char* out);

std::string java_double_string(double value);

}  // namespace archml::data
