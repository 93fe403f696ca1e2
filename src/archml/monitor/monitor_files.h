// The files of a baseline and of a monitoring run, in SageMaker Model Monitor's formats
// and field names (docs/monitor.md), so tooling written for SageMaker reads them:
//   statistics.json            {"version": 0.0, "dataset": {"item_count"}, "features": [
//                               {"name", "inferred_type", "numerical_statistics": {"common":
//                               {"num_present", "num_missing"}, "mean", "sum", "std_dev",
//                               "min", "max", "distribution": {"kll": {"buckets": [{
//                               "lower_bound", "upper_bound", "count"}], "sketch": {
//                               "parameters": {"c", "k"}, "data": [[...]]}}}}} or
//                               "string_statistics": {"common", "distinct_count",
//                               "distribution": {"categorical": {"buckets": [{"value",
//                               "count"}]}}}]}
//   constraints.json           {"version": 0.0, "features": [{"name", "inferred_type",
//                               "completeness", "num_constraints": {"is_non_negative"},
//                               "string_constraints": {"domains"}}], "monitoring_config":
//                               {...}}
//   constraint_violations.json {"violations": [{"feature_name", "constraint_check_type",
//                               "description"}]}
// Readers throw archml::Error (invalid input) naming the file and the field at fault.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "archml/monitor/checks.h"
#include "archml/monitor/statistics.h"

namespace archml::monitor {

nlohmann::json statistics_json(const DatasetStatistics& statistics);
DatasetStatistics parse_statistics(const nlohmann::json& json, std::string_view file);

nlohmann::json constraints_json(const Constraints& constraints);
Constraints parse_constraints(const nlohmann::json& json, std::string_view file);

nlohmann::json violations_json(const std::vector<Violation>& violations);

}  // namespace archml::monitor
