#include "archml/core/utf8.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace archml::core
