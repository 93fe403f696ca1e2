#include "archml/data/profile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <numeric>
#include <string_view>
#include <utility>

#include "archml/core/error.h"
#include "archml/core/numbers.h"
#include "archml/core/parallel.h"
#include "archml/core/progress.h"

namespace archml::data {
namespace {

using core::kNaN;
constexpr std::uint8_t kNoClass = 0xFF;
// Rows per correlation task: large enough to amortise the task, small enough to balance.
constexpr std::size_t kCorrelationChunkRows = 1 << 16;
// Rows converted to centered doubles at a time, sized to stay in L2 for ~16 columns.
constexpr std::size_t kCorrelationBlockRows = 1024;
// A non-negative column whose max exceeds this multiple of its mean gets log-scale bins:
// amounts and balances would otherwise show one bar at zero.
constexpr double kHeavyTailRatio = 20.0;

// Neumaier's compensated sum: means and variances agree with numpy's pairwise sums to
// well below 1e-12 relative even over millions of large values.
class CompensatedSum {
 public:
  void add(double x) {
    double t = sum_ + x;
    compensation_ += std::fabs(sum_) >= std::fabs(x) ? (sum_ - t) + x : (x - t) + sum_;
    sum_ = t;
  }
  void add(const CompensatedSum& other) {
    add(other.sum_);
    add(other.compensation_);
  }
  double value() const { return sum_ + compensation_; }

 private:
  double sum_ = 0;
  double compensation_ = 0;
};

// Calls visit(row, value) for each non-missing row of a numeric column in [begin, end).
// NaN in a float column counts as missing, as in pandas.
template <typename Visit>
void for_each_number(const Column& column, std::size_t begin, std::size_t end, Visit&& visit) {
  const auto& mask = column.missing_mask();
  auto run = [&](const auto* data) {
    if (mask.empty()) {
      for (std::size_t row = begin; row < end; ++row) visit(row, static_cast<double>(data[row]));
    } else {
      for (std::size_t row = begin; row < end; ++row)
        if (!mask[row]) visit(row, static_cast<double>(data[row]));
    }
  };
  switch (column.type()) {
    case ColumnType::kInt64:
      run(column.ints().data());
      break;
    case ColumnType::kBool:
      run(column.bools().data());
      break;
    case ColumnType::kFloat64: {
      const double* data = column.floats().data();
      for (std::size_t row = begin; row < end; ++row)
        if ((mask.empty() || !mask[row]) && !std::isnan(data[row])) visit(row, data[row]);
      break;
    }
    case ColumnType::kString:
      throw Error(ErrorKind::kInternal, "column '" + column.name() + "' is not numeric");
  }
}

std::string format_label(double value, ColumnType type) {
  if (type == ColumnType::kBool) return value != 0 ? "true" : "false";
  if (type == ColumnType::kInt64) return std::to_string(static_cast<std::int64_t>(value));
  return core::shortest_text(value);
}

std::string percent(double ratio) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, ratio < 0.01 ? "%.3g%%" : "%.1f%%", ratio * 100);
  return buffer;
}

// --- target classes ----------------------------------------------------------------

struct TargetClasses {
  bool is_classes = false;
  std::vector<std::string> labels;
  std::vector<std::uint64_t> counts;
  std::vector<std::uint8_t> row_class;  // kNoClass where the target is missing
  std::size_t minority = 0;             // class with the fewest rows
};

TargetClasses find_classes(const Column& target, std::size_t max_classes) {
  TargetClasses classes;
  const std::size_t rows = target.size();
  max_classes = std::min<std::size_t>(max_classes, kNoClass - 1);
  if (target.type() == ColumnType::kString) {
    const auto& codes = target.codes();
    std::vector<std::uint64_t> code_counts(target.dictionary().size(), 0);
    for (std::size_t row = 0; row < rows; ++row)
      if (codes[row] != Column::kMissingCode && !target.is_missing(row)) ++code_counts[codes[row]];
    std::vector<std::uint32_t> used;
    for (std::uint32_t code = 0; code < code_counts.size(); ++code)
      if (code_counts[code] > 0) {
        used.push_back(code);
        if (used.size() > max_classes) return classes;
      }
    std::sort(used.begin(), used.end(), [&](std::uint32_t a, std::uint32_t b) {
      return target.dictionary().at(a) < target.dictionary().at(b);
    });
    std::vector<std::uint8_t> class_of_code(code_counts.size(), kNoClass);
    for (std::size_t i = 0; i < used.size(); ++i) {
      class_of_code[used[i]] = static_cast<std::uint8_t>(i);
      classes.labels.emplace_back(target.dictionary().at(used[i]));
      classes.counts.push_back(code_counts[used[i]]);
    }
    classes.row_class.assign(rows, kNoClass);
    for (std::size_t row = 0; row < rows; ++row)
      if (codes[row] != Column::kMissingCode && !target.is_missing(row))
        classes.row_class[row] = class_of_code[codes[row]];
  } else {
    // Few distinct values expected: a short list with a last-hit shortcut beats hashing.
    std::vector<double> values;
    std::vector<std::uint64_t> counts;
    std::size_t last = 0;
    bool too_many = false;
    for_each_number(target, 0, rows, [&](std::size_t, double value) {
      if (too_many) return;
      if (last < values.size() && values[last] == value) {
        ++counts[last];
        return;
      }
      auto found = std::find(values.begin(), values.end(), value);
      if (found == values.end()) {
        if (values.size() == max_classes) {
          too_many = true;
          return;
        }
        values.push_back(value);
        counts.push_back(0);
        found = values.end() - 1;
      }
      last = static_cast<std::size_t>(found - values.begin());
      ++counts[last];
    });
    if (too_many) return classes;
    if (target.type() == ColumnType::kFloat64)
      for (double value : values)
        if (value != std::floor(value)) return classes;  // a real-valued target: regression
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<double> sorted_values;
    for (std::size_t i : order) {
      sorted_values.push_back(values[i]);
      classes.labels.push_back(format_label(values[i], target.type()));
      classes.counts.push_back(counts[i]);
    }
    classes.row_class.assign(rows, kNoClass);
    for_each_number(target, 0, rows, [&](std::size_t row, double value) {
      auto at = std::lower_bound(sorted_values.begin(), sorted_values.end(), value);
      classes.row_class[row] = static_cast<std::uint8_t>(at - sorted_values.begin());
    });
  }
  classes.is_classes = !classes.labels.empty();
  for (std::size_t i = 1; i < classes.counts.size(); ++i)
    if (classes.counts[i] < classes.counts[classes.minority]) classes.minority = i;
  return classes;
}

