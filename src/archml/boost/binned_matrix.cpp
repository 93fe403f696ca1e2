#include "archml/boost/binned_matrix.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "archml/core/error.h"
#include "archml/core/parallel.h"

namespace archml::boost {
namespace {

// Rows binned per task: enough to amortise a task, small enough to balance two cores.
constexpr std::size_t kBinRowsPerTask = 1 << 16;

// A cut above `largest`: the last bin's upper bound.
float above(float largest) {
  const float step = std::max(std::fabs(largest) * 1e-5f, 1e-5f);
  return largest + step;
}

std::vector<float> sample_column(const FloatRows& rows, std::size_t f, std::size_t sample_rows) {
  std::vector<float> values;
  const std::size_t count = std::min(rows.rows, sample_rows);
  values.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t r = count == rows.rows ? i : i * rows.rows / count;
    values.push_back(rows.row(r)[f]);
  }
  return values;
}

}  // namespace

std::vector<float> quantile_cuts(std::vector<float> values, int max_bin) {
  const int bins = std::min(max_bin, kMaxBins);
  std::erase_if(values, [](float v) { return std::isnan(v); });
  std::sort(values.begin(), values.end());
  if (values.empty()) return {1.0f};  // a column of missing values: one (empty) bin
  std::vector<float> distinct = values;
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<float> cuts;
  if (distinct.size() <= static_cast<std::size_t>(bins)) {
    // One bin per value: value k's bin ends where value k + 1 starts.
    cuts.assign(distinct.begin() + 1, distinct.end());
  } else {
    for (int k = 1; k < bins; ++k) {
      const float cut = values[static_cast<std::size_t>(k) * values.size() / bins];
      if (cut > values.front() && (cuts.empty() || cut > cuts.back())) cuts.push_back(cut);
    }
  }
  cuts.push_back(above(values.back()));
  return cuts;
}

std::uint8_t BinnedMatrix::bin_of(std::size_t f, float value) const {
  const std::vector<float>& cuts = cuts_[f];
  if (std::isnan(value)) return static_cast<std::uint8_t>(cuts.size());
  const auto bin = std::upper_bound(cuts.begin(), cuts.end(), value) - cuts.begin();
  // Beyond the last cut (a value above every sampled one) goes to the last bin.
  return static_cast<std::uint8_t>(std::min<std::ptrdiff_t>(bin, std::ssize(cuts) - 1));
}

BinnedMatrix BinnedMatrix::build(const FloatRows& rows, int max_bin, unsigned threads,
                                 std::size_t sample_rows) {
  if (max_bin < 2) throw_invalid("max_bin must be at least 2, got " + std::to_string(max_bin));
  if (rows.cols == 0) throw_invalid("the rows to bin have no columns");
  BinnedMatrix matrix;
  matrix.rows_ = rows.rows;
  matrix.cuts_.resize(rows.cols);
  core::parallel_for(
      rows.cols,
      [&](std::size_t f) {
        matrix.cuts_[f] = quantile_cuts(sample_column(rows, f, sample_rows), max_bin);
      },
      threads);
  matrix.offsets_.assign(1, 0);
  for (const auto& cuts : matrix.cuts_)
    matrix.offsets_.push_back(matrix.offsets_.back() + static_cast<std::uint32_t>(cuts.size()) + 1);
  matrix.bins_.resize(rows.rows * rows.cols);
  const std::size_t tasks = (rows.rows + kBinRowsPerTask - 1) / kBinRowsPerTask;
  core::parallel_for(
      tasks,
      [&](std::size_t task) {
        const std::size_t end = std::min(rows.rows, (task + 1) * kBinRowsPerTask);
        for (std::size_t r = task * kBinRowsPerTask; r < end; ++r) {
          const float* values = rows.row(r);
          std::uint8_t* out = matrix.bins_.data() + r * rows.cols;
          for (std::size_t f = 0; f < rows.cols; ++f) out[f] = matrix.bin_of(f, values[f]);
        }
      },
      threads);
  return matrix;
}

}  // namespace archml::boost
