// The hyperparameter ranges of a tuning job, as SageMaker defines them: continuous and
// integer ranges with a scaling, and categorical values. Strategies work on a
// Configuration (one number per parameter: a position in [0, 1] on the range's scale for
// continuous and integer ranges, the value's index for categoricals) and never see units;
// this file maps between positions, values as text, and the features a surrogate model
// sees (positions, and a one-hot block per categorical).
#pragma once

#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archml::tune {

enum class ParameterKind { kContinuous, kInteger, kCategorical };
enum class Scaling { kAuto, kLinear, kLogarithmic, kReverseLogarithmic };

// "Auto", "Linear", "Logarithmic", "ReverseLogarithmic"; throws invalid otherwise.
Scaling parse_scaling(std::string_view text);
std::string_view to_string(Scaling scaling);
std::string_view to_string(ParameterKind kind);

struct ParameterRange {
  std::string name;
  ParameterKind kind = ParameterKind::kContinuous;
  double min = 0;  // continuous and integer ranges, inclusive
  double max = 1;
  Scaling scaling = Scaling::kAuto;  // resolved by SearchSpace (never kAuto there)
  std::vector<std::string> values;   // categorical
};

using Configuration = std::vector<double>;

class SearchSpace {
 public:
  // Validates every range (names unique and non-empty, min < max for continuous and
  // min <= max for integers, finite bounds, logarithmic scales need min > 0, reverse
  // logarithmic needs 0 <= min and max < 1, at least one categorical value, no duplicate
  // values) and resolves Auto: Logarithmic when min > 0 and max / min >= 100, else Linear.
  // Throws archml::Error (invalid) naming the parameter.
  explicit SearchSpace(std::vector<ParameterRange> ranges);

  const std::vector<ParameterRange>& ranges() const { return ranges_; }
  std::size_t size() const { return ranges_.size(); }

  // The value at a position of range `index` (rounded for integers).
  double value_at(std::size_t index, double position) const;
  // The inverse of value_at for continuous and integer ranges.
  double position_of(std::size_t index, double value) const;

  // Rounds integer positions to the position of the nearest integer value and
  // categorical entries to a valid index, clamping everything into range.
  Configuration snap(Configuration configuration) const;
  // Values as text, in the ranges' order (integers without a decimal point).
  std::vector<std::pair<std::string, std::string>> values(const Configuration& c) const;
  // Parses text values back (warm start); nullopt when a value is missing, unparsable,
  // outside its range or an unknown category.
  std::optional<Configuration> parse(
      const std::vector<std::pair<std::string, std::string>>& values) const;

  // The surrogate's input: one coordinate per continuous or integer range and a one-hot
  // block per categorical, all in [0, 1]. Integer positions are used as given (snap
  // first to see the integer's position), so a local search can move through them.
  std::vector<double> features(const Configuration& c) const;
  std::size_t feature_count() const;

  // A uniformly random configuration on the ranges' scales, snapped.
  Configuration sample(std::mt19937_64& random) const;
  // `count` configurations forming a Latin hypercube (each range's positions spread over
  // `count` strata), the best of several draws by smallest pairwise feature distance.
  std::vector<Configuration> space_filling(std::size_t count, std::mt19937_64& random) const;

  // Text for a number the way TrialRequest carries it: integers without a decimal point,
  // others with enough digits to round-trip.
  static std::string format_value(double value, bool integer);

 private:
  std::vector<ParameterRange> ranges_;
};

}  // namespace archml::tune
