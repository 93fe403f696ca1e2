// The output of a fitted recipe: a dense row-major float32 matrix (rows x features) with
// feature names, laid out as XGBoost's DMatrix wants it. A missing value is NaN.
//
// Every value is finite or missing: the one rule for non-finite numbers (docs/csv.md).
// inf, -inf and numbers beyond the range of a 32-bit float (|x| > 3.4e38, including
// 1e400, which is beyond a double's) are refused by the transform that fills the matrix,
// naming the column and the row, rather than read as missing: they are nearly always a
// fault upstream (a division by zero, a unit error), and a model trained on a guess
// would hide it. Recipe expressions are the exception: their non-finite intermediate
// results (log(0), x / 0) are missing by definition (docs/recipe.md).
#pragma once

#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace archml::features {

// True when `value`, converted to a feature, would be infinite (NaN is missing, not this).
inline bool overflows_feature(double value) {
  constexpr double kMaxFeature = 3.4028234663852886e38;  // FLT_MAX
  return std::fabs(value) > kMaxFeature;
}
// Throws archml::Error (invalid input) saying the value of `column` in `row` (1-based)
// is not a finite number; `text` is the value as written, when there is one.
[[noreturn]] void throw_non_finite(std::string_view column, std::size_t row,
                                   std::string_view text = {});
// Reads a whole field of text rows (an HTTP body) as a number, an optional '+' first.
// Returns false when it is not a number; throws as throw_non_finite when it is one but not
// a finite feature (inf, 1e400, 1e39). A number too small for a double reads as 0.
bool read_feature_number(std::string_view text, double& value, std::string_view column,
                         std::size_t row);

class FeatureMatrix {
 public:
  FeatureMatrix() = default;
  // Values start uninitialised: the transform writes every cell, and zeroing hundreds of
  // megabytes first would cost as much as the transform.
  FeatureMatrix(std::size_t rows, std::vector<std::string> names);

  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }
  // Index of the named feature, or -1.
  std::ptrdiff_t find(std::string_view name) const;

  float* data() { return values_.get(); }
  const float* data() const { return values_.get(); }
  float at(std::size_t row, std::size_t col) const { return values_[row * cols() + col]; }
  float* row(std::size_t r) { return values_.get() + r * cols(); }
  const float* row(std::size_t r) const { return values_.get() + r * cols(); }

 private:
  std::size_t rows_ = 0;
  std::vector<std::string> names_;
  std::unique_ptr<float[]> values_;
};

}  // namespace archml::features
