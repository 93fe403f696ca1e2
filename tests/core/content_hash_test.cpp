#include "archml/core/content_hash.h"

#include <gtest/gtest.h>

#include <string>

namespace archml::core {
namespace {

TEST(ContentHash, MatchesPublishedXxh64Values) {
  EXPECT_EQ(xxh64(""), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(xxh64("abc"), 0x44BC2CF5AD770999ULL);
}

TEST(ContentHash, EveryByteAndLengthCounts) {
  std::string text(100, 'x');
  const auto base = xxh64(text);
  for (std::size_t i = 0; i < text.size(); i += 7) {
    std::string changed = text;
    changed[i] = 'y';
    EXPECT_NE(xxh64(changed), base) << i;
  }
  EXPECT_NE(xxh64(text.substr(0, 99)), base);
}

}  // namespace
}  // namespace archml::core
