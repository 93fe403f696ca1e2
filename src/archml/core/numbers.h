// Numbers shared by every layer: NaN, archml's missing value in float columns, and doubles
// written as the shortest text that reads back as the same double.
#pragma once

#include <charconv>
#include <cstddef>
#include <limits>
#include <string>

namespace archml::core {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline void append_shortest(std::string& out, double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, static_cast<std::size_t>(result.ptr - buffer));
}

inline std::string shortest_text(double value) {
  std::string text;
  append_shortest(text, value);
  return text;
}

}  // namespace archml::core
