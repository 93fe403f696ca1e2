// A caller-owned dense row-major float32 matrix, the hand-off format between the feature
// recipe and XGBoost. NaN marks a missing value (XGBoost then learns a default direction
// per split). The model layer never takes ownership: the memory must outlive the call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace archml::model {

struct DenseView {
  const float* values = nullptr;  // rows * cols values, row after row
  std::size_t rows = 0;
  std::size_t cols = 0;
};

// The __array_interface__ JSON that XGBoost's array-based C calls take for `view`
// (a borrowed pointer, not a copy). Throws archml::Error when values is null but the
// view is not empty.
std::string array_interface(const DenseView& view);

// XGBoost parses its JSON configs with a reader that accepts NaN (as Python's json emits);
// nlohmann::json would write null. "missing" must be NaN, so such configs are spelled by
// hand with this constant.
inline constexpr const char* kMissingNaN = "NaN";

}  // namespace archml::model
