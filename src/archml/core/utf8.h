// UTF-8 validation, for text that ends up in JSON (which holds only UTF-8): capture
// records, recipes and configs.
#pragma once

#include <cstddef>
#include <string_view>

namespace archml::core {

// The offset of the first byte that does not begin a well-formed UTF-8 character (no
// overlongs, surrogates or values past U+10FFFF, nothing cut short), or npos.
std::size_t invalid_utf8_offset(std::string_view bytes);

inline bool is_valid_utf8(std::string_view bytes) {
  return invalid_utf8_offset(bytes) == std::string_view::npos;
}

}  // namespace archml::core
