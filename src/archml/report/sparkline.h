// A terminal sparkline: a series drawn as one line of Unicode block characters
// (▁▂▃▄▅▆▇█), lowest value to highest. Long series are averaged into `width` buckets.
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace archml::report {

// UTF-8 text of at most `width` characters; empty for an empty series. NaN points are
// skipped; a flat series draws at mid height.
std::string sparkline(std::span<const double> values, std::size_t width = 60);

}  // namespace archml::report
