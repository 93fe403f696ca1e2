// Replays every seed of fuzz/corpus/<name>/ and every input that ever failed, kept in
// fuzz/regressions/<name>/, through its fuzz harness (fuzz/<name>_fuzz.cpp), so the
// normal test suite (Release and sanitizer builds, no clang needed) keeps what the
// fuzzers found fixed. A finding (a broken oracle, an internal error, an exception that
// is not archml::Error) fails the test naming the file; a crash or a sanitizer report
// fails the test binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../../fuzz/harness.h"
#include "archml/core/error.h"

namespace archml::fuzz {
namespace {

namespace fs = std::filesystem;

struct NamedHarness {
  const char* name;  // the folder of its corpus and regressions
  Harness run;
};

const NamedHarness kHarnesses[] = {
    {"csv_reader", csv_reader},
    {"http_request", http_request},
    {"request_decoding", request_decoding},
    {"expression", expression},
    {"recipe", recipe},
    {"tuning_config", tuning_config},
    {"s3_xml", s3_xml},
};

std::vector<fs::path> inputs_of(const std::string& name) {
  std::vector<fs::path> files;
  for (const char* folder : {"corpus", "regressions"}) {
    const fs::path directory = fs::path(ARCHML_SOURCE_DIR) / "fuzz" / folder / name;
    if (!fs::is_directory(directory)) continue;
    for (const auto& entry : fs::directory_iterator(directory))
      if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class FuzzReplay : public ::testing::TestWithParam<NamedHarness> {};

TEST_P(FuzzReplay, EverySeedAndRegressionPasses) {
  const std::vector<fs::path> files = inputs_of(GetParam().name);
  ASSERT_FALSE(files.empty()) << "no seed corpus in fuzz/corpus/" << GetParam().name;
  for (const fs::path& file : files) {
    try {
      run_one(GetParam().run, contents(file));
    } catch (const std::exception& finding) {
      ADD_FAILURE() << file << ": " << finding.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Harnesses, FuzzReplay, ::testing::ValuesIn(kHarnesses),
                         [](const auto& info) { return std::string(info.param.name); });

// The replay must see a finding: a harness that throws one fails run_one.
TEST(FuzzReplayCheck, AFindingIsNotSwallowed) {
  EXPECT_THROW(run_one([](std::string_view) { check(false, "broken"); }, "x"), Finding);
  EXPECT_THROW(run_one([](std::string_view) { throw std::out_of_range("substr"); }, "x"),
               std::out_of_range);
  EXPECT_NO_THROW(run_one([](std::string_view) { throw_invalid("bad input"); }, "x"));
}

}  // namespace
}  // namespace archml::fuzz
