#include "archml/data/number_parse.h"

#include <fast_float/fast_float.h>

namespace archml::data {

bool parse_float64(std::string_view text, double& value) {
  const char* p = text.data();
  const char* end = p + text.size();
  // fast_float follows std::from_chars and refuses a leading '+', which CSV writers emit.
  if (p != end && *p == '+') {
    ++p;
    if (p != end && *p == '-') return false;
  }
  if (p == end) return false;
  auto result = fast_float::from_chars(p, end, value);
  if (result.ec != std::errc() || result.ptr != end) return false;
  // A whole number is the same integer in any column: "-0" is 0 whether its column
  // turns out float (here) or reads it as an int first and converts later.
  if (value == 0 && *p == '-' && text.find_first_not_of("0", p + 1 - text.data()) == text.npos)
    value = 0;
  return true;
}

}  // namespace archml::data
