#include "archml/data/digit_scan.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace archml::data {
namespace {

// Bytes that sit next to digits in CSV text, plus the ones just outside '0'..'9' and
// high bytes, where a borrow or carry would show.
constexpr char kNeighbours[] = {',',  '.',    '\n',   '\r',   '/',    ':', 'E', '-',
                                '\0', '\x7f', '\xb0', '\xba', '\xff', ' ', '"'};

std::string random_text(std::mt19937_64& random, std::size_t size) {
  std::string text(size, '0');
  for (char& c : text)
    c = random() % 3 != 0 ? static_cast<char>('0' + random() % 10)
                          : kNeighbours[random() % sizeof kNeighbours];
  return text;
}

TEST(DigitScan, ReadsDigitRunsLikeTheByteLoop) {
  std::mt19937_64 random(11);
  for (int i = 0; i < 200000; ++i) {
    const std::string text = random_text(random, random() % 24);
    const std::size_t start = text.empty() ? 0 : random() % text.size();
    const char* begin = text.data() + start;
    const char* end = text.data() + text.size();
    std::uint64_t expected = 7;
    const char* q = begin;
    while (q != end && *q >= '0' && *q <= '9') expected = expected * 10 + (*q++ - '0');
    std::uint64_t value = 7;
    ASSERT_EQ(read_digits(begin, end, value), q) << text;
    ASSERT_EQ(value, expected) << text;
  }
}

TEST(DigitScan, CountsAndValuesEveryWidth) {
  for (unsigned count = 0; count <= 8; ++count) {
    for (char after : kNeighbours) {
      std::string text = std::string("98765432").substr(0, count);
      text.append(8 - count, after);
      const std::uint64_t word = load_word(text.data());
      ASSERT_EQ(leading_digit_count(word), count) << text;
      if (count > 0) {
        ASSERT_EQ(leading_digits_value(word, count), std::stoul(text.substr(0, count))) << text;
      }
    }
  }
}

TEST(DigitScan, FindsFieldEndsLikeTheByteLoop) {
  std::mt19937_64 random(12);
  const std::string alphabet = "abcC0123456789.;,\n\r\"";
  for (int i = 0; i < 100000; ++i) {
    // Dense and sparse special bytes: ends in the first 16-byte step, in a later one,
    // in the word-sized tail, in the byte tail, or none at all.
    std::string text(random() % 80, 'x');
    const unsigned sparseness = 2 + static_cast<unsigned>(random() % 40);
    for (char& c : text)
      c = random() % sparseness == 0 ? alphabet[random() % alphabet.size()]
                                     : static_cast<char>(random());
    const char delimiter = random() % 2 ? ',' : ';';
    const char* end = text.data() + text.size();
    const char* q = text.data();
    while (q != end && *q != delimiter && *q != '\n' && *q != '\r') ++q;
    ASSERT_EQ(find_field_end(text.data(), end, delimiter), q) << text;
  }
}

}  // namespace
}  // namespace archml::data
