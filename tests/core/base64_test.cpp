#include "archml/core/base64.h"

#include <gtest/gtest.h>

namespace archml::core {
namespace {

TEST(Base64, MatchesRfc4648TestVectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
}

TEST(Base64, UrlSafeAlphabetHasNoPaddingAndNoSlash) {
  EXPECT_EQ(base64("\xfb\xff"), "+/8=");
  EXPECT_EQ(base64url("\xfb\xff"), "-_8");
  EXPECT_EQ(base64url("/var/tmp"), "L3Zhci90bXA");
  EXPECT_EQ(base64url("value with spaces"), "dmFsdWUgd2l0aCBzcGFjZXM");
}

TEST(Base64, DecodesWhatItEncodesAndRefusesOtherCharacters) {
  for (const std::string text : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xfb\xff\x00"})
    EXPECT_EQ(base64_decode(base64(text)), text);
  EXPECT_EQ(base64_decode("Zm9vYg"), "foob");  // padding optional
  EXPECT_FALSE(base64_decode("Zm9v YmFy").has_value());
  EXPECT_FALSE(base64_decode("-_8").has_value());
}

}  // namespace
}  // namespace archml::core
