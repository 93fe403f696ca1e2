#include "archml/serve/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace archml::serve {
namespace {

TEST(ServeJsonText, EscapedStringsParseBackToTheSameText) {
  const std::string text = "a\"b\\c\nd\re\tf\x01g é ✓";
  std::string out;
  append_json_string(out, text);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g é ✓\"");
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), text);
}

TEST(ServeJsonText, RecognisesWellFormedUtf8) {
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("é ✓ \xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

}  // namespace
}  // namespace archml::serve
