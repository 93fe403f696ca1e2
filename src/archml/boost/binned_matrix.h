// The training rows as histogram bins: per feature, quantile cut points taken from the
// rows' own floats, and every value replaced by the index of its bin, one byte a value,
// row after row (a row's bins are adjacent, which is what histogram building reads).
//
// Bins: a feature's cuts c[0] < c[1] < ... < c[n-1] are upper bounds; value v falls in
// the first bin i with v < c[i], and c[n-1] lies above every value seen. A split after
// bin b therefore sends exactly the values v < c[b] left, the rule XGBoost's JSON trees
// use, so trees grown on bins walk float rows the same way. A missing value (NaN) gets
// bin n, its own histogram slot. A feature has at most 255 bins (max_bin above 255 is
// capped) so that bin and missing code fit a byte.
//
// Cuts: a feature with at most max_bin distinct values gets one bin per value; otherwise
// the cuts are evenly spaced quantiles of a sample of rows (every row when there are few).
// Built once, then only read: trainers on several threads may share one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace archml::boost {

// Row-major float rows, NaN for a missing value (the layout features::FeatureMatrix and
// model::DenseView hold).
struct FloatRows {
  const float* values = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  const float* row(std::size_t r) const { return values + r * cols; }
};

inline constexpr int kMaxBins = 255;

class BinnedMatrix {
 public:
  // Rows sketched for the cuts when there are more (evenly spaced over all rows).
  static constexpr std::size_t kDefaultSampleRows = 200'000;

  // Throws archml::Error (invalid input) for max_bin < 2 or no columns.
  static BinnedMatrix build(const FloatRows& rows, int max_bin, unsigned threads,
                            std::size_t sample_rows = kDefaultSampleRows);

  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return cuts_.size(); }
  // The cuts of feature f (its bin count is their number).
  const std::vector<float>& cuts(std::size_t f) const { return cuts_[f]; }
  std::uint32_t bins(std::size_t f) const { return static_cast<std::uint32_t>(cuts_[f].size()); }
  // Feature f's first histogram slot; its slots are bins(f) bins then the missing slot.
  std::uint32_t slot_offset(std::size_t f) const { return offsets_[f]; }
  // Slots of a whole histogram (every feature's bins and missing slot).
  std::uint32_t histogram_slots() const { return offsets_.back(); }
  const std::uint8_t* row(std::size_t r) const { return bins_.data() + r * cols(); }
  // The bin `value` falls in for feature f (bins(f) for NaN).
  std::uint8_t bin_of(std::size_t f, float value) const;

 private:
  std::size_t rows_ = 0;
  std::vector<std::vector<float>> cuts_;
  std::vector<std::uint32_t> offsets_;  // cols + 1 entries
  std::vector<std::uint8_t> bins_;
};

// The cuts for one feature from its (sample) values; NaNs are skipped. Exposed for tests.
std::vector<float> quantile_cuts(std::vector<float> values, int max_bin);

}  // namespace archml::boost