// --- numeric columns ---------------------------------------------------------------

// Linear interpolation between order statistics, as numpy's default percentile (including
// its choice of lerp form, so results agree to the last bit where possible).
double lerp(double a, double b, double t) {
  double diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

// Quartiles of `values` (reordered in place) by successive selections, each on the part
// that the previous one left to its right.
void quartiles_by_selection(std::vector<double>& values, NumericSummary& summary) {
  const std::size_t n = values.size();
  double* out[3] = {&summary.p25, &summary.p50, &summary.p75};
  const double qs[3] = {0.25, 0.5, 0.75};
  auto begin = values.begin();
  for (int i = 0; i < 3; ++i) {
    double position = qs[i] * static_cast<double>(n - 1);
    auto low = static_cast<std::size_t>(std::floor(position));
    double fraction = position - static_cast<double>(low);
    auto nth = values.begin() + static_cast<std::ptrdiff_t>(low);
    std::nth_element(begin, nth, values.end());
    double low_value = *nth;
    double high_value = low + 1 < n ? *std::min_element(nth + 1, values.end()) : low_value;
    *out[i] = fraction == 0 ? low_value : lerp(low_value, high_value, fraction);
    begin = nth;
  }
}

// Exact quartiles in one pass for large columns: a sorted sample brackets each wanted rank,
// one pass counts the values below each bracket and gathers the few inside it, and only
// those are sorted. If a bracket misses (adversarial order), selection takes over.
void quartiles(std::vector<double>& values, NumericSummary& summary) {
  constexpr std::size_t kSample = 1 << 15;
  constexpr std::size_t kMargin = 1024;  // sample ranks either side: ~5.6 standard deviations
  const std::size_t n = values.size();
  if (n < 16 * kSample) return quartiles_by_selection(values, summary);
  std::vector<double> sample(kSample);
  for (std::size_t i = 0; i < kSample; ++i) sample[i] = values[i * (n / kSample)];
  std::sort(sample.begin(), sample.end());
  const double qs[3] = {0.25, 0.5, 0.75};
  double lower[3], upper[3];
  std::size_t rank[3];
  double fraction[3];
  for (int q = 0; q < 3; ++q) {
    double position = qs[q] * static_cast<double>(n - 1);
    rank[q] = static_cast<std::size_t>(std::floor(position));
    fraction[q] = position - static_cast<double>(rank[q]);
    auto center = static_cast<std::size_t>(qs[q] * static_cast<double>(kSample));
    lower[q] = sample[center > kMargin ? center - kMargin : 0];
    upper[q] = sample[std::min(kSample - 1, center + kMargin)];
  }
  // Two branch-free passes with the bounds in registers: count, then gather into buckets
  // sized by the count (one slack slot takes the writes of values that do not belong).
  const double l0 = lower[0], l1 = lower[1], l2 = lower[2];
  const double u0 = upper[0], u1 = upper[1], u2 = upper[2];
  std::size_t below[3] = {0, 0, 0}, size[3] = {0, 0, 0};
  {
    std::size_t b0 = 0, b1 = 0, b2 = 0, s0 = 0, s1 = 0, s2 = 0;
    for (double value : values) {
      b0 += value < l0, b1 += value < l1, b2 += value < l2;
      s0 += (value >= l0) & (value <= u0);
      s1 += (value >= l1) & (value <= u1);
      s2 += (value >= l2) & (value <= u2);
    }
    below[0] = b0, below[1] = b1, below[2] = b2, size[0] = s0, size[1] = s1, size[2] = s2;
  }
  for (int q = 0; q < 3; ++q)
    if (below[q] > rank[q] || below[q] + size[q] < rank[q] + 2)
      return quartiles_by_selection(values, summary);  // ranks rank, rank + 1 not bracketed
  // A bracket of one repeated value (zeros in balances) needs no gathering.
  const bool g0 = l0 != u0, g1 = l1 != u1, g2 = l2 != u2;
  const bool gather[3] = {g0, g1, g2};
  std::vector<double> inside[3];
  for (int q = 0; q < 3; ++q) inside[q].resize(gather[q] ? size[q] + 1 : 1);
  {
    double* d0 = inside[0].data();
    double* d1 = inside[1].data();
    double* d2 = inside[2].data();
    std::size_t i0 = 0, i1 = 0, i2 = 0;
    for (double value : values) {
      d0[i0] = value, d1[i1] = value, d2[i2] = value;
      i0 += g0 & (value >= l0) & (value <= u0);
      i1 += g1 & (value >= l1) & (value <= u1);
      i2 += g2 & (value >= l2) & (value <= u2);
    }
  }
  for (int q = 0; q < 3; ++q) inside[q].pop_back();
  double* out[3] = {&summary.p25, &summary.p50, &summary.p75};
  for (int q = 0; q < 3; ++q) {
    if (!gather[q]) {
      *out[q] = lower[q];
      continue;
    }
    auto& bucket = inside[q];
    auto nth = bucket.begin() + static_cast<std::ptrdiff_t>(rank[q] - below[q]);
    std::nth_element(bucket.begin(), nth, bucket.end());
    double low_value = *nth;
    double high_value = *std::min_element(nth + 1, bucket.end());
    *out[q] = fraction[q] == 0 ? low_value : lerp(low_value, high_value, fraction[q]);
  }
}

Histogram make_histogram(double low, double high, std::size_t bins, bool integral,
                         std::size_t classes) {
  Histogram histogram;
  if (high == low) {
    histogram.edges = {low - 0.5, high + 0.5};
  } else if (integral && high - low + 1 <= static_cast<double>(bins)) {
    // One bar per whole number (step, flags) reads better than 30 partly empty bins.
    for (double edge = low - 0.5; edge <= high + 0.5; edge += 1) histogram.edges.push_back(edge);
  } else {
    histogram.edges.resize(bins + 1);
    double width = (high - low) / static_cast<double>(bins);
    for (std::size_t i = 0; i <= bins; ++i)
      histogram.edges[i] = low + width * static_cast<double>(i);
    histogram.edges[bins] = high;
  }
  std::size_t count = histogram.edges.size() - 1;
  histogram.counts.assign(count, 0);
  if (classes > 0) histogram.by_class.assign(classes, std::vector<std::uint64_t>(count, 0));
  return histogram;
}

// Maps a value to its bin without a division per value.
class LinearBinner {
 public:
  explicit LinearBinner(const Histogram& histogram)
      : low_(histogram.edges.front()),
        bins_(histogram.edges.size() - 1),
        scale_(bins_ > 1 ? static_cast<double>(bins_) / (histogram.edges.back() - low_) : 0) {}
  std::size_t operator()(double value) const {
    auto bin = static_cast<std::size_t>((value - low_) * scale_);
    return bin < bins_ ? bin : bins_ - 1;
  }

 private:
  double low_;
  std::size_t bins_;
  double scale_;
};

// Bins of equal width in log10(1 + x). A cheap log2 from the exponent bits guesses the bin
// to within one; comparisons with the edges (held in value space) make it exact, so the
// hot loop calls no log function.
class LogBinner {
 public:
  explicit LogBinner(const Histogram& histogram)
      : low_(histogram.edges.front()), bins_(histogram.edges.size() - 1) {
    scale_ = static_cast<double>(bins_) / (histogram.edges.back() - low_);
    for (double edge : histogram.edges) value_edges_.push_back(std::pow(10.0, edge) - 1);
  }
  // The threshold in value space at bin edge i.
  double value_edge(std::size_t i) const { return value_edges_[i]; }
  std::size_t operator()(double value) const {
    double log10_estimate = fast_log2(1 + value) * 0.30102999566398120;
    double position = (log10_estimate - low_) * scale_;
    std::size_t bin = position <= 0 ? 0 : std::min(static_cast<std::size_t>(position), bins_ - 1);
    // One branch-free step each way settles almost every value; the loops catch the rest
    // (ranges so narrow that a bin is finer than the estimate).
    bin -= static_cast<std::size_t>(bin > 0) & static_cast<std::size_t>(value < value_edges_[bin]);
    bin += static_cast<std::size_t>(bin + 1 < bins_) &
           static_cast<std::size_t>(value >= value_edges_[std::min(bin + 1, bins_)]);
    while (bin > 0 && value < value_edges_[bin]) --bin;
    while (bin + 1 < bins_ && value >= value_edges_[bin + 1]) ++bin;
    return bin;
  }

 private:
  // log2 of a positive normal double, within 0.09: exponent plus the mantissa as a line.
  static double fast_log2(double x) {
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    auto exponent = static_cast<double>(static_cast<std::int64_t>((bits >> 52) & 0x7FF) - 1023);
    bits = (bits & 0x000FFFFFFFFFFFFFULL) | 0x3FF0000000000000ULL;
    double mantissa;
    std::memcpy(&mantissa, &bits, sizeof mantissa);
    return exponent + (mantissa - 1);
  }

  double low_;
  std::size_t bins_;
  double scale_;
  std::vector<double> value_edges_;
};

// Plain double sums within a block of rows (fast, vectorisable), compensated across
// blocks: the error stays near that of numpy's pairwise summation.
class BlockedSum {
 public:
  void add(double x) { block_ += x; }
  void flush() {
    total_.add(block_);
    block_ = 0;
  }
  double value() const {
    CompensatedSum copy = total_;
    copy.add(block_);
    return copy.value();
  }

 private:
  double block_ = 0;
  CompensatedSum total_;
};

constexpr std::size_t kSumBlockRows = 2048;

// Calls visit(row, value) over all rows in blocks, then flush() after each block.
template <typename Visit, typename Flush>
void for_each_number_blocked(const Column& column, Visit&& visit, Flush&& flush) {
  const std::size_t rows = column.size();
  for (std::size_t begin = 0; begin < rows; begin += kSumBlockRows) {
    for_each_number(column, begin, std::min(rows, begin + kSumBlockRows), visit);
    flush();
  }
}

struct NumericResult {
  ColumnProfile profile;
  bool unique_sequence = false;  // an integer column with no repeated value, in order or dense
};

NumericResult profile_numeric(const Column& column, const TargetClasses* classes,
                              std::size_t bins) {
  NumericResult result;
  ColumnProfile& profile = result.profile;
  NumericSummary summary;
  const std::size_t rows = column.size();
  const std::size_t class_count = classes ? classes->labels.size() : 0;
  const std::uint8_t* row_class = classes ? classes->row_class.data() : nullptr;

  // Pass 1: the compact copy for quartiles, extremes, order; per-class sums.
  std::vector<double> values;
  values.reserve(rows - column.missing_count());
  double low = std::numeric_limits<double>::infinity();
  double high = -low;
  std::uint64_t zeros = 0;
  bool increasing = true, decreasing = true;
  std::vector<BlockedSum> class_sum(class_count);
  std::vector<ClassStats> by_class(class_count);
  for (auto& stats : by_class) {
    stats.min = std::numeric_limits<double>::infinity();
    stats.max = -stats.min;
  }
  auto flush_class_sums = [&] {
    for (auto& sum : class_sum) sum.flush();
  };
  std::uint64_t infinite = 0;
  if (row_class) {
    for_each_number_blocked(
        column,
        [&](std::size_t row, double value) {
          if (std::isinf(value)) {
            ++infinite;
            return;
          }
          values.push_back(value);
          std::uint8_t c = row_class[row];
          if (c == kNoClass) return;
          ++by_class[c].count;
          class_sum[c].add(value);
          by_class[c].min = std::min(by_class[c].min, value);
          by_class[c].max = std::max(by_class[c].max, value);
        },
        flush_class_sums);
  } else {
    for_each_number(column, 0, rows, [&](std::size_t, double value) {
      if (std::isinf(value))
        ++infinite;
      else
        values.push_back(value);
    });
  }
  const std::size_t n = values.size();
  profile.count = n;
  profile.missing = rows - n - infinite;
  summary.infinite = infinite;
  if (n == 0) {
    summary.mean = summary.std = summary.min = summary.max = kNaN;
    summary.p25 = summary.p50 = summary.p75 = kNaN;
    for (auto& stats : by_class) stats.mean = stats.std = stats.min = stats.max = kNaN;
    profile.numeric = summary;
    profile.by_class = std::move(by_class);
    return result;
  }
  // Over the compact copy: contiguous, so these loops vectorise.
  BlockedSum sum;
  for (std::size_t begin = 0; begin < n; begin += kSumBlockRows) {
    std::size_t end = std::min(n, begin + kSumBlockRows);
    double block = 0;
    for (std::size_t i = begin; i < end; ++i) {
      double value = values[i];
      block += value;
      low = std::min(low, value);
      high = std::max(high, value);
      zeros += value == 0;
    }
    sum.add(block);
    sum.flush();
  }
  if (column.type() == ColumnType::kInt64) {
    for (std::size_t i = 1; i < n && (increasing || decreasing); ++i) {
      increasing &= values[i] > values[i - 1];
      decreasing &= values[i] < values[i - 1];
    }
  }
  summary.zeros = zeros;
  summary.min = low;
  summary.max = high;
  summary.mean = sum.value() / static_cast<double>(n);
  for (std::size_t c = 0; c < class_count; ++c)
    by_class[c].mean =
        by_class[c].count ? class_sum[c].value() / static_cast<double>(by_class[c].count) : kNaN;

  // Pass 2: squared deviations (two-pass variance, as numpy) and histograms.
  const bool integral = column.type() != ColumnType::kFloat64;
  summary.histogram = make_histogram(low, high, bins, integral, class_count);
  const bool heavy_tail = column.type() != ColumnType::kBool && low >= 0 && summary.mean > 0 &&
                          high > kHeavyTailRatio * summary.mean;
  if (heavy_tail) {
    summary.log_histogram =
        make_histogram(std::log10(1 + low), std::log10(1 + high), bins, false, class_count);
    summary.log_histogram->log_scale = true;
  }
  const LinearBinner linear_bin(summary.histogram);
  std::optional<LogBinner> log_bin;
  if (heavy_tail) log_bin.emplace(*summary.log_histogram);
  const double mean = summary.mean;
  BlockedSum squares;
  for (std::size_t begin = 0; begin < n; begin += kSumBlockRows) {
    std::size_t end = std::min(n, begin + kSumBlockRows);
    double block = 0;
    for (std::size_t i = begin; i < end; ++i) {
      double deviation = values[i] - mean;
      block += deviation * deviation;
    }
    squares.add(block);
    squares.flush();
  }
  summary.std = n > 1 ? std::sqrt(squares.value() / static_cast<double>(n - 1)) : kNaN;
  if (!row_class) {
    auto& counts = summary.histogram.counts;
    for (double value : values) ++counts[linear_bin(value)];
    if (log_bin)
      for (double value : values) ++summary.log_histogram->counts[(*log_bin)(value)];
  } else {
    // Class-split bins and per-class deviations need the row, so walk the column again.
    std::vector<BlockedSum> class_squares(class_count);
    std::vector<std::uint64_t>* class_bins = summary.histogram.by_class.data();
    std::vector<std::uint64_t>* class_log_bins =
        log_bin ? summary.log_histogram->by_class.data() : nullptr;
    for_each_number_blocked(
        column,
        [&](std::size_t row, double value) {
          if (std::isinf(value)) return;  // counted apart in pass 1
          std::uint8_t c = row_class[row];
          if (c == kNoClass) {
            ++summary.histogram.counts[linear_bin(value)];
            if (log_bin) ++summary.log_histogram->counts[(*log_bin)(value)];
            return;
          }
          double deviation = value - by_class[c].mean;
          class_squares[c].add(deviation * deviation);
          std::size_t bin = linear_bin(value);
          ++summary.histogram.counts[bin];
          ++class_bins[c][bin];
          if (log_bin) {
            std::size_t log = (*log_bin)(value);
            ++summary.log_histogram->counts[log];
            ++class_log_bins[c][log];
          }
        },
        [&] {
          for (auto& squares_of_class : class_squares) squares_of_class.flush();
        });
    for (std::size_t c = 0; c < class_count; ++c) {
      auto& stats = by_class[c];
      stats.std = stats.count > 1
                      ? std::sqrt(class_squares[c].value() / static_cast<double>(stats.count - 1))
                      : kNaN;
      if (stats.count == 0) stats.min = stats.max = kNaN;
    }
  }

  if (column.type() == ColumnType::kInt64 && n > 1) {
    if (increasing || decreasing) {
      result.unique_sequence = true;
    } else if (high - low + 1 == static_cast<double>(n)) {
      std::vector<bool> seen(n, false);
      result.unique_sequence = true;
      for (double value : values) {
        auto slot = static_cast<std::size_t>(value - low);
        if (seen[slot]) {
          result.unique_sequence = false;
          break;
        }
        seen[slot] = true;
      }
    }
  }
  quartiles(values, summary);
  profile.numeric = std::move(summary);
  profile.by_class = std::move(by_class);
  return result;
}

// --- string columns ----------------------------------------------------------------

struct CategoricalResult {
  ColumnProfile profile;
  // A value holding almost all rows of the minority class and almost nothing else.
  std::optional<ValueCount> isolating_value;
};

CategoricalResult profile_categorical(const Column& column, const TargetClasses* classes,
                                      const ProfileOptions& options) {
  CategoricalResult result;
  ColumnProfile& profile = result.profile;
  CategoricalSummary summary;
  const std::size_t rows = column.size();
  const auto& codes = column.codes();
  const std::uint32_t dictionary_size = column.dictionary().size();
  const std::uint8_t* row_class = classes ? classes->row_class.data() : nullptr;
  const std::size_t class_count = classes ? classes->labels.size() : 0;
  const auto minority = static_cast<std::uint8_t>(classes ? classes->minority : 0);

  // 32-bit counts halve the memory of million-value dictionaries (account IDs).
  if (rows > std::numeric_limits<std::uint32_t>::max())
    throw Error(ErrorKind::kUnsupported, "profiling more than 4 billion rows is not supported");
  std::vector<std::uint32_t> counts(dictionary_size, 0);
  std::vector<std::uint32_t> minority_counts(row_class ? dictionary_size : 0, 0);
  std::uint64_t present = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    std::uint32_t code = codes[row];
    if (code == Column::kMissingCode || column.is_missing(row)) continue;
    ++counts[code];
    ++present;
    if (row_class && row_class[row] == minority) ++minority_counts[code];
  }
  profile.count = present;
  profile.missing = rows - present;

  // Top values by count with a min-heap of size K; ties keep the lower (first-seen) code.
  const std::size_t k = std::min<std::size_t>(options.top_values, kNoClass - 1);
  auto better = [&](std::uint32_t a, std::uint32_t b) {
    return counts[a] != counts[b] ? counts[a] > counts[b] : a < b;
  };
  std::vector<std::uint32_t> heap;
  for (std::uint32_t code = 0; code < dictionary_size; ++code) {
    if (counts[code] == 0) continue;
    ++summary.distinct;
    if (heap.size() < k) {
      heap.push_back(code);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (k > 0 && better(code, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = code;
      std::push_heap(heap.begin(), heap.end(), better);
    }
  }
  std::sort(heap.begin(), heap.end(), better);
  std::uint64_t in_top = 0;
  for (std::uint32_t code : heap) {
    summary.top.push_back({std::string(column.dictionary().at(code)), counts[code], {}});
    in_top += counts[code];
  }
  summary.other = present - in_top;

  if (row_class) {
    const std::uint64_t minority_total = classes->counts[minority];
    const double purity = options.leak_purity;
    for (std::uint32_t code = 0; code < dictionary_size && minority_total > 0; ++code) {
      double precision = counts[code] ? double(minority_counts[code]) / counts[code] : 0;
      double recall = double(minority_counts[code]) / double(minority_total);
      if (precision >= purity && recall >= purity) {
        result.isolating_value =
            ValueCount{std::string(column.dictionary().at(code)), counts[code], {}};
        result.isolating_value->by_class.assign(class_count, 0);
        result.isolating_value->by_class[minority] = minority_counts[code];
        break;
      }
    }
    // Second pass for the class split of the top values only: a slot per code is cheap,
    // a class split per code would not be.
    std::vector<std::uint8_t> slot(dictionary_size, kNoClass);
    for (std::size_t i = 0; i < heap.size(); ++i) slot[heap[i]] = static_cast<std::uint8_t>(i);
    for (auto& value : summary.top) value.by_class.assign(class_count, 0);
    for (std::size_t row = 0; row < rows; ++row) {
      std::uint32_t code = codes[row];
      if (code == Column::kMissingCode || row_class[row] == kNoClass || column.is_missing(row))
        continue;
      std::uint8_t s = slot[code];
      if (s != kNoClass) ++summary.top[s].by_class[row_class[row]];
    }
  }
  profile.categorical = std::move(summary);
  return result;
}

// --- correlations ------------------------------------------------------------------

// One correlation input: a numeric column, or the two-class string target as 0/1.
struct CorrelationInput {
  const Column* column = nullptr;
  const std::vector<std::uint8_t>* indicator_class = nullptr;  // row_class for a string target
  std::uint8_t positive_class = 0;
  double center = 0;  // the mean: centering keeps products of large balances accurate
  bool has_missing = false;
  bool constant = false;

  // Fills out[i] with value(begin + i) - center, NaN where missing.
  void fill(std::size_t begin, std::size_t end, double* out) const {
    if (indicator_class) {
      const std::uint8_t* classes = indicator_class->data();
      for (std::size_t row = begin; row < end; ++row)
        out[row - begin] =
            classes[row] == kNoClass ? kNaN : (classes[row] == positive_class ? 1.0 : 0.0) - center;
      return;
    }
    std::fill(out, out + (end - begin), kNaN);
    for_each_number(*column, begin, end,
                    [&](std::size_t row, double value) { out[row - begin] = value - center; });
  }
};

struct PairSums {
  double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
};

std::vector<std::vector<double>> correlation_matrix(const std::vector<CorrelationInput>& inputs,
                                                    std::size_t rows, unsigned threads,
                                                    core::Progress* progress) {
  const std::size_t k = inputs.size();
  const std::size_t tasks = (rows + kCorrelationChunkRows - 1) / kCorrelationChunkRows;
  // Per task: k*k pair sums (upper triangle used); summed in task order afterwards so the
  // result does not depend on scheduling.
  std::vector<std::vector<PairSums>> partial(tasks, std::vector<PairSums>(k * k));
  core::parallel_for(
      tasks,
      [&](std::size_t task) {
        std::vector<double> block(k * kCorrelationBlockRows);
        auto& sums = partial[task];
        std::size_t chunk_end = std::min(rows, (task + 1) * kCorrelationChunkRows);
        for (std::size_t begin = task * kCorrelationChunkRows; begin < chunk_end;
             begin += kCorrelationBlockRows) {
          std::size_t end = std::min(chunk_end, begin + kCorrelationBlockRows);
          std::size_t m = end - begin;
          for (std::size_t a = 0; a < k; ++a)
            inputs[a].fill(begin, end, block.data() + a * kCorrelationBlockRows);
          for (std::size_t a = 0; a < k; ++a) {
            const double* x = block.data() + a * kCorrelationBlockRows;
            for (std::size_t b = a; b < k; ++b) {
              const double* y = block.data() + b * kCorrelationBlockRows;
              PairSums& s = sums[a * k + b];
              if (a == b && !inputs[a].has_missing) {
                double sx = 0, sxx = 0;
                for (std::size_t i = 0; i < m; ++i) {
                  sx += x[i];
                  sxx += x[i] * x[i];
                }
                s.n += static_cast<double>(m);
                s.sx += sx, s.sy += sx, s.sxx += sxx, s.syy += sxx, s.sxy += sxx;
              } else if (!inputs[a].has_missing && !inputs[b].has_missing) {
                // Both complete: the column sums on the diagonal serve every pair.
                double sxy = 0;
                for (std::size_t i = 0; i < m; ++i) sxy += x[i] * y[i];
                s.sxy += sxy;
              } else {
                double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
                for (std::size_t i = 0; i < m; ++i) {
                  if (std::isnan(x[i]) || std::isnan(y[i])) continue;
                  n += 1;
                  sx += x[i];
                  sy += y[i];
                  sxx += x[i] * x[i];
                  syy += y[i] * y[i];
                  sxy += x[i] * y[i];
                }
                s.n += n;
                s.sx += sx, s.sy += sy, s.sxx += sxx, s.syy += syy, s.sxy += sxy;
              }
            }
          }
        }
        if (progress) progress->advance(chunk_end - task * kCorrelationChunkRows);
      },
      threads);

  std::vector<std::vector<double>> matrix(k, std::vector<double>(k, kNaN));
  for (std::size_t a = 0; a < k; ++a) {
    for (std::size_t b = a; b < k; ++b) {
      CompensatedSum n, sx, sy, sxx, syy, sxy;
      const bool complete = !inputs[a].has_missing && !inputs[b].has_missing;
      for (const auto& sums : partial) {
        const PairSums& s = sums[a * k + b];
        if (complete) {
          const PairSums& diagonal_x = sums[a * k + a];
          const PairSums& diagonal_y = sums[b * k + b];
          n.add(diagonal_x.n), sx.add(diagonal_x.sx), sxx.add(diagonal_x.sxx);
          sy.add(diagonal_y.sx), syy.add(diagonal_y.sxx);
        } else {
          n.add(s.n), sx.add(s.sx), sy.add(s.sy), sxx.add(s.sxx), syy.add(s.syy);
        }
        sxy.add(s.sxy);
      }
      double count = n.value();
      if (count < 2 || inputs[a].constant || inputs[b].constant) continue;
      double cov = sxy.value() - sx.value() * sy.value() / count;
      double var_x = sxx.value() - sx.value() * sx.value() / count;
      double var_y = syy.value() - sy.value() * sy.value() / count;
      double divisor = std::sqrt(var_x * var_y);
      if (!(divisor > 0)) continue;
      double r = a == b ? 1.0 : std::clamp(cov / divisor, -1.0, 1.0);
      matrix[a][b] = matrix[b][a] = r;
    }
  }
  return matrix;
}

// Each input's correlation with input `target`: one 2 x 2 matrix per input, so the work
// grows linearly with the inputs (and each value is the one the full matrix would hold).
std::vector<double> correlations_with(const std::vector<CorrelationInput>& inputs,
                                      std::size_t target, std::size_t rows, unsigned threads) {
  std::vector<double> out(inputs.size(), kNaN);
  for (std::size_t a = 0; a < inputs.size(); ++a)
    if (a != target)
      out[a] = correlation_matrix({inputs[a], inputs[target]}, rows, threads, nullptr)[0][1];
  return out;
}

// The inputs the matrix shows when there are more than `limit`: the target and the ones
// most correlated with it, or without one the first non-constant ones; in input order.
std::vector<std::size_t> choose_correlation_inputs(const std::vector<CorrelationInput>& inputs,
                                                   std::ptrdiff_t target,
                                                   const std::vector<double>& with_target,
                                                   std::size_t limit) {
  std::vector<std::size_t> order(inputs.size());
  std::iota(order.begin(), order.end(), 0);
  auto strength = [&](std::size_t i) {
    if (static_cast<std::ptrdiff_t>(i) == target) return 2.0;  // first, always
    double r = target >= 0 ? std::fabs(with_target[i]) : (inputs[i].constant ? 0.0 : 1.0);
    return std::isnan(r) ? -1.0 : r;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return strength(a) > strength(b); });
  order.resize(limit);
  std::sort(order.begin(), order.end());
  return order;
}

// Fills the correlation matrix (bounded by max_correlation_columns), the list of the
// columns left out of it, and each column's correlation with the target.
void add_correlations(Profile& profile, const std::vector<CorrelationInput>& inputs,
                      const std::vector<std::size_t>& input_columns, std::size_t rows,
                      const ProfileOptions& options, core::Progress* progress) {
  std::ptrdiff_t target = -1;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (static_cast<std::ptrdiff_t>(input_columns[i]) == profile.target_index) target = i;
  const std::size_t limit = options.max_correlation_columns;
  const bool bounded = limit > 0 && inputs.size() > limit;
  std::vector<double> with_target;
  if (bounded && target >= 0)
    with_target = correlations_with(inputs, target, rows, options.threads);
  std::vector<std::size_t> chosen(inputs.size());
  std::iota(chosen.begin(), chosen.end(), 0);
  if (bounded) {
    chosen = choose_correlation_inputs(inputs, target, with_target, limit);
    profile.correlation_selection =
        target >= 0 ? "the target and the " + std::to_string(limit - 1) +
                          " numeric columns most correlated with it (|r|)"
                    : "the first " + std::to_string(limit) + " non-constant numeric columns";
  }
  std::vector<CorrelationInput> matrix_inputs;
  std::vector<bool> in_matrix(inputs.size(), false);
  for (std::size_t i : chosen) {
    matrix_inputs.push_back(inputs[i]);
    in_matrix[i] = true;
    profile.correlation_columns.push_back(profile.columns[input_columns[i]].name);
  }
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (!in_matrix[i])
      profile.correlation_left_out.push_back(profile.columns[input_columns[i]].name);
  profile.correlations = correlation_matrix(matrix_inputs, rows, options.threads, progress);
  if (target < 0) return;
  if (!bounded) {
    for (std::size_t i = 0; i < inputs.size(); ++i)
      with_target.push_back(profile.correlations[i][target]);
  }
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (static_cast<std::ptrdiff_t>(i) != target)
      profile.columns[input_columns[i]].target_correlation = with_target[i];
}

// --- warnings ----------------------------------------------------------------------

// The best single threshold on a histogram's bin edges for separating the minority class:
// returns a warning text when one side holds >= purity of that class at >= purity precision.
std::optional<std::string> isolating_threshold(const Histogram& histogram,
                                               const TargetClasses& classes, double purity) {
  if (histogram.by_class.empty()) return std::nullopt;
  const auto& minority_bins = histogram.by_class[classes.minority];
  const double minority_total = static_cast<double>(classes.counts[classes.minority]);
  if (minority_total == 0) return std::nullopt;
  std::uint64_t all_total = 0;
  for (auto count : histogram.counts) all_total += count;
  std::uint64_t left_minority = 0, left_all = 0;
  for (std::size_t edge = 1; edge + 1 < histogram.edges.size(); ++edge) {
    left_minority += minority_bins[edge - 1];
    left_all += histogram.counts[edge - 1];
    double right_minority = minority_total - static_cast<double>(left_minority);
    double right_all = static_cast<double>(all_total - left_all);
    double threshold = histogram.edges[edge];
    if (histogram.log_scale) threshold = std::pow(10.0, threshold) - 1;
    auto check = [&](double hit, double total, const char* side) -> std::optional<std::string> {
      if (total == 0) return std::nullopt;
      double precision = hit / total, recall = hit / minority_total;
      if (precision < purity || recall < purity) return std::nullopt;
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.6g", threshold);
      return std::string(side) + buffer + " holds " + percent(recall) + " of class '" +
             classes.labels[classes.minority] + "' at " + percent(precision) + " precision";
    };
    if (auto text = check(static_cast<double>(left_minority), static_cast<double>(left_all), "< "))
      return text;
    if (auto text = check(right_minority, right_all, ">= ")) return text;
  }
  return std::nullopt;
}

}  // namespace

