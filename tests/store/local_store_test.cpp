#include "archml/store/local_store.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "archml/core/atomic_file.h"
#include "archml/core/error.h"
#include "archml/core/text_file.h"
#include "archml/store/open_store.h"
#include "archml/store/transfer.h"

namespace archml::store {
namespace {

namespace fs = std::filesystem;

class LocalStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("archml-local-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  ErrorKind kind_of(const std::function<void()>& action) {
    try {
      action();
    } catch (const Error& error) {
      return error.kind();
    }
    ADD_FAILURE() << "no archml::Error thrown";
    return ErrorKind::kInternal;
  }

  fs::path dir_;
};

TEST_F(LocalStoreTest, PutGetHeadRoundTripBinaryBytes) {
  LocalStore store(dir_ / "root");
  std::string bytes("model\0bytes\xff", 12);
  store.put_bytes("runs/1/model.bin", bytes);
  EXPECT_EQ(store.get_bytes("runs/1/model.bin"), bytes);
  ObjectInfo info = store.stat("runs/1/model.bin");
  EXPECT_EQ(info.key, "runs/1/model.bin");
  EXPECT_EQ(info.size, 12u);
  EXPECT_EQ(info.last_modified.size(), 20u);  // 2026-11-27T23:52:52Z
  EXPECT_TRUE(fs::is_regular_file(dir_ / "root/runs/1/model.bin"));
  store.put_bytes("runs/1/model.bin", "v2");  // replaces whole
  EXPECT_EQ(store.get_bytes("runs/1/model.bin"), "v2");
}

TEST_F(LocalStoreTest, EmptyObjectsSpacesAndUnicodeKeys) {
  LocalStore store(dir_);
  store.put_bytes("empty", "");
  store.put_bytes("with space/ünïcødé 名前.txt", "x");
  EXPECT_EQ(store.stat("empty").size, 0u);
  EXPECT_EQ(store.get_bytes("empty"), "");
  EXPECT_EQ(store.get_bytes("with space/ünïcødé 名前.txt"), "x");
}

TEST_F(LocalStoreTest, FilesGoInAndOutAtomically) {
  LocalStore store(dir_ / "root");
  fs::create_directories(dir_);
  core::write_text_file(dir_ / "source.csv", "a,b\n1,2\n");
  store.put_file("data/train.csv", dir_ / "source.csv");
  store.get_file("data/train.csv", dir_ / "out/deep/copy.csv");
  EXPECT_EQ(core::read_text_file(dir_ / "out/deep/copy.csv"), "a,b\n1,2\n");
  for (const auto& entry : fs::recursive_directory_iterator(dir_))
    EXPECT_EQ(entry.path().string().find(core::kTemporaryMarker), std::string::npos)
        << entry.path();
}

TEST_F(LocalStoreTest, AbandonedAtomicFileLeavesNothingBehind) {
  LocalStore store(dir_);
  store.put_bytes("kept", "old");
  {
    core::AtomicFile file(dir_ / "kept", core::ParentFolders::kCreate);
    file.write("half of the new");
  }  // destroyed without commit, as when a job dies mid-write
  EXPECT_EQ(store.get_bytes("kept"), "old");
  EXPECT_EQ(store.list("").size(), 1u);
}

TEST_F(LocalStoreTest, RangedReads) {
  LocalStore store(dir_);
  store.put_bytes("r", "0123456789");
  EXPECT_EQ(store.get_range("r", 2, 3), "234");
  EXPECT_EQ(store.get_range("r", 8, 100), "89");
  EXPECT_EQ(store.get_range("r", 5, 0), "");
  EXPECT_EQ(kind_of([&] { store.get_range("r", 10, 1); }), ErrorKind::kInvalidInput);
  EXPECT_EQ(kind_of([&] { store.get_range("missing", 0, 1); }), ErrorKind::kNotFound);
}

TEST_F(LocalStoreTest, ListIsAStringPrefixSortedAndSkipsPartials) {
  LocalStore store(dir_);
  for (const char* key : {"runs/2/b", "runs/10/a", "runs/1/a", "rung", "other/x"})
    store.put_bytes(key, key);
  core::write_text_file(dir_ / ("runs/1/c" + std::string(core::kTemporaryMarker) + "1-1"),
                        "partial");
  std::vector<std::string> keys;
  for (const ObjectInfo& info : store.list("run")) keys.push_back(info.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"rung", "runs/1/a", "runs/10/a", "runs/2/b"}));
  keys.clear();
  for (const ObjectInfo& info : store.list("runs/1")) keys.push_back(info.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"runs/1/a", "runs/10/a"}));
  EXPECT_TRUE(store.list("nothing/here").empty());
  EXPECT_EQ(store.list("").size(), 5u);
}

