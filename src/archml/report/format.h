// Numbers as people read them in reports and terminal summaries: a few significant
// digits, thousands separators for counts, percentages that stay informative when tiny.
#pragma once

#include <cstdint>
#include <string>

namespace archml::report {

// Up to `digits` significant digits, no exponent for ordinary magnitudes; "—" for NaN.
std::string format_number(double value, int digits = 4);
// 6362620 -> "6,362,620".
std::string format_count(std::uint64_t value);
// 0.00129 -> "0.129%"; 0.25 -> "25.0%".
std::string format_percent(double ratio);

}  // namespace archml::report
