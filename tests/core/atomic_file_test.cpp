#include "archml/core/atomic_file.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "archml/core/error.h"
#include "archml/core/text_file.h"

namespace archml::core {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("archml-atomic-file-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Every entry of the test's folder, to show nothing was left behind.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_))
      names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

std::string message_of(const std::function<void()>& action, ErrorKind kind = ErrorKind::kIo) {
  try {
    action();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), kind);
    return error.what();
  }
  ADD_FAILURE() << "no archml::Error thrown";
  return {};
}

TEST_F(AtomicFileTest, TheDestinationChangesOnlyAtCommit) {
  write_text_file(dir_ / "out.txt", "old");
  AtomicFile file(dir_ / "out.txt");
  file.write("new ");
  file.stream() << "and streamed " << 42;
  EXPECT_EQ(read_text_file(dir_ / "out.txt"), "old");
  file.commit();
  EXPECT_EQ(read_text_file(dir_ / "out.txt"), "new and streamed 42");
  EXPECT_EQ(entries(), std::vector<std::string>{"out.txt"});
}

TEST_F(AtomicFileTest, AStreamLargerThanItsBufferArrivesWhole) {
  std::string big(200'000, 'x');
  for (std::size_t i = 0; i < big.size(); i += 7) big[i] = static_cast<char>('a' + i % 26);
  AtomicFile file(dir_ / "big");
  std::ostream& out = file.stream();
  out << 'A';
  out.write(big.data(), static_cast<std::streamsize>(big.size()));
  for (int i = 0; i < 100'000; ++i) out.put('z');
  file.commit(false);
  EXPECT_EQ(read_text_file(dir_ / "big"), "A" + big + std::string(100'000, 'z'));
}

TEST_F(AtomicFileTest, AbandonedOrFailedWritesLeaveNothing) {
  {
    AtomicFile file(dir_ / "never.txt");
    file.write("half of it");
  }  // as when an exception unwinds past it
  write_text_file(dir_ / "kept.txt", "kept");
  {
    AtomicFile file(dir_ / "kept.txt");
    file.stream() << "a replacement that fails half way";
  }
  EXPECT_EQ(entries(), std::vector<std::string>{"kept.txt"});
  EXPECT_EQ(read_text_file(dir_ / "kept.txt"), "kept");
}

TEST_F(AtomicFileTest, ParentFoldersAreCreatedOnlyWhenAsked) {
  std::string message = message_of([&] { write_text_file(dir_ / "missing/out.json", "{}"); });
  EXPECT_NE(message.find("the folder '" + (dir_ / "missing").string() + "' does not exist"),
            std::string::npos)
      << message;
  AtomicFile file(dir_ / "made/deep/out.json", ParentFolders::kCreate);
  file.commit();
  EXPECT_TRUE(fs::is_regular_file(dir_ / "made/deep/out.json"));
}

TEST_F(AtomicFileTest, ASymbolicLinkStaysOneAndItsFileIsReplaced) {
  write_text_file(dir_ / "real.csv", "old");
  fs::create_symlink(dir_ / "real.csv", dir_ / "link.csv");
  write_text_file(dir_ / "link.csv", "new");
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.csv"));
  EXPECT_EQ(read_text_file(dir_ / "real.csv"), "new");
  EXPECT_EQ(entries(), (std::vector<std::string>{"link.csv", "real.csv"}));
}

TEST_F(AtomicFileTest, AFolderIsNotReplaced) {
  fs::create_directories(dir_ / "taken");
  EXPECT_NE(message_of([&] { write_text_file(dir_ / "taken", "x"); }).find("it is a folder"),
            std::string::npos);
  EXPECT_TRUE(fs::is_directory(dir_ / "taken"));
}

TEST(AtomicFile, DevicesAreWrittenInPlaceAndAFullDiskSaysSo) {
  // /dev/full fails every write with ENOSPC; a rename over it would replace the device.
  std::string message = message_of([] { write_text_file("/dev/full", "some bytes"); });
  EXPECT_NE(message.find("cannot write '/dev/full': no space left on device"), std::string::npos)
      << message;
  EXPECT_FALSE(fs::is_regular_file("/dev/full"));
}

TEST(AtomicFile, StreamFailuresThrowTheArchmlError) {
  AtomicFile file("/dev/full");
  std::string message = message_of([&] { file.stream() << std::string(100'000, 'x'); });
  EXPECT_NE(message.find("no space left on device"), std::string::npos) << message;
  AtomicFile small("/dev/full");
  small.stream() << "fits the buffer";
  EXPECT_NE(message_of([&] { small.commit(); }).find("no space left on device"), std::string::npos);
  AtomicFile sink("/dev/null");
  sink.stream() << "discarded";
  sink.commit();
  EXPECT_FALSE(fs::is_regular_file("/dev/null"));
}

TEST(AtomicFile, WriteFailuresNameThePathAndWhatToDo) {
  EXPECT_EQ(write_failure("/d/f", ENOSPC),
            "cannot write '/d/f': no space left on device; free some space or write elsewhere");
  EXPECT_NE(write_failure("/d/f", EACCES).find("check the directory is writable"),
            std::string::npos);
  EXPECT_NE(write_failure("/d/f", EROFS).find("read-only file system"), std::string::npos);
  EXPECT_NE(write_failure("/d/f", ENOENT).find("the folder '/d' does not exist"),
            std::string::npos);
}

}  // namespace
}  // namespace archml::core
