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
  return result.ec == std::errc() && result.ptr == end;
}

}  // namespace archml::data
