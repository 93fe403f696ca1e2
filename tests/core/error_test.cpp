#include "archml/core/error.h"

#include <gtest/gtest.h>

namespace archml {
namespace {

TEST(Error, KindsMapToDistinctExitCodes) {
  EXPECT_EQ(exit_code(ErrorKind::kInvalidInput), 2);
  EXPECT_EQ(exit_code(ErrorKind::kNotFound), 3);
  EXPECT_EQ(exit_code(ErrorKind::kIo), 4);
  EXPECT_EQ(exit_code(ErrorKind::kUnsupported), 5);
  EXPECT_EQ(exit_code(ErrorKind::kInternal), 1);
}

TEST(Error, ThrowHelpersCarryKindAndMessage) {
  try {
    throw_not_found("no file 'x.csv'");
    FAIL() << "throw_not_found returned";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_STREQ(error.what(), "no file 'x.csv'");
    EXPECT_EQ(to_string(error.kind()), "not found");
  }
  EXPECT_THROW(throw_invalid("bad"), Error);
  EXPECT_THROW(throw_io("disk"), Error);
}

}  // namespace
}  // namespace archml