TEST_F(LocalStoreTest, RemoveIsIdempotentAndPrunesEmptyFolders) {
  LocalStore store(dir_);
  store.put_bytes("a/b/c", "1");
  store.put_bytes("a/keep", "2");
  store.remove("a/b/c");
  EXPECT_FALSE(store.exists("a/b/c"));
  EXPECT_FALSE(fs::exists(dir_ / "a/b"));
  EXPECT_TRUE(fs::exists(dir_ / "a/keep"));
  store.remove("a/b/c");  // already gone: not an error, as in S3
  EXPECT_EQ(kind_of([&] { store.stat("a/b/c"); }), ErrorKind::kNotFound);
  EXPECT_EQ(kind_of([&] { store.get_bytes("a/b/c"); }), ErrorKind::kNotFound);
  EXPECT_EQ(kind_of([&] { store.get_file("a/b/c", dir_ / "x"); }), ErrorKind::kNotFound);
}

TEST_F(LocalStoreTest, KeysCannotEscapeTheRoot) {
  LocalStore store(dir_ / "root");
  for (const char* key : {"../escape", "a/../../escape", "/etc/passwd", "a//b", "./a", "a/"})
    EXPECT_EQ(kind_of([&] { store.put_bytes(key, "x"); }), ErrorKind::kInvalidInput) << key;
  EXPECT_FALSE(fs::exists(dir_ / "escape"));
}

TEST_F(LocalStoreTest, DirectoriesUploadAndDownloadWhole) {
  LocalStore store(dir_ / "store");
  fs::create_directories(dir_ / "bundle/assets");
  core::write_text_file(dir_ / "bundle/model.json", "{}");
  core::write_text_file(dir_ / "bundle/assets/chart.svg", "<svg/>");
  TransferTotals up = upload_directory(store, dir_ / "bundle", "runs/7/bundle", false);
  EXPECT_EQ(up.files, 2u);
  EXPECT_EQ(up.bytes, 8u);
  EXPECT_TRUE(store.exists("runs/7/bundle/assets/chart.svg"));
  TransferTotals down = download_directory(store, "runs/7/bundle/", dir_ / "copy", false);
  EXPECT_EQ(down.files, 2u);
  EXPECT_EQ(core::read_text_file(dir_ / "copy/assets/chart.svg"), "<svg/>");
  EXPECT_EQ(kind_of([&] { download_directory(store, "runs/8", dir_ / "none", false); }),
            ErrorKind::kNotFound);
  EXPECT_EQ(kind_of([&] { upload_directory(store, dir_ / "missing", "x", false); }),
            ErrorKind::kNotFound);
}

TEST_F(LocalStoreTest, FactoryOpensPathsAndFileUris) {
  auto by_path = open_artifact_store((dir_ / "p").string());
  by_path->put_bytes("k", "v");
  auto by_uri = open_artifact_store("file://" + (dir_ / "p").string());
  EXPECT_EQ(by_uri->get_bytes("k"), "v");
  EXPECT_EQ(by_uri->uri(), (dir_ / "p").string());
  EXPECT_EQ(kind_of([&] { open_artifact_store("gs://bucket/x"); }), ErrorKind::kInvalidInput);
  EXPECT_EQ(kind_of([&] { open_artifact_store(""); }), ErrorKind::kInvalidInput);
}

}  // namespace
}  // namespace archml::store
