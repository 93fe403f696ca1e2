#include "archml/core/text_file.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "archml/core/error.h"

namespace archml::core {
namespace {

namespace fs = std::filesystem;

TEST(TextFile, WritesAndReadsBackExactly) {
  fs::path dir = fs::temp_directory_path() / ("archml-text-file-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string text("line one\nbinary \0 byte\n", 24);
  write_text_file(dir / "a.txt", text);
  EXPECT_EQ(read_text_file(dir / "a.txt"), text);
  write_text_file(dir / "a.txt", "shorter");  // replaces, never appends
  EXPECT_EQ(read_text_file(dir / "a.txt"), "shorter");
  fs::remove_all(dir);
}

TEST(TextFile, MissingFileIsNotFoundAndNamed) {
  try {
    read_text_file("/nonexistent/recipe.yaml", "recipe file");
    FAIL() << "read a missing file";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(error.what()).find("recipe file '/nonexistent/recipe.yaml'"),
              std::string::npos);
  }
}

TEST(TextFile, UnwritableDirectoryIsAnIoError) {
  try {
    write_text_file("/nonexistent-dir/out.json", "{}");
    FAIL() << "wrote into a missing directory";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
  }
}

}  // namespace
}  // namespace archml::core
