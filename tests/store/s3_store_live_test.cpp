// The S3Store library API against a live S3-compatible server. Skipped unless
// ARCHML_S3_LIVE_BUCKET names an existing bucket on the server of AWS_ENDPOINT_URL;
// tests/integration/s3_store_test.sh runs it against the RADOS Gateway it starts.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/store/open_store.h"
#include "archml/store/s3_store.h"
#include "archml/store/transfer.h"

namespace archml::store {
namespace {

namespace fs = std::filesystem;

// The server's settings as the command line would read them: this test is a boundary too.
StoreOptions live_options() {
  std::map<std::string, std::string> variables;
  for (const char* name :
       {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"})
    if (const char* value = std::getenv(name)) variables[name] = value;
  StoreOptions options;
  options.environment = s3_environment(variables);
  options.progress = false;
  return options;
}

class S3StoreLive : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bucket = std::getenv("ARCHML_S3_LIVE_BUCKET");
    if (bucket == nullptr) GTEST_SKIP() << "SKIP: ARCHML_S3_LIVE_BUCKET is not set (no S3 server)";
    bucket_ = bucket;
    prefix_ = "live-" + std::to_string(::getpid()) + "/" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = fs::temp_directory_path() / ("archml-s3-live-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::string bucket_;
  std::string prefix_;
  fs::path dir_;
};

TEST_F(S3StoreLive, APrefixedStoreSeesOnlyItsOwnKeys) {
  auto store = open_artifact_store("s3://" + bucket_ + "/" + prefix_, live_options());
  auto neighbour = open_artifact_store("s3://" + bucket_ + "/" + prefix_ + "2", live_options());
  store->put_bytes("runs/1/a.json", "{\"a\": 1}");
  store->put_bytes("runs/2/ü b.txt", "unicode");
  neighbour->put_bytes("runs/1/a.json", "not mine");
  std::vector<ObjectInfo> objects = store->list("");
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0].key, "runs/1/a.json");
  EXPECT_EQ(objects[1].key, "runs/2/ü b.txt");
  EXPECT_EQ(store->list("runs/2").size(), 1u);
  EXPECT_EQ(store->get_bytes("runs/1/a.json"), "{\"a\": 1}");
  EXPECT_EQ(store->get_range("runs/2/ü b.txt", 2, 3), "ico");
  EXPECT_EQ(store->stat("runs/2/ü b.txt").size, 7u);
  EXPECT_EQ(store->uri_of("runs/1/a.json"), "s3://" + bucket_ + "/" + prefix_ + "/runs/1/a.json");
  store->remove("runs/1/a.json");
  store->remove("runs/1/a.json");  // gone already: fine
  EXPECT_FALSE(store->exists("runs/1/a.json"));
  EXPECT_EQ(neighbour->get_bytes("runs/1/a.json"), "not mine");
  try {
    store->get_bytes("runs/1/a.json");
    FAIL() << "read a removed object";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
  }
}

TEST_F(S3StoreLive, MultipartWithSmallPartsAndFolderRoundTrip) {
  StoreOptions options = live_options();
  options.multipart_threshold = 5ull << 20;
  options.part_size = 5ull << 20;
  auto store = open_artifact_store("s3://" + bucket_ + "/" + prefix_, options);
  std::string payload;
  for (int i = 0; payload.size() < (11u << 20); ++i) payload += std::to_string(i) + ",";
  fs::create_directories(dir_ / "bundle/sub");
  core::write_text_file(dir_ / "bundle/big.csv", payload);
  core::write_text_file(dir_ / "bundle/sub/small.json", "{}");
  TransferTotals up = upload_directory(*store, dir_ / "bundle", "bundle", false);
  EXPECT_EQ(up.files, 2u);
  ObjectInfo big = store->stat("bundle/big.csv");
  EXPECT_EQ(big.size, payload.size());
  EXPECT_NE(big.etag.find("-3"), std::string::npos) << big.etag;  // 5 + 5 + 1 MiB
  download_directory(*store, "bundle", dir_ / "back", false);
  EXPECT_EQ(core::read_text_file(dir_ / "back/big.csv"), payload);
  EXPECT_EQ(core::read_text_file(dir_ / "back/sub/small.json"), "{}");
}

}  // namespace
}  // namespace archml::store
