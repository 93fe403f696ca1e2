// UTF-8 checks for text that came from outside (CSV files, request bodies) before it
// reaches JSON, whose writers refuse bytes that are not UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace archml::core {

// Length of the well-formed UTF-8 character at bytes[i] (1 to 4), or 0 when the bytes
// there are not one (a stray continuation byte, a truncated sequence, an overlong form,
// a surrogate, a value past U+10FFFF).
std::size_t utf8_character_length(std::string_view bytes, std::size_t i);

// The offset of the first byte that does not begin a well-formed UTF-8 character, or
// npos when there is none (for errors that name where the bad byte is).
std::size_t invalid_utf8_offset(std::string_view bytes);

// Whether `bytes` is well-formed UTF-8 throughout.
inline bool is_valid_utf8(std::string_view bytes) {
  return invalid_utf8_offset(bytes) == std::string_view::npos;
}

// `bytes` with every byte that does not begin a well-formed character replaced by
// U+FFFD (the replacement character, shown as a question mark in a diamond).
std::string valid_utf8(std::string_view bytes);

}  // namespace archml::core
