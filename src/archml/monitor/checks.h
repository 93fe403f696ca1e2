// The constraints a baseline suggests and the checks live statistics are held to, in
// SageMaker Model Monitor's terms (docs/monitor.md):
//   data_type_check           the share of live values of the baseline's type is below
//                             datatype_check_threshold (1.0: every value must match)
//   completeness_check        the live share of present values is below the baseline's
//                             completeness by more than sampling noise (3 binomial sd)
//   baseline_drift_check      the distance between baseline and live distributions is
//                             above the threshold (numbers: L-infinity distance of the
//                             CDFs; strings: L-infinity distance of the category shares)
//   missing_column_check      a baseline column no live row carries
//   extra_column_check        a live column the baseline does not know
//   categorical_values_check  the share of live strings inside the baseline's domain is
//                             below domain_content_threshold
// The drift threshold is the constraints' comparison_threshold, raised to the
// Kolmogorov-Smirnov critical value c(alpha) * sqrt(1/n + 1/m) when the samples are too
// small for it (alpha = kDriftAlpha), so small live windows do not raise false alarms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archml/monitor/statistics.h"

namespace archml::monitor {

// The false-alarm rate a drift threshold is held to, per feature and check.
inline constexpr double kDriftAlpha = 0.001;

struct FeatureConstraint {
  std::string name;
  InferredType inferred_type = InferredType::kUnknown;
  double completeness = 1.0;
  std::optional<bool> is_non_negative;  // numeric columns
  std::vector<std::string> domains;     // string columns
};

struct MonitoringConfig {
  bool evaluate_constraints = true;
  bool emit_metrics = true;
  double datatype_check_threshold = 1.0;
  double domain_content_threshold = 1.0;
  bool perform_comparison = true;
  double comparison_threshold = 0.1;
  std::string comparison_method = "Robust";
  double categorical_comparison_threshold = 0.1;
  std::string categorical_drift_method = "LInfinity";
};

struct Constraints {
  std::vector<FeatureConstraint> features;
  MonitoringConfig config;
};

// The constraints a baseline suggests: its types, completeness, signs and domains.
Constraints suggest_constraints(const DatasetStatistics& baseline);

struct Violation {
  std::string feature_name;
  std::string constraint_check_type;
  std::string description;
};

// One feature's drift, for the report and the metrics.
struct Drift {
  std::string feature_name;
  double distance = 0;
  double threshold = 0;
  std::uint64_t live_count = 0;
};

struct CheckResult {
  std::vector<Violation> violations;
  std::vector<Drift> drifts;
};

// The Kolmogorov-Smirnov critical value for samples of n and m values at kDriftAlpha.
double drift_critical_value(std::uint64_t n, std::uint64_t m);
// L-infinity distance between the CDFs of two sorted samples.
double cdf_distance(const std::vector<double>& a, const std::vector<double>& b);
// L-infinity distance between the category shares of two string columns.
double category_distance(const FeatureStatistics& a, const FeatureStatistics& b);

// `live_columns` are the columns live rows carried (for missing/extra column checks).
CheckResult check_constraints(const Constraints& constraints, const DatasetStatistics& baseline,
                              const DatasetStatistics& live,
                              const std::vector<std::string>& live_columns);

}  // namespace archml::monitor
