// The output of a fitted recipe: a dense row-major float32 matrix (rows x features) with
// feature names, laid out as XGBoost's DMatrix wants it. A missing value is NaN.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace archml::features {

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
