// Runs tests/model/xgboost_reference.py (Python's xgboost, /usr/bin/python3) on models in
// XGBoost's JSON format and rows of floats; for the tests that hold archml's models to
// what Python predicts.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archml::model::testing {

inline bool python_has_xgboost() {
  return std::system("/usr/bin/python3 -c 'import xgboost' >/dev/null 2>&1") == 0;
}

struct ReferenceCase {
  std::string model_json;
  const std::vector<float>* values = nullptr;  // rows x cols, row-major, NaN missing
  std::size_t rows = 0, cols = 0;
};

// One result object per case ({"predictions", "feature_names", "base_score"}), or an
// empty array when the script failed (the caller's assertion then says so).
inline nlohmann::json python_predictions(const std::string& name,
                                         const std::vector<ReferenceCase>& cases) {
  const auto directory = std::filesystem::temp_directory_path() /
                         ("archml_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  nlohmann::json manifest = nlohmann::json::array();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string model_file = "model" + std::to_string(i) + ".json";
    const std::string data_file = "rows" + std::to_string(i) + ".f32";
    std::ofstream(directory / model_file) << cases[i].model_json;
    std::ofstream(directory / data_file, std::ios::binary)
        .write(reinterpret_cast<const char*>(cases[i].values->data()),
               static_cast<std::streamsize>(cases[i].values->size() * sizeof(float)));
    manifest.push_back({{"model", model_file},
                        {"data", data_file},
                        {"rows", cases[i].rows},
                        {"cols", cases[i].cols}});
  }
  std::ofstream(directory / "cases.json") << manifest.dump();
  const std::string command = "/usr/bin/python3 " + std::string(ARCHML_SOURCE_DIR) +
                              "/tests/model/xgboost_reference.py " + directory.string();
  nlohmann::json results = nlohmann::json::array();
  if (std::system(command.c_str()) == 0) {
    std::ifstream input(directory / "predictions.json");
    results = nlohmann::json::parse(input);
  }
  std::filesystem::remove_all(directory);
  return results;
}

}  // namespace archml::model::testing
