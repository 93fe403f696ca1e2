// Profile of a Table: the statistics a data scientist looks at before modelling.
// Numbers follow pandas so results can be checked against a notebook: std uses
// ddof=1, quartiles interpolate linearly over non-missing values (numpy's default),
// correlations are Pearson over pairwise-complete rows (df.corr()). Unlike
// df.describe(), bool columns are included among the numeric columns as 0/1.
//
// compute_profile reads the table once per statistic family, in parallel over
// columns and row ranges, and keeps no copy of the table: at most one column of
// doubles per thread. It knows nothing of files, HTML or terminals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/data/table.h"

namespace archml::data {

struct ProfileOptions {
  // Column whose classes are counted and which the features are compared against;
  // empty profiles without a target. An unknown name throws archml::Error (not found).
  std::string target;
  std::size_t top_values = 10;      // most frequent values listed per string column
  std::size_t histogram_bins = 30;  // equal-width bins between min and max
  // A target with more distinct values than this (or a float target) is continuous:
  // no class distribution, no per-class statistics.
  std::size_t max_classes = 50;
  // Warning thresholds.
  double id_like_distinct_ratio = 0.9;  // string column: distinct >= ratio * non-missing
  double imbalance_ratio = 0.05;        // minority class below this share of rows
  double leak_correlation = 0.95;       // |corr(feature, target)| above this
  double leak_purity = 0.95;            // a value/threshold with precision and recall >= this
  double high_missing_ratio = 0.5;      // share of missing cells in a column
  // The correlation matrix covers at most this many columns, so its size (and the
  // report's) stays bounded however wide the table: with a target in it, the target
  // and the columns most correlated with it (|r|, every column's correlation with the
  // target is still computed and kept); without, the first non-constant numeric columns
  // in table order. The columns left out are listed. 0 means no limit.
  std::size_t max_correlation_columns = 50;
  // 0 = every core (core::hardware_threads()); commands pass their context's count.
  unsigned threads = 0;
  // Label of the progress bar shown on a terminal; empty hides it (--quiet).
  std::string progress_label = "profiling";
};

// Counts of equal-width bins; edges has bins + 1 entries. `by_class` (when the
// profile has a class target) splits each bin by class, classes in Profile order.
struct Histogram {
  bool log_scale = false;  // edges are in log10(1 + x): set for heavy right tails
  std::vector<double> edges;
  std::vector<std::uint64_t> counts;
  std::vector<std::vector<std::uint64_t>> by_class;
};

// Over the finite values: infinities are counted apart (and warned about), so that the
// statistics and the histogram describe the rest.
struct NumericSummary {
  double mean = 0, std = 0, min = 0, max = 0, p25 = 0, p50 = 0, p75 = 0;
  std::uint64_t zeros = 0;
  std::uint64_t infinite = 0;  // rows of +inf or -inf (neither missing nor in `count`)
  Histogram histogram;
  std::optional<Histogram> log_histogram;  // only for non-negative, heavy-tailed columns
};

struct ValueCount {
  std::string value;
  std::uint64_t count = 0;
  // Rows of this value in each target class (classes in Profile order); empty without one.
  std::vector<std::uint64_t> by_class;
};

struct CategoricalSummary {
  std::uint64_t distinct = 0;
  std::vector<ValueCount> top;  // by count, descending; ties in first-seen order
  std::uint64_t other = 0;      // non-missing rows whose value is not in `top`
};

// describe() of one feature within one target class (pandas groupby(target).agg).
struct ClassStats {
  std::uint64_t count = 0;
  double mean = 0, std = 0, min = 0, max = 0;  // NaN when count is 0 (std: count < 2)
};

struct ColumnProfile {
  std::string name;
  ColumnType type = ColumnType::kFloat64;
  std::uint64_t count = 0;                        // non-missing rows
  std::uint64_t missing = 0;                      // rows - count
  std::optional<NumericSummary> numeric;          // int64, float64, bool
  std::optional<CategoricalSummary> categorical;  // string
  // Per target class, same order as Profile::classes; numeric non-target columns only.
  std::vector<ClassStats> by_class;
  // Pearson correlation with the (encoded) target, for every numeric column when the
  // target is numeric or a two-class text column; NaN where undefined.
  std::optional<double> target_correlation;
};

struct ProfileWarning {
  std::string kind;  // id_like, constant, class_imbalance, target_leak, high_missing
  std::string column;
  std::string message;
};

struct Profile {
  std::uint64_t rows = 0;
  std::vector<ColumnProfile> columns;

  std::string target;                // empty without a target
  std::ptrdiff_t target_index = -1;  // into columns
  bool target_is_classes = false;    // false: continuous (or no target)
  std::vector<std::string> classes;  // labels, ascending by value
  std::vector<std::uint64_t> class_counts;
  std::uint64_t target_missing = 0;
  // For correlation a two-class string target is encoded 1 for its minority class.
  std::string target_encoding;

  // Pearson correlation of the numeric columns (and the encoded target), pairwise
  // complete; NaN where undefined (a constant column, fewer than 2 rows in common).
  std::vector<std::string> correlation_columns;
  std::vector<std::vector<double>> correlations;
  // Numeric columns beyond max_correlation_columns, in table order, and how the ones in
  // the matrix were chosen (empty when none was left out).
  std::vector<std::string> correlation_left_out;
  std::string correlation_selection;

  std::vector<ProfileWarning> warnings;
};

Profile compute_profile(const Table& table, const ProfileOptions& options = {});

// The JSON form written to profile.json; keys keep the column order. NaN becomes null.
nlohmann::ordered_json to_json(const Profile& profile);

}  // namespace archml::data
