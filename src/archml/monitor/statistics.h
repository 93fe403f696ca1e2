// Column statistics in SageMaker Model Monitor's terms (docs/monitor.md): per feature the
// present and missing counts, the inferred type (Integral, Fractional, String), for
// numbers the mean, sum, standard deviation, extremes and a quantile sketch of the
// distribution, for strings the count of each value. The same code computes the
// baseline (the training data) and the live side (rows rebuilt from captured requests),
// so the two are comparable by construction.
//
// A FeatureAccumulator takes one column's values one at a time (text as a request
// carries it, or typed as a table holds it); accumulators of one column merge, so rows
// can be split over threads. finish() turns it into FeatureStatistics.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace archml::monitor {

enum class InferredType { kIntegral, kFractional, kString, kUnknown };

std::string_view to_string(InferredType type);
// "Integral", "Fractional", "String", "Unknown"; throws archml::Error (invalid input).
InferredType parse_inferred_type(std::string_view text);

// The sketch keeps at most this many points of a numeric column: every value while the
// column has no more, else the values at evenly spaced ranks. A CDF read from it is off by
// at most 1/kSketchPoints.
inline constexpr std::size_t kSketchPoints = 2048;
// Histogram buckets of a numeric column (SageMaker's kll "buckets").
inline constexpr std::size_t kHistogramBuckets = 10;

struct Bucket {
  double lower_bound = 0;
  double upper_bound = 0;
  double count = 0;
};

struct FeatureStatistics {
  std::string name;
  InferredType inferred_type = InferredType::kUnknown;
  std::uint64_t num_present = 0;
  std::uint64_t num_missing = 0;
  // Of the present values: how many read as whole numbers, as other numbers, as text.
  // Recorded for the live side's data_type_check; not part of SageMaker's file.
  std::uint64_t integral_values = 0;
  std::uint64_t fractional_values = 0;
  std::uint64_t string_values = 0;
  // Numeric columns (Integral, Fractional).
  double mean = 0;
  double sum = 0;
  double std_dev = 0;
  double min = 0;
  double max = 0;
  std::vector<Bucket> buckets;
  std::vector<double> sketch;  // sorted; see kSketchPoints
  // String columns: each value and its count, most frequent first.
  std::vector<std::pair<std::string, std::uint64_t>> categories;
  std::uint64_t distinct_count = 0;

  bool numeric() const {
    return inferred_type == InferredType::kIntegral || inferred_type == InferredType::kFractional;
  }
  double completeness() const {
    const std::uint64_t total = num_present + num_missing;
    return total == 0 ? 1.0 : static_cast<double>(num_present) / static_cast<double>(total);
  }
};

struct DatasetStatistics {
  std::uint64_t item_count = 0;
  std::vector<FeatureStatistics> features;

  const FeatureStatistics* find(std::string_view name) const;
};

// Whether a field means "no value" in a request or a CSV file: empty, NA, NaN, nan, null,
// NULL, N/A (the endpoint's and the CSV reader's missing tokens).
bool is_missing_text(std::string_view field);

class FeatureAccumulator {
 public:
  explicit FeatureAccumulator(std::string name = {}) : name_(std::move(name)) {}

  // A field as text: missing, a number (whole or not) or a string.
  void add_text(std::string_view field);
  void add_missing(std::uint64_t count = 1) { missing_ += count; }
  void add_number(double value, bool integral);
  void add_string(std::string_view value, std::uint64_t count = 1);
  void merge(FeatureAccumulator&& other);

  // `declared` is the type the column must have (a model's schema says so), or kUnknown
  // to infer it: String when any present value is not a number, Integral when every
  // number is whole, else Fractional. Numbers of a String column count as their shortest
  // text; text in a numeric column counts only in string_values.
  FeatureStatistics finish(InferredType declared = InferredType::kUnknown) &&;

 private:
  std::string name_;
  std::uint64_t missing_ = 0;
  std::uint64_t integral_ = 0;
  std::vector<double> numbers_;
  // Looked up by string_view: counting a value allocates only when it is new.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string, std::uint64_t, TextHash, std::equal_to<>> strings_;
  std::uint64_t string_count_ = 0;
};

// The CDF of a sorted sample at x: the share of values <= x.
double sample_cdf(const std::vector<double>& sorted, double x);

}  // namespace archml::monitor
