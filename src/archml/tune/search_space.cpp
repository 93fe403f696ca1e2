#include "archml/tune/search_space.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <set>

#include "archml/core/error.h"

namespace archml::tune {
namespace {

// Integers own equal slices of the scale: the range is widened by half a step on each
// side before rounding, so the end values are as likely as the others.
std::pair<double, double> scaled_bounds(const ParameterRange& range) {
  if (range.kind == ParameterKind::kInteger) return {range.min - 0.5, range.max + 0.5};
  return {range.min, range.max};
}

double to_scale(Scaling scaling, double value) {
  switch (scaling) {
    case Scaling::kLogarithmic:
      return std::log(value);
    case Scaling::kReverseLogarithmic:
      return -std::log1p(-value);
    default:
      return value;
  }
}

double from_scale(Scaling scaling, double scaled) {
  switch (scaling) {
    case Scaling::kLogarithmic:
      return std::exp(scaled);
    case Scaling::kReverseLogarithmic:
      return -std::expm1(-scaled);
    default:
      return scaled;
  }
}

void validate(ParameterRange& range) {
  const std::string where = "parameter range '" + range.name + "'";
  if (range.kind == ParameterKind::kCategorical) {
    if (range.values.empty()) throw_invalid(where + ": a categorical range needs values");
    std::set<std::string> seen;
    for (const auto& value : range.values)
      if (!seen.insert(value).second)
        throw_invalid(where + ": the value '" + value + "' is listed twice");
    return;
  }
  if (!std::isfinite(range.min) || !std::isfinite(range.max))
    throw_invalid(where + ": min and max must be finite numbers");
  if (range.kind == ParameterKind::kInteger &&
      (range.min != std::floor(range.min) || range.max != std::floor(range.max)))
    throw_invalid(where + ": an integer range needs whole-number min and max");
  if (range.kind == ParameterKind::kContinuous ? range.min >= range.max : range.min > range.max)
    throw_invalid(where + ": min (" + SearchSpace::format_value(range.min, false) +
                  ") must be less than max (" + SearchSpace::format_value(range.max, false) +
                  "); the range is empty");
  if (range.scaling == Scaling::kAuto)
    range.scaling =
        range.min > 0 && range.max / range.min >= 100 ? Scaling::kLogarithmic : Scaling::kLinear;
  if (range.scaling == Scaling::kLogarithmic && range.min <= 0)
    throw_invalid(where + ": Logarithmic scaling needs min > 0 (min is " +
                  SearchSpace::format_value(range.min, false) + ")");
  if (range.scaling == Scaling::kReverseLogarithmic) {
    if (range.kind == ParameterKind::kInteger)
      throw_invalid(where + ": ReverseLogarithmic scaling is for continuous ranges only");
    if (range.min < 0 || range.max >= 1)
      throw_invalid(where + ": ReverseLogarithmic scaling needs 0 <= min and max < 1");
  }
}

}  // namespace

Scaling parse_scaling(std::string_view text) {
  if (text == "Auto") return Scaling::kAuto;
  if (text == "Linear") return Scaling::kLinear;
  if (text == "Logarithmic") return Scaling::kLogarithmic;
  if (text == "ReverseLogarithmic") return Scaling::kReverseLogarithmic;
  throw_invalid("unknown scaling '" + std::string(text) +
                "'; use Auto, Linear, Logarithmic or ReverseLogarithmic");
}

std::string_view to_string(Scaling scaling) {
  switch (scaling) {
    case Scaling::kAuto:
      return "Auto";
    case Scaling::kLinear:
      return "Linear";
    case Scaling::kLogarithmic:
      return "Logarithmic";
    case Scaling::kReverseLogarithmic:
      return "ReverseLogarithmic";
  }
  return "?";
}

std::string_view to_string(ParameterKind kind) {
  switch (kind) {
    case ParameterKind::kContinuous:
      return "continuous";
    case ParameterKind::kInteger:
      return "integer";
    case ParameterKind::kCategorical:
      return "categorical";
  }
  return "?";
}

SearchSpace::SearchSpace(std::vector<ParameterRange> ranges) : ranges_(std::move(ranges)) {
  if (ranges_.empty()) throw_invalid("parameter_ranges: give at least one range to tune");
  std::set<std::string> names;
  for (auto& range : ranges_) {
    if (range.name.empty()) throw_invalid("parameter_ranges: every range needs a name");
    if (!names.insert(range.name).second)
      throw_invalid("parameter_ranges: '" + range.name + "' is listed twice");
    validate(range);
  }
}

double SearchSpace::value_at(std::size_t index, double position) const {
  const auto& range = ranges_.at(index);
  if (range.kind == ParameterKind::kCategorical)
    return std::clamp(std::round(position), 0.0, static_cast<double>(range.values.size() - 1));
  // The ends are exact: exp(log(0.5)) is 0.49999999999999994, which the optimiser's
  // bound trials would otherwise pass to the trainer and print.
  if (position <= 0) return range.min;
  if (position >= 1) return range.max;
  auto [low, high] = scaled_bounds(range);
  const double a = to_scale(range.scaling, low), b = to_scale(range.scaling, high);
  double value = from_scale(range.scaling, a + position * (b - a));
  if (range.kind == ParameterKind::kInteger) value = std::round(value);
  return std::clamp(value, range.min, range.max);
}

double SearchSpace::position_of(std::size_t index, double value) const {
  const auto& range = ranges_.at(index);
  if (range.kind == ParameterKind::kCategorical) return value;
  auto [low, high] = scaled_bounds(range);
  const double a = to_scale(range.scaling, low), b = to_scale(range.scaling, high);
  return std::clamp((to_scale(range.scaling, value) - a) / (b - a), 0.0, 1.0);
}

Configuration SearchSpace::snap(Configuration c) const {
  c.resize(ranges_.size(), 0.5);
  for (std::size_t i = 0; i < ranges_.size(); ++i) {
    if (!std::isfinite(c[i])) c[i] = 0.5;
    switch (ranges_[i].kind) {
      case ParameterKind::kContinuous:
        c[i] = std::clamp(c[i], 0.0, 1.0);
        break;
      case ParameterKind::kInteger:
        c[i] = position_of(i, value_at(i, c[i]));
        break;
      case ParameterKind::kCategorical:
        c[i] = value_at(i, c[i]);
        break;
    }
  }
  return c;
}

std::string SearchSpace::format_value(double value, bool integer) {
  char text[40];
  if (integer) {
    std::snprintf(text, sizeof text, "%.0f", value);
    return text;
  }
  // The shortest of %.6g .. %.17g that reads back exactly, so values stay readable.
  for (int digits = 6; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  return text;
}

std::vector<std::pair<std::string, std::string>> SearchSpace::values(const Configuration& c) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < ranges_.size(); ++i) {
    const auto& range = ranges_[i];
    const double position = i < c.size() ? c[i] : 0.5;
    if (range.kind == ParameterKind::kCategorical)
      out.emplace_back(range.name, range.values[static_cast<std::size_t>(value_at(i, position))]);
    else
      out.emplace_back(range.name,
                       format_value(value_at(i, position), range.kind == ParameterKind::kInteger));
  }
  return out;
}

