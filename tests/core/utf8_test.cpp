#include "archml/core/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace archml::core {
namespace {

TEST(Utf8, ValidityOfWellFormedAndMalformedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii, longer than one word"));
  EXPECT_TRUE(is_valid_utf8("\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("caf\xE9"));           // Latin-1
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("12345678\x80"));      // after a whole ASCII word
}

TEST(Utf8, EachBadByteBecomesOneReplacementCharacter) {
  EXPECT_EQ(valid_utf8("caf\xE9"), "caf\xEF\xBF\xBD");
  EXPECT_EQ(valid_utf8("\xC3\xA9t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");  // valid stays as is
  EXPECT_EQ(valid_utf8("a\xC3"), "a\xEF\xBF\xBD");
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_TRUE(is_valid_utf8(valid_utf8("\xFF\xFE mixed \xC3\xA9 \xF0\x9F")));
}

TEST(Utf8, FindsTheFirstByteThatIsNotUtf8) {
  EXPECT_EQ(invalid_utf8_offset("plain ascii, longer than eight bytes"), std::string_view::npos);
  EXPECT_EQ(invalid_utf8_offset("é ✓ \xF0\x9F\x98\x80"), std::string_view::npos);
  EXPECT_EQ(invalid_utf8_offset("abcdefghij\xC3"), 10u);   // cut short
  EXPECT_EQ(invalid_utf8_offset("a\xC0\xAF"), 1u);         // overlong '/'
  EXPECT_EQ(invalid_utf8_offset("ab\xED\xA0\x80"), 2u);    // surrogate
  EXPECT_EQ(invalid_utf8_offset("\xF4\x90\x80\x80"), 0u);  // past U+10FFFF
  EXPECT_EQ(invalid_utf8_offset("\xC3\xA9\xFF"), 2u);
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_FALSE(is_valid_utf8("\x80"));
}

}  // namespace
}  // namespace archml::core
