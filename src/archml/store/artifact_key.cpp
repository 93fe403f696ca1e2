#include "archml/store/artifact_key.h"

#include <cstdint>

#include "archml/core/error.h"

namespace archml::store {
namespace {

constexpr std::size_t kMaxKeyBytes = 1024;

// Length of the UTF-8 sequence starting at `text[i]`, or 0 when it is malformed
// (overlong forms and surrogates included, as S3 refuses them).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  std::uint8_t lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = lead >= 0xF0 && lead <= 0xF4   ? 4
                       : lead >= 0xE0 && lead <= 0xEF ? 3
                       : lead >= 0xC2 && lead <= 0xDF ? 2
                                                      : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  std::uint8_t second = byte(i + 1);
  if (lead == 0xE0 && second < 0xA0) return 0;
  if (lead == 0xED && second > 0x9F) return 0;
  if (lead == 0xF0 && second < 0x90) return 0;
  if (lead == 0xF4 && second > 0x8F) return 0;
  return length;
}

}  // namespace

void check_artifact_key(std::string_view key) {
  std::string shown = "artifact key '" + std::string(key) + "'";
  if (key.empty()) throw_invalid("an artifact key cannot be empty");
  if (key.size() > kMaxKeyBytes)
    throw_invalid(shown + " is " + std::to_string(key.size()) +
                  " bytes; keys are at most 1024 bytes");
  if (key.front() == '/' || key.back() == '/')
    throw_invalid(shown + " must not start or end with '/'; keys are relative names");
  for (std::size_t i = 0; i < key.size();) {
    std::size_t length = utf8_sequence_length(key, i);
    if (length == 0) throw_invalid("artifact key is not valid UTF-8 at byte " + std::to_string(i));
    if (length == 1 && (static_cast<unsigned char>(key[i]) < 0x20 || key[i] == 0x7f))
      throw_invalid("artifact key contains a control character at byte " + std::to_string(i));
    i += length;
  }
  std::size_t start = 0;
  while (start <= key.size()) {
    std::size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view segment = key.substr(start, end - start);
    if (segment.empty()) throw_invalid(shown + " has an empty segment ('//')");
    if (segment == "." || segment == "..")
      throw_invalid(shown + " has a '" + std::string(segment) +
                    "' segment; keys cannot climb out of the store");
    start = end + 1;
  }
}

std::string join_key(std::string_view prefix, std::string_view key) {
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  if (prefix.empty()) return std::string(key);
  std::string joined(prefix);
  joined += '/';
  joined += key;
  return joined;
}

}  // namespace archml::store