std::optional<Configuration> SearchSpace::parse(
    const std::vector<std::pair<std::string, std::string>>& values) const {
  Configuration c(ranges_.size());
  for (std::size_t i = 0; i < ranges_.size(); ++i) {
    const auto& range = ranges_[i];
    auto found = std::find_if(values.begin(), values.end(),
                              [&](const auto& entry) { return entry.first == range.name; });
    if (found == values.end()) return std::nullopt;
    if (range.kind == ParameterKind::kCategorical) {
      auto value = std::find(range.values.begin(), range.values.end(), found->second);
      if (value == range.values.end()) return std::nullopt;
      c[i] = static_cast<double>(value - range.values.begin());
      continue;
    }
    char* end = nullptr;
    const double value = std::strtod(found->second.c_str(), &end);
    if (found->second.empty() || end != found->second.c_str() + found->second.size() ||
        !std::isfinite(value) || value < range.min || value > range.max)
      return std::nullopt;
    c[i] = position_of(i, range.kind == ParameterKind::kInteger ? std::round(value) : value);
  }
  return c;
}

std::size_t SearchSpace::feature_count() const {
  std::size_t count = 0;
  for (const auto& range : ranges_)
    count += range.kind == ParameterKind::kCategorical ? range.values.size() : 1;
  return count;
}

std::vector<double> SearchSpace::features(const Configuration& c) const {
  std::vector<double> out;
  out.reserve(feature_count());
  for (std::size_t i = 0; i < ranges_.size(); ++i) {
    const double position = i < c.size() && std::isfinite(c[i]) ? c[i] : 0.5;
    if (ranges_[i].kind != ParameterKind::kCategorical) {
      out.push_back(std::clamp(position, 0.0, 1.0));
      continue;
    }
    const double index = value_at(i, position);
    for (std::size_t v = 0; v < ranges_[i].values.size(); ++v)
      out.push_back(static_cast<double>(v) == index ? 1.0 : 0.0);
  }
  return out;
}

Configuration SearchSpace::sample(std::mt19937_64& random) const {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Configuration c(ranges_.size());
  for (std::size_t i = 0; i < ranges_.size(); ++i) {
    if (ranges_[i].kind == ParameterKind::kCategorical)
      c[i] = static_cast<double>(
          std::uniform_int_distribution<std::size_t>(0, ranges_[i].values.size() - 1)(random));
    else
      c[i] = unit(random);
  }
  return snap(std::move(c));
}

std::vector<Configuration> SearchSpace::space_filling(std::size_t count,
                                                      std::mt19937_64& random) const {
  if (count == 0) return {};
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto draw = [&] {
    std::vector<Configuration> design(count, Configuration(ranges_.size()));
    for (std::size_t i = 0; i < ranges_.size(); ++i) {
      std::vector<std::size_t> strata(count);
      for (std::size_t s = 0; s < count; ++s) strata[s] = s;
      std::shuffle(strata.begin(), strata.end(), random);
      for (std::size_t s = 0; s < count; ++s) {
        const double position = (static_cast<double>(strata[s]) + unit(random)) / count;
        design[s][i] = ranges_[i].kind == ParameterKind::kCategorical
                           ? std::floor(position * ranges_[i].values.size())
                           : position;
      }
    }
    for (auto& c : design) c = snap(std::move(c));
    return design;
  };
  auto min_distance = [&](const std::vector<Configuration>& design) {
    double best = std::numeric_limits<double>::infinity();
    std::vector<std::vector<double>> points;
    for (const auto& c : design) points.push_back(features(c));
    for (std::size_t a = 0; a < points.size(); ++a)
      for (std::size_t b = a + 1; b < points.size(); ++b) {
        double d = 0;
        for (std::size_t k = 0; k < points[a].size(); ++k)
          d += (points[a][k] - points[b][k]) * (points[a][k] - points[b][k]);
        best = std::min(best, d);
      }
    return best;
  };
  std::vector<Configuration> best = draw();
  double best_distance = min_distance(best);
  for (int attempt = 0; attempt < 19; ++attempt) {
    auto candidate = draw();
    const double distance = min_distance(candidate);
    if (distance > best_distance) {
      best = std::move(candidate);
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace archml::tune
