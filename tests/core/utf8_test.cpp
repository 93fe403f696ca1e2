#include "archml/core/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace archml::core {
namespace {

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
