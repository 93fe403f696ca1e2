#include "archml/serve/capture_upload.h"

#include <gtest/gtest.h>

#include "../track/temp_directory.h"
#include "archml/core/error.h"
#include "archml/core/text_file.h"

namespace archml::serve {
namespace {

namespace fs = std::filesystem;

class CaptureUploadTest : public ::testing::Test {
 protected:
  testing::TempDirectory directory_;
  fs::path root_ = directory_.path() / "capture";
  fs::path store_ = directory_.path() / "store";
  fs::path file_ = root_ / "fraud/AllTraffic/2026/11/28/01/start-1.jsonl";

  void SetUp() override {
    fs::create_directories(file_.parent_path());
    core::write_text_file(file_, "{\"captureData\":{}}\n");
  }
};

TEST_F(CaptureUploadTest, AFinishedFileGoesToTheSameLayoutInTheStoreAndLeavesTheDisk) {
  capture_uploader(store_.string(), {}, root_, false)(file_);
  EXPECT_EQ(core::read_text_file(store_ / "fraud/AllTraffic/2026/11/28/01/start-1.jsonl", "copy"),
            "{\"captureData\":{}}\n");
  EXPECT_FALSE(fs::exists(file_));
}

TEST_F(CaptureUploadTest, KeepLocalLeavesTheFile) {
  capture_uploader(store_.string(), {}, root_, true)(file_);
  EXPECT_TRUE(fs::exists(store_ / "fraud/AllTraffic/2026/11/28/01/start-1.jsonl"));
  EXPECT_TRUE(fs::exists(file_));
}

TEST_F(CaptureUploadTest, AFailedUploadKeepsTheFileAndDoesNotThrow) {
  auto upload = capture_uploader(store_.string(), {}, root_, false);
  // A folder where the object should go: the store refuses the file.
  fs::create_directories(store_ / "fraud/AllTraffic/2026/11/28/01/start-1.jsonl/occupied");
  EXPECT_NO_THROW(upload(file_));
  EXPECT_TRUE(fs::exists(file_));
}

TEST_F(CaptureUploadTest, ABadStoreFailsAtStartup) {
  EXPECT_THROW(capture_uploader("s3://", {}, root_, false), Error);
}

}  // namespace
}  // namespace archml::serve
