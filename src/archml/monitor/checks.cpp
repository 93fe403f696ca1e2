#include "archml/monitor/checks.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "archml/core/numbers.h"

namespace archml::monitor {
namespace {

std::string percent(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g%%", share * 100);
  return text;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

// The share of live present values that have the baseline's type.
double type_match_share(InferredType baseline, const FeatureStatistics& live) {
  if (live.num_present == 0) return 1.0;
  double matching = static_cast<double>(live.num_present);
  if (baseline == InferredType::kIntegral)
    matching = static_cast<double>(live.integral_values);
  else if (baseline == InferredType::kFractional)
    matching = static_cast<double>(live.integral_values + live.fractional_values);
  return matching / static_cast<double>(live.num_present);
}

void check_type(const FeatureConstraint& constraint, const FeatureStatistics& live,
                const MonitoringConfig& config, std::vector<Violation>& out) {
  const double share = type_match_share(constraint.inferred_type, live);
  if (share >= config.datatype_check_threshold) return;
  out.push_back({constraint.name, "data_type_check",
                 "Data type match requirement is not met. Expected data type: " +
                     std::string(to_string(constraint.inferred_type)) + "; " + percent(share) +
                     " of " + std::to_string(live.num_present) +
                     " live values have it, the threshold is " +
                     percent(config.datatype_check_threshold) + "."});
}

void check_completeness(const FeatureConstraint& constraint, const FeatureStatistics& live,
                        std::vector<Violation>& out) {
  const std::uint64_t total = live.num_present + live.num_missing;
  if (total == 0) return;
  const double expected = constraint.completeness;
  const double noise =
      3 * std::sqrt(std::max(0.0, expected * (1 - expected)) / static_cast<double>(total));
  if (live.completeness() + 1e-12 >= expected - noise) return;
  out.push_back({constraint.name, "completeness_check",
                 "Data completeness requirement is not met. Expected completeness: " +
                     percent(expected) + "; live completeness: " + percent(live.completeness()) +
                     " (" + std::to_string(live.num_missing) + " of " + std::to_string(total) +
                     " values missing)."});
}

void check_domain(const FeatureConstraint& constraint, const FeatureStatistics& live,
                  const MonitoringConfig& config, std::vector<Violation>& out) {
  if (constraint.domains.empty() || live.num_present == 0) return;
  const std::set<std::string> domain(constraint.domains.begin(), constraint.domains.end());
  std::uint64_t inside = 0;
  std::vector<std::string> unknown;
  for (const auto& [value, count] : live.categories) {
    if (domain.count(value) != 0)
      inside += count;
    else if (unknown.size() < 5)
      unknown.push_back(value);
  }
  const double share = static_cast<double>(inside) / static_cast<double>(live.num_present);
  if (share >= config.domain_content_threshold) return;
  std::string examples;
  for (const auto& value : unknown) examples += (examples.empty() ? "" : ", ") + value;
  out.push_back({constraint.name, "categorical_values_check",
                 "Categorical values requirement is not met: " + percent(share) +
                     " of live values are in the baseline's domain, the threshold is " +
                     percent(config.domain_content_threshold) + "; values outside it: " + examples +
                     "."});
}

void check_drift(const FeatureStatistics& base, const FeatureStatistics& live,
                 const MonitoringConfig& config, CheckResult& result) {
  if (live.num_present == 0 || base.num_present == 0) return;
  const bool strings = base.inferred_type == InferredType::kString;
  if (!strings && !base.numeric()) return;
  const double distance =
      strings ? category_distance(base, live) : cdf_distance(base.sketch, live.sketch);
  const double configured =
      strings ? config.categorical_comparison_threshold : config.comparison_threshold;
  const double threshold =
      std::max(configured, drift_critical_value(live.num_present, base.num_present));
  result.drifts.push_back({base.name, distance, threshold, live.num_present});
  if (distance <= threshold) return;
  result.violations.push_back({base.name, "baseline_drift_check",
                               "Baseline drift distance: " + number(distance) +
                                   " exceeds threshold: " + number(threshold) + " (" +
                                   (strings ? "L-infinity distance of the category shares"
                                            : "L-infinity distance of the CDFs") +
                                   ", " + std::to_string(live.num_present) + " live values)."});
}

}  // namespace

Constraints suggest_constraints(const DatasetStatistics& baseline) {
  Constraints constraints;
  for (const auto& feature : baseline.features) {
    FeatureConstraint constraint;
    constraint.name = feature.name;
    constraint.inferred_type = feature.inferred_type;
    constraint.completeness = feature.completeness();
    if (feature.numeric() && feature.num_present > 0) constraint.is_non_negative = feature.min >= 0;
    if (feature.inferred_type == InferredType::kString)
      for (const auto& [value, count] : feature.categories) constraint.domains.push_back(value);
    constraints.features.push_back(std::move(constraint));
  }
  return constraints;
}

double drift_critical_value(std::uint64_t n, std::uint64_t m) {
  if (n == 0 || m == 0) return 1.0;
  const double c = std::sqrt(-0.5 * std::log(kDriftAlpha / 2));
  return c * std::sqrt(1.0 / static_cast<double>(n) + 1.0 / static_cast<double>(m));
}

double cdf_distance(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.empty() || b.empty()) return 0;
  // Walk both sorted samples; after each distinct value both CDFs are exact.
  std::size_t i = 0;
  std::size_t j = 0;
  double largest = 0;
  const double na = static_cast<double>(a.size());
  const double nb = static_cast<double>(b.size());
  while (i < a.size() || j < b.size()) {
    double x;
    if (j >= b.size() || (i < a.size() && a[i] <= b[j]))
      x = a[i];
    else
      x = b[j];
    while (i < a.size() && a[i] <= x) ++i;
    while (j < b.size() && b[j] <= x) ++j;
    largest =
        std::max(largest, std::fabs(static_cast<double>(i) / na - static_cast<double>(j) / nb));
  }
  return largest;
}

double category_distance(const FeatureStatistics& a, const FeatureStatistics& b) {
  std::unordered_map<std::string, std::pair<double, double>> shares;
  const double na = static_cast<double>(std::max<std::uint64_t>(1, a.num_present));
  const double nb = static_cast<double>(std::max<std::uint64_t>(1, b.num_present));
  for (const auto& [value, count] : a.categories)
    shares[value].first = static_cast<double>(count) / na;
  for (const auto& [value, count] : b.categories)
    shares[value].second = static_cast<double>(count) / nb;
  double largest = 0;
  for (const auto& [value, pair] : shares)
    largest = std::max(largest, std::fabs(pair.first - pair.second));
  return largest;
}

CheckResult check_constraints(const Constraints& constraints, const DatasetStatistics& baseline,
                              const DatasetStatistics& live,
                              const std::vector<std::string>& live_columns) {
  CheckResult result;
  const MonitoringConfig& config = constraints.config;
  if (!config.evaluate_constraints) return result;
  const std::set<std::string> carried(live_columns.begin(), live_columns.end());
  for (const auto& constraint : constraints.features) {
    const FeatureStatistics* live_feature = live.find(constraint.name);
    if (carried.count(constraint.name) == 0 || live_feature == nullptr) {
      result.violations.push_back(
          {constraint.name, "missing_column_check",
           "There are missing columns in current dataset: " + constraint.name +
               " is in the baseline but no live row "
               "carries it."});
      continue;
    }
    check_type(constraint, *live_feature, config, result.violations);
    check_completeness(constraint, *live_feature, result.violations);
    if (constraint.inferred_type == InferredType::kString)
      check_domain(constraint, *live_feature, config, result.violations);
    const FeatureStatistics* base_feature = baseline.find(constraint.name);
    if (config.perform_comparison && base_feature != nullptr)
      check_drift(*base_feature, *live_feature, config, result);
  }
  for (const auto& column : live_columns) {
    const bool known = std::any_of(constraints.features.begin(), constraints.features.end(),
                                   [&](const FeatureConstraint& c) { return c.name == column; });
    if (!known)
      result.violations.push_back(
          {column, "extra_column_check",
           "There are extra columns in current dataset: " + column + " is not in the baseline."});
  }
  return result;
}

}  // namespace archml::monitor
