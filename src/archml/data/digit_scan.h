// Word-at-a-time (SWAR) reading of the digit runs and field ends of CSV text: eight
// bytes per step instead of one, and no branch per byte, so the varying widths of
// money amounts and IDs stop costing a mispredicted loop exit each. Each function reads
// whole 8-byte words only while they lie inside [p, end), then finishes bytewise.
#pragma once

#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace archml::data {

inline bool is_digit(char c) {
  return static_cast<unsigned>(static_cast<unsigned char>(c) - '0') <= 9;
}

inline std::uint64_t load_word(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

// How many of the 8 bytes of `word` (first byte lowest) are ASCII digits before the
// first non-digit. Borrows and carries only run upward from a non-digit byte, so the
// lowest flagged byte is exact.
inline unsigned leading_digit_count(std::uint64_t word) {
  const std::uint64_t non_digit =
      ((word - 0x3030303030303030ull) | (word + 0x4646464646464646ull)) & 0x8080808080808080ull;
  return non_digit == 0 ? 8u : static_cast<unsigned>(__builtin_ctzll(non_digit)) / 8u;
}

// Value of the first `count` (1..8) digits of `word`: the digits are shifted up so that
// the vacated low bytes read as leading zeros, then combined pairwise by multiplies.
inline std::uint32_t leading_digits_value(std::uint64_t word, unsigned count) {
  std::uint64_t value = (word - 0x3030303030303030ull) << (8 * (8 - count));
  value = value * 10 + (value >> 8);
  value = (((value & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
           (((value >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
          32;
  return static_cast<std::uint32_t>(value);
}

// Reads the digits at `p` into `value` (value * 10^n + digits, wrapping past 19
// digits: callers bound the count) and returns the position after them.
inline const char* read_digits(const char* p, const char* end, std::uint64_t& value) {
  static constexpr std::uint64_t kScale[] = {1,      10,      100,      1000,     10000,
                                             100000, 1000000, 10000000, 100000000};
  while (end - p >= 8) {
    const std::uint64_t word = load_word(p);
    const unsigned count = leading_digit_count(word);
    if (count == 0) return p;
    value = value * kScale[count] + leading_digits_value(word, count);
    p += count;
    if (count < 8) return p;
  }
  while (p != end && is_digit(*p)) value = value * 10 + static_cast<unsigned>(*p++ - '0');
  return p;
}

// Marks the bytes of `word` equal to `byte` (exact for the lowest match, see above).
inline std::uint64_t bytes_equal(std::uint64_t word, char byte) {
  const std::uint64_t x = word ^ (0x0101010101010101ull * static_cast<unsigned char>(byte));
  return (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
}

// The first delimiter, '\n' or '\r' in [p, end), or end.
inline const char* find_field_end(const char* p, const char* end, char delimiter) {
#ifdef __SSE2__
  // Sixteen bytes per step hold most IDs and category names whole: one step, where
  // words take two and three compares each.
  const __m128i delimiters = _mm_set1_epi8(delimiter);
  const __m128i newlines = _mm_set1_epi8('\n');
  const __m128i returns = _mm_set1_epi8('\r');
  while (end - p >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i found = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(bytes, delimiters), _mm_cmpeq_epi8(bytes, newlines)),
        _mm_cmpeq_epi8(bytes, returns));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(found));
    if (mask != 0) return p + __builtin_ctz(mask);
    p += 16;
  }
#endif
  while (end - p >= 8) {
    const std::uint64_t word = load_word(p);
    const std::uint64_t found =
        bytes_equal(word, delimiter) | bytes_equal(word, '\n') | bytes_equal(word, '\r');
    if (found != 0) return p + __builtin_ctzll(found) / 8;
    p += 8;
  }
  while (p != end && *p != delimiter && *p != '\n' && *p != '\r') ++p;
  return p;
}

}  // namespace archml::data
