#include "archml/store/artifact_key.h"

#include <gtest/gtest.h>

#include "archml/core/error.h"

namespace archml::store {
namespace {

bool accepted(std::string_view key) {
  try {
    check_artifact_key(key);
    return true;
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    return false;
  }
}

TEST(ArtifactKey, AcceptsRelativeUtf8Names) {
  EXPECT_TRUE(accepted("model.json"));
  EXPECT_TRUE(accepted("runs/42/bundle/model.json"));
  EXPECT_TRUE(accepted("with space/ünïcødé 名前 🚀.txt"));
  EXPECT_TRUE(accepted("a..b/.hidden/x.."));  // dots inside a name are not climbing
  EXPECT_TRUE(accepted(std::string(1024, 'k')));
}

TEST(ArtifactKey, RejectsEscapesAndMalformedNames) {
  EXPECT_FALSE(accepted(""));
  EXPECT_FALSE(accepted(".."));
  EXPECT_FALSE(accepted("a/../../b"));
  EXPECT_FALSE(accepted("./a"));
  EXPECT_FALSE(accepted("/abs"));
  EXPECT_FALSE(accepted("dir/"));
  EXPECT_FALSE(accepted("a//b"));
  EXPECT_FALSE(accepted(std::string("nul\0byte", 8)));
  EXPECT_FALSE(accepted("tab\there"));
  EXPECT_FALSE(accepted("bad\xff utf8"));
  EXPECT_FALSE(accepted("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(accepted("\xed\xa0\x80"));  // UTF-16 surrogate
  EXPECT_FALSE(accepted("cut \xe2\x82"));  // truncated sequence
  EXPECT_FALSE(accepted(std::string(1025, 'k')));
}

TEST(ArtifactKey, JoinsPrefixes) {
  EXPECT_EQ(join_key("", "a/b"), "a/b");
  EXPECT_EQ(join_key("team/ml", "a"), "team/ml/a");
  EXPECT_EQ(join_key("team/ml//", "a"), "team/ml/a");
  EXPECT_EQ(join_key("p", ""), "p/");
}

}  // namespace
}  // namespace archml::store