Profile compute_profile(const Table& table, const ProfileOptions& options) {
  Profile profile;
  profile.rows = table.row_count();
  const std::size_t rows = table.row_count();
  const std::size_t column_count = table.column_count();

  TargetClasses classes;
  if (!options.target.empty()) {
    const Column& target = table.column(std::string_view(options.target));  // throws if unknown
    profile.target = options.target;
    profile.target_index = table.find(options.target);
    classes = find_classes(target, options.max_classes);
    profile.target_is_classes = classes.is_classes;
    profile.classes = classes.labels;
    profile.class_counts = classes.counts;
    std::uint64_t labelled = 0;
    for (auto count : classes.counts) labelled += count;
    if (classes.is_classes) profile.target_missing = rows - labelled;
  }
  const TargetClasses* class_info = classes.is_classes ? &classes : nullptr;

  std::unique_ptr<core::Progress> progress;
  if (!options.progress_label.empty() && rows > 0)
    progress = std::make_unique<core::Progress>(options.progress_label, rows * (column_count + 1),
                                                "rows", true);

  profile.columns.resize(column_count);
  std::vector<bool> unique_sequence(column_count, false);
  std::vector<std::optional<ValueCount>> isolating_value(column_count);
  core::parallel_for(
      column_count,
      [&](std::size_t index) {
        const Column& column = table.column(index);
        const bool is_target = static_cast<std::ptrdiff_t>(index) == profile.target_index;
        const TargetClasses* split = is_target ? nullptr : class_info;
        if (column.is_numeric()) {
          NumericResult result = profile_numeric(column, split, options.histogram_bins);
          profile.columns[index] = std::move(result.profile);
          unique_sequence[index] = result.unique_sequence;
        } else {
          CategoricalResult result = profile_categorical(column, split, options);
          profile.columns[index] = std::move(result.profile);
          isolating_value[index] = std::move(result.isolating_value);
        }
        profile.columns[index].name = column.name();
        profile.columns[index].type = column.type();
        if (progress) progress->advance(rows);
      },
      options.threads);
  if (!profile.target.empty() && !profile.target_is_classes)
    profile.target_missing = profile.columns[profile.target_index].missing;

  // Correlation inputs: numeric columns in table order, the two-class string target encoded.
  std::vector<CorrelationInput> inputs;
  std::vector<std::size_t> input_columns;  // table column of each input
  for (std::size_t index = 0; index < column_count; ++index) {
    const Column& column = table.column(index);
    const ColumnProfile& column_profile = profile.columns[index];
    CorrelationInput input;
    if (column.is_numeric()) {
      input.column = &column;
      input.center = column_profile.count ? column_profile.numeric->mean : 0;
      input.constant =
          column_profile.count == 0 || column_profile.numeric->min == column_profile.numeric->max;
    } else if (static_cast<std::ptrdiff_t>(index) == profile.target_index && class_info &&
               classes.labels.size() == 2) {
      input.indicator_class = &classes.row_class;
      input.positive_class = static_cast<std::uint8_t>(classes.minority);
      std::uint64_t labelled = classes.counts[0] + classes.counts[1];
      input.center =
          static_cast<double>(classes.counts[classes.minority]) / static_cast<double>(labelled);
      input.constant = false;
      profile.target_encoding = "'" + classes.labels[classes.minority] + "' = 1, '" +
                                classes.labels[1 - classes.minority] + "' = 0";
    } else {
      continue;
    }
    input.has_missing = column_profile.missing > 0;
    inputs.push_back(input);
    input_columns.push_back(index);
  }
  add_correlations(profile, inputs, input_columns, rows, options, progress.get());
  if (progress) progress->finish();

  // Warnings, in column order, then the target's.
  auto warn = [&](std::string kind, const std::string& column, std::string message) {
    profile.warnings.push_back({std::move(kind), column, std::move(message)});
  };
  if (rows == 0)
    warn("no_rows", "",
         column_count == 0 ? "the file is empty: no header and no rows"
                           : "the file has a header but no data rows: there is nothing to profile");
  for (std::size_t index = 0; index < column_count; ++index) {
    const ColumnProfile& column = profile.columns[index];
    const bool is_target = static_cast<std::ptrdiff_t>(index) == profile.target_index;
    const std::string quoted = "'" + column.name + "'";
    if (rows > 0 && static_cast<double>(column.missing) >=
                        options.high_missing_ratio * static_cast<double>(rows))
      warn("high_missing", column.name,
           quoted + " is missing in " + percent(double(column.missing) / double(rows)) +
               " of rows: impute it, add a missing indicator, or drop it");
    if (column.numeric && column.numeric->infinite > 0)
      warn("infinite", column.name,
           quoted + " holds " + std::to_string(column.numeric->infinite) +
               " infinite value(s) (inf, -inf or a number beyond the double range): the "
               "statistics and histogram are over the finite ones, and training refuses "
               "non-finite values (docs/csv.md); fix or drop those rows");
    if (column.count > 0) {
      bool constant = column.numeric ? column.numeric->min == column.numeric->max
                                     : column.categorical->distinct == 1;
      if (constant)
        warn("constant", column.name,
             quoted + " has a single value: it carries no information, drop it");
    }
    const bool id_like = !is_target && column.categorical && column.count >= 2 &&
                         column.categorical->distinct > 1 &&
                         static_cast<double>(column.categorical->distinct) >=
                             options.id_like_distinct_ratio * static_cast<double>(column.count);
    if (id_like)
      warn("id_like", column.name,
           quoted + " looks like an identifier (" + std::to_string(column.categorical->distinct) +
               " distinct values in " + std::to_string(column.count) +
               " rows): it will not generalise, drop it or derive features from it");
    if (!is_target && unique_sequence[index])
      warn("id_like", column.name,
           quoted +
               " is a sequence of unique integers, like a row number or an ID: drop it "
               "unless its order means time");
    if (is_target || profile.target.empty()) continue;
    // Features that (nearly) give the target away: leakage or a trivially easy task.
    if (column.target_correlation &&
        std::fabs(*column.target_correlation) > options.leak_correlation) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.4f", *column.target_correlation);
      warn("target_leak", column.name,
           quoted + " has correlation " + buffer + " with the target '" + profile.target +
               "': check that it is known before the outcome");
    }
    if (!class_info || classes.labels.size() < 2) continue;
    if (isolating_value[index] && !id_like) {  // an ID isolates any single row
      const ValueCount& value = *isolating_value[index];
      warn("target_leak", column.name,
           quoted + " = '" + value.value + "' alone holds almost all rows of class '" +
               classes.labels[classes.minority] + "' (" +
               std::to_string(value.by_class[classes.minority]) + " of " +
               std::to_string(classes.counts[classes.minority]) + ", " +
               std::to_string(value.count) + " rows with that value)" +
               ": check that it is known before the outcome");
    } else if (column.numeric) {
      auto text = isolating_threshold(column.numeric->histogram, classes, options.leak_purity);
      if (!text && column.numeric->log_histogram)
        text = isolating_threshold(*column.numeric->log_histogram, classes, options.leak_purity);
      if (text)
        warn("target_leak", column.name,
             quoted + " " + *text + ": check that it is known before the outcome");
    }
  }
  if (class_info && classes.labels.size() >= 2) {
    std::uint64_t labelled = 0;
    for (auto count : classes.counts) labelled += count;
    double ratio = double(classes.counts[classes.minority]) / double(labelled);
    if (ratio < options.imbalance_ratio) {
      char one_in[32];
      std::snprintf(one_in, sizeof one_in, "%.0f", 1 / ratio);
      warn("class_imbalance", profile.target,
           "class '" + classes.labels[classes.minority] + "' of '" + profile.target + "' is only " +
               percent(ratio) + " of rows (1 in " + one_in +
               "): use a stratified split, precision-recall metrics and class weights");
    }
  }
  return profile;
}

