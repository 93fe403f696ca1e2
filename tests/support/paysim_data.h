// PaySim-shaped data for unit tests. A clone of the repository alone has no real PaySim
// data, so tests train and transform on data the generator makes (generated_paysim_csv);
// the comparisons against the real 4,999-row sample that sits beside this project's CI
// checkout (../shared/data/paysim-5k.csv, or the file ARCHML_PAYSIM_SAMPLE names) run only
// where it exists and skip elsewhere, with the reason scripts/test allows:
//
//   const std::string sample = testing::paysim_sample_path();
//   if (sample.empty()) GTEST_SKIP() << testing::kPaysimSampleAbsent;
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "archml/data/paysim.h"

namespace archml::testing {

inline constexpr const char* kPaysimSampleAbsent =
    "SKIP: the PaySim sample ../shared/data/paysim-5k.csv is absent (a clone of the "
    "repository alone)";

// The real sample's path, or "" when it is absent.
inline std::string paysim_sample_path() {
  const char* chosen = std::getenv("ARCHML_PAYSIM_SAMPLE");
  const std::string path = chosen != nullptr
                               ? std::string(chosen)
                               : std::string(ARCHML_SOURCE_DIR) + "/../shared/data/paysim-5k.csv";
  return std::filesystem::is_regular_file(path) ? path : "";
}

// A PaySim-like CSV of 20,000 rows (26 frauds; seed 1729), generated once per test
// process into the temporary directory and removed when the process ends.
inline const std::string& generated_paysim_csv() {
  struct GeneratedFile {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("archml-paysim-" + std::to_string(::getpid()) + ".csv");
    GeneratedFile() { data::write_paysim_csv({.rows = 20'000, .seed = 1729}, path.string()); }
    ~GeneratedFile() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
    std::string text = path.string();
  };
  static const GeneratedFile file;
  return file.text;
}

}  // namespace archml::testing
