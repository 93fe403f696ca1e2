#include "archml/monitor/statistics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "archml/core/error.h"
#include "archml/core/numbers.h"

namespace archml::monitor {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

// A number in `text` (whole or not), as the CSV reader and the endpoint read numbers.
bool read_number(std::string_view text, double& value, bool& integral) {
  if (text.empty()) return false;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  const char* end = text.data() + text.size();
  const auto parsed = std::from_chars(begin, end, value);
  if (parsed.ec != std::errc() || parsed.ptr != end || !std::isfinite(value)) return false;
  integral = text.find_first_of(".eE") == std::string_view::npos;
  return true;
}

// The numbers' summary: moments, extremes, buckets and the rank sketch.
void summarise_numbers(std::vector<double>& numbers, FeatureStatistics& out) {
  if (numbers.empty()) return;
  std::sort(numbers.begin(), numbers.end());
  const double n = static_cast<double>(numbers.size());
  double sum = 0;
  for (const double value : numbers) sum += value;
  const double mean = sum / n;
  double squares = 0;
  for (const double value : numbers) squares += (value - mean) * (value - mean);
  out.sum = sum;
  out.mean = mean;
  out.std_dev = std::sqrt(squares / n);
  out.min = numbers.front();
  out.max = numbers.back();
  // Buckets of equal width between the extremes, as SageMaker's kll buckets.
  const double width = (out.max - out.min) / static_cast<double>(kHistogramBuckets);
  out.buckets.assign(kHistogramBuckets, Bucket{});
  for (std::size_t b = 0; b < kHistogramBuckets; ++b) {
    out.buckets[b].lower_bound = out.min + width * static_cast<double>(b);
    out.buckets[b].upper_bound =
        b + 1 == kHistogramBuckets ? out.max : out.min + width * static_cast<double>(b + 1);
  }
  for (const double value : numbers) {
    std::size_t b = width > 0 ? static_cast<std::size_t>((value - out.min) / width) : 0;
    out.buckets[std::min(b, kHistogramBuckets - 1)].count += 1;
  }
  // The sketch: every value, or the values at ranks (i + 0.5) * n / kSketchPoints.
  if (numbers.size() <= kSketchPoints) {
    out.sketch = numbers;
  } else {
    out.sketch.resize(kSketchPoints);
    for (std::size_t i = 0; i < kSketchPoints; ++i)
      out.sketch[i] = numbers[static_cast<std::size_t>((static_cast<double>(i) + 0.5) * n /
                                                       static_cast<double>(kSketchPoints))];
  }
}

}  // namespace

std::string_view to_string(InferredType type) {
  switch (type) {
    case InferredType::kIntegral:
      return "Integral";
    case InferredType::kFractional:
      return "Fractional";
    case InferredType::kString:
      return "String";
    case InferredType::kUnknown:
      break;
  }
  return "Unknown";
}

InferredType parse_inferred_type(std::string_view text) {
  for (const InferredType type : {InferredType::kIntegral, InferredType::kFractional,
                                  InferredType::kString, InferredType::kUnknown})
    if (text == to_string(type)) return type;
  throw_invalid("inferred_type '" + std::string(text) +
                "' is not one of Integral, Fractional, String, Unknown");
}

const FeatureStatistics* DatasetStatistics::find(std::string_view name) const {
  for (const auto& feature : features)
    if (feature.name == name) return &feature;
  return nullptr;
}

bool is_missing_text(std::string_view field) {
  field = trim(field);
  return field.empty() || field == "NA" || field == "NaN" || field == "nan" || field == "null" ||
         field == "NULL" || field == "N/A";
}

void FeatureAccumulator::add_text(std::string_view field) {
  field = trim(field);
  if (is_missing_text(field)) {
    ++missing_;
    return;
  }
  // Booleans as the CSV reader reads them (a bool column's baseline counts 1 and 0).
  if (field == "true" || field == "True" || field == "TRUE") return add_number(1, true);
  if (field == "false" || field == "False" || field == "FALSE") return add_number(0, true);
  double value = 0;
  bool integral = false;
  if (read_number(field, value, integral))
    add_number(value, integral);
  else
    add_string(field);
}

void FeatureAccumulator::add_number(double value, bool integral) {
  if (!std::isfinite(value)) {
    ++missing_;
    return;
  }
  numbers_.push_back(value);
  if (integral) ++integral_;
}

void FeatureAccumulator::add_string(std::string_view value, std::uint64_t count) {
  if (count == 0) return;
  auto found = strings_.find(value);
  if (found == strings_.end())
    strings_.emplace(std::string(value), count);
  else
    found->second += count;
  string_count_ += count;
}

void FeatureAccumulator::merge(FeatureAccumulator&& other) {
  missing_ += other.missing_;
  integral_ += other.integral_;
  numbers_.insert(numbers_.end(), other.numbers_.begin(), other.numbers_.end());
  for (auto& [value, count] : other.strings_) strings_[value] += count;
  string_count_ += other.string_count_;
}

FeatureStatistics FeatureAccumulator::finish(InferredType declared) && {
  FeatureStatistics out;
  out.name = name_;
  out.num_missing = missing_;
  out.integral_values = integral_;
  out.fractional_values = numbers_.size() - integral_;
  out.string_values = string_count_;
  out.num_present = numbers_.size() + string_count_;
  InferredType type = declared;
  if (type == InferredType::kUnknown) {
    if (string_count_ > 0)
      type = InferredType::kString;
    else if (!numbers_.empty())
      type = integral_ == numbers_.size() ? InferredType::kIntegral : InferredType::kFractional;
  }
  out.inferred_type = type;
  if (type == InferredType::kString) {
    for (const double value : numbers_) strings_[core::shortest_text(value)] += 1;
    out.categories.assign(strings_.begin(), strings_.end());
    std::sort(out.categories.begin(), out.categories.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    out.distinct_count = out.categories.size();
  } else if (type != InferredType::kUnknown) {
    summarise_numbers(numbers_, out);
  }
  return out;
}

double sample_cdf(const std::vector<double>& sorted, double x) {
  if (sorted.empty()) return 0;
  const auto at = std::upper_bound(sorted.begin(), sorted.end(), x);
  return static_cast<double>(at - sorted.begin()) / static_cast<double>(sorted.size());
}

}  // namespace archml::monitor