// --- JSON --------------------------------------------------------------------------

namespace {

nlohmann::ordered_json number(double value) {
  return std::isnan(value) || std::isinf(value) ? nlohmann::ordered_json(nullptr)
                                                : nlohmann::ordered_json(value);
}

nlohmann::ordered_json histogram_json(const Histogram& histogram) {
  nlohmann::ordered_json out;
  out["log_scale"] = histogram.log_scale;
  out["edges"] = histogram.edges;
  out["counts"] = histogram.counts;
  if (!histogram.by_class.empty()) out["by_class"] = histogram.by_class;
  return out;
}

}  // namespace

nlohmann::ordered_json to_json(const Profile& profile) {
  using json = nlohmann::ordered_json;
  json out;
  out["rows"] = profile.rows;
  out["column_count"] = profile.columns.size();
  json columns = json::array();
  for (const auto& column : profile.columns) {
    json entry;
    entry["name"] = column.name;
    entry["type"] = std::string(to_string(column.type));
    entry["kind"] = column.numeric ? "numeric" : "categorical";
    entry["count"] = column.count;
    entry["missing"] = column.missing;
    entry["missing_ratio"] = profile.rows ? double(column.missing) / double(profile.rows) : 0.0;
    if (column.target_correlation) entry["target_correlation"] = number(*column.target_correlation);
    if (column.numeric) {
      const auto& s = *column.numeric;
      entry["mean"] = number(s.mean);
      entry["std"] = number(s.std);
      entry["min"] = number(s.min);
      entry["p25"] = number(s.p25);
      entry["p50"] = number(s.p50);
      entry["p75"] = number(s.p75);
      entry["max"] = number(s.max);
      entry["zeros"] = s.zeros;
      entry["infinite"] = s.infinite;
      entry["histogram"] = histogram_json(s.histogram);
      if (s.log_histogram) entry["log_histogram"] = histogram_json(*s.log_histogram);
    }
    if (column.categorical) {
      const auto& s = *column.categorical;
      entry["distinct"] = s.distinct;
      json top = json::array();
      for (const auto& value : s.top) {
        json item;
        item["value"] = value.value;
        item["count"] = value.count;
        if (!value.by_class.empty()) item["by_class"] = value.by_class;
        top.push_back(std::move(item));
      }
      entry["top"] = std::move(top);
      entry["other"] = s.other;
    }
    columns.push_back(std::move(entry));
  }
  out["columns"] = std::move(columns);

  if (profile.target.empty()) {
    out["target"] = nullptr;
  } else {
    json target;
    target["name"] = profile.target;
    target["kind"] = profile.target_is_classes ? "classes" : "continuous";
    target["missing"] = profile.target_missing;
    if (profile.target_is_classes) {
      std::uint64_t labelled = 0;
      for (auto count : profile.class_counts) labelled += count;
      target["classes"] = profile.classes;
      json counts = json::object(), ratios = json::object();
      for (std::size_t c = 0; c < profile.classes.size(); ++c) {
        counts[profile.classes[c]] = profile.class_counts[c];
        ratios[profile.classes[c]] = double(profile.class_counts[c]) / double(labelled);
      }
      target["counts"] = std::move(counts);
      target["ratios"] = std::move(ratios);
      if (!profile.target_encoding.empty()) target["encoding"] = profile.target_encoding;
      json per_class = json::object();
      for (const auto& column : profile.columns) {
        if (column.by_class.empty()) continue;
        json feature = json::object();
        for (std::size_t c = 0; c < profile.classes.size(); ++c) {
          const auto& stats = column.by_class[c];
          feature[profile.classes[c]] = {{"count", stats.count},
                                         {"mean", number(stats.mean)},
                                         {"std", number(stats.std)},
                                         {"min", number(stats.min)},
                                         {"max", number(stats.max)}};
        }
        per_class[column.name] = std::move(feature);
      }
      target["per_class"] = std::move(per_class);
    }
    out["target"] = std::move(target);
  }

  json correlations;
  correlations["columns"] = profile.correlation_columns;
  json matrix = json::array();
  for (const auto& row : profile.correlations) {
    json values = json::array();
    for (double value : row) values.push_back(number(value));
    matrix.push_back(std::move(values));
  }
  correlations["matrix"] = std::move(matrix);
  if (!profile.correlation_selection.empty()) {
    correlations["selection"] = profile.correlation_selection;
    correlations["left_out"] = profile.correlation_left_out;
  }
  out["correlations"] = std::move(correlations);

  json warnings = json::array();
  for (const auto& warning : profile.warnings)
    warnings.push_back(
        {{"kind", warning.kind}, {"column", warning.column}, {"message", warning.message}});
  out["warnings"] = std::move(warnings);
  return out;
}

}  // namespace archml::data
