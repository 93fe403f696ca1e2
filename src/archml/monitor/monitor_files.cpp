#include "archml/monitor/monitor_files.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "archml/core/error.h"

namespace archml::monitor {
namespace {

using Json = nlohmann::json;

// A field of `object`, or an error naming the file and the field.
const Json& field(const Json& object, std::string_view name, std::string_view file,
                  std::string_view where) {
  if (!object.is_object() || !object.contains(name))
    throw_invalid(std::string(file) + ": " + std::string(where) + " has no \"" + std::string(name) +
                  "\"; is this a file archml monitor baseline wrote?");
  return object.at(std::string(name));
}

template <typename T>
T value_of(const Json& object, std::string_view name, std::string_view file,
           std::string_view where) {
  const Json& value = field(object, name, file, where);
  try {
    return value.get<T>();
  } catch (const Json::exception&) {
    throw_invalid(std::string(file) + ": " + std::string(where) + "." + std::string(name) +
                  " has the wrong type (" + value.type_name() + ")");
  }
}

Json common_json(const FeatureStatistics& feature) {
  return {{"num_present", feature.num_present}, {"num_missing", feature.num_missing}};
}

Json numerical_json(const FeatureStatistics& feature) {
  Json buckets = Json::array();
  for (const auto& bucket : feature.buckets)
    buckets.push_back({{"lower_bound", bucket.lower_bound},
                       {"upper_bound", bucket.upper_bound},
                       {"count", bucket.count}});
  return {{"common", common_json(feature)},
          {"mean", feature.mean},
          {"sum", feature.sum},
          {"std_dev", feature.std_dev},
          {"min", feature.min},
          {"max", feature.max},
          {"distribution",
           {{"kll",
             {{"buckets", buckets},
              {"sketch",
               {{"parameters", {{"c", 0.64}, {"k", static_cast<double>(kSketchPoints)}}},
                {"data", Json::array({feature.sketch})}}}}}}}};
}

Json string_json(const FeatureStatistics& feature) {
  Json buckets = Json::array();
  for (const auto& [value, count] : feature.categories)
    buckets.push_back({{"value", value}, {"count", count}});
  return {{"common", common_json(feature)},
          {"distinct_count", feature.distinct_count},
          {"distribution", {{"categorical", {{"buckets", buckets}}}}}};
}

void read_common(const Json& statistics, FeatureStatistics& feature, std::string_view file,
                 const std::string& where) {
  const Json& common = field(statistics, "common", file, where);
  feature.num_present = value_of<std::uint64_t>(common, "num_present", file, where + ".common");
  feature.num_missing = value_of<std::uint64_t>(common, "num_missing", file, where + ".common");
}

void read_numerical(const Json& statistics, FeatureStatistics& feature, std::string_view file,
                    const std::string& where) {
  read_common(statistics, feature, file, where);
  feature.mean = value_of<double>(statistics, "mean", file, where);
  feature.sum = value_of<double>(statistics, "sum", file, where);
  feature.std_dev = value_of<double>(statistics, "std_dev", file, where);
  feature.min = value_of<double>(statistics, "min", file, where);
  feature.max = value_of<double>(statistics, "max", file, where);
  const Json& kll =
      field(field(statistics, "distribution", file, where), "kll", file, where + ".distribution");
  for (const Json& bucket : field(kll, "buckets", file, where + ".kll"))
    feature.buckets.push_back({value_of<double>(bucket, "lower_bound", file, where + ".buckets"),
                               value_of<double>(bucket, "upper_bound", file, where + ".buckets"),
                               value_of<double>(bucket, "count", file, where + ".buckets")});
  // Every level of the sketch, merged: archml writes one; a KLL sketch of another tool
  // has several, whose items are then read unweighted (an approximation).
  for (const Json& level :
       field(field(kll, "sketch", file, where + ".kll"), "data", file, where + ".kll.sketch"))
    for (const Json& item : level) feature.sketch.push_back(item.get<double>());
  std::sort(feature.sketch.begin(), feature.sketch.end());
}

void read_string(const Json& statistics, FeatureStatistics& feature, std::string_view file,
                 const std::string& where) {
  read_common(statistics, feature, file, where);
  feature.distinct_count = value_of<std::uint64_t>(statistics, "distinct_count", file, where);
  const Json& categorical = field(field(statistics, "distribution", file, where), "categorical",
                                  file, where + ".distribution");
  for (const Json& bucket : field(categorical, "buckets", file, where + ".categorical"))
    feature.categories.emplace_back(value_of<std::string>(bucket, "value", file, where),
                                    value_of<std::uint64_t>(bucket, "count", file, where));
}

std::string enabled(bool on) {
  return on ? "Enabled" : "Disabled";
}

bool read_enabled(const Json& config, std::string_view name, bool fallback) {
  if (!config.contains(name)) return fallback;
  const auto& value = config.at(std::string(name));
  return value.is_string() ? value.get<std::string>() == "Enabled" : fallback;
}

double read_number_or(const Json& config, std::string_view name, double fallback) {
  if (!config.contains(name) || !config.at(std::string(name)).is_number()) return fallback;
  return config.at(std::string(name)).get<double>();
}

}  // namespace

Json statistics_json(const DatasetStatistics& statistics) {
  Json features = Json::array();
  for (const auto& feature : statistics.features) {
    Json entry = {{"name", feature.name},
                  {"inferred_type", std::string(to_string(feature.inferred_type))}};
    if (feature.inferred_type == InferredType::kString)
      entry["string_statistics"] = string_json(feature);
    else if (feature.numeric())
      entry["numerical_statistics"] = numerical_json(feature);
    features.push_back(std::move(entry));
  }
  return {{"version", 0.0},
          {"dataset", {{"item_count", statistics.item_count}}},
          {"features", features}};
}

DatasetStatistics parse_statistics(const Json& json, std::string_view file) {
  DatasetStatistics statistics;
  statistics.item_count = value_of<std::uint64_t>(field(json, "dataset", file, "the file"),
                                                  "item_count", file, "dataset");
  for (const Json& entry : field(json, "features", file, "the file")) {
    FeatureStatistics feature;
    feature.name = value_of<std::string>(entry, "name", file, "a feature");
    const std::string where = "feature " + feature.name;
    feature.inferred_type =
        parse_inferred_type(value_of<std::string>(entry, "inferred_type", file, where));
    if (entry.contains("numerical_statistics"))
      read_numerical(entry.at("numerical_statistics"), feature, file, where);
    else if (entry.contains("string_statistics"))
      read_string(entry.at("string_statistics"), feature, file, where);
    statistics.features.push_back(std::move(feature));
  }
  return statistics;
}

Json constraints_json(const Constraints& constraints) {
  Json features = Json::array();
  for (const auto& feature : constraints.features) {
    Json entry = {{"name", feature.name},
                  {"inferred_type", std::string(to_string(feature.inferred_type))},
                  {"completeness", feature.completeness}};
    if (feature.is_non_negative)
      entry["num_constraints"] = {{"is_non_negative", *feature.is_non_negative}};
    if (feature.inferred_type == InferredType::kString)
      entry["string_constraints"] = {{"domains", feature.domains}};
    features.push_back(std::move(entry));
  }
  const MonitoringConfig& config = constraints.config;
  return {{"version", 0.0},
          {"features", features},
          {"monitoring_config",
           {{"evaluate_constraints", enabled(config.evaluate_constraints)},
            {"emit_metrics", enabled(config.emit_metrics)},
            {"datatype_check_threshold", config.datatype_check_threshold},
            {"domain_content_threshold", config.domain_content_threshold},
            {"distribution_constraints",
             {{"perform_comparison", enabled(config.perform_comparison)},
              {"comparison_threshold", config.comparison_threshold},
              {"comparison_method", config.comparison_method},
              {"categorical_comparison_threshold", config.categorical_comparison_threshold},
              {"categorical_drift_method", config.categorical_drift_method}}}}}};
}

Constraints parse_constraints(const Json& json, std::string_view file) {
  Constraints constraints;
  for (const Json& entry : field(json, "features", file, "the file")) {
    FeatureConstraint feature;
    feature.name = value_of<std::string>(entry, "name", file, "a feature");
    const std::string where = "feature " + feature.name;
    feature.inferred_type =
        parse_inferred_type(value_of<std::string>(entry, "inferred_type", file, where));
    feature.completeness = read_number_or(entry, "completeness", 1.0);
    if (entry.contains("num_constraints") && entry["num_constraints"].contains("is_non_negative"))
      feature.is_non_negative = entry["num_constraints"]["is_non_negative"].get<bool>();
    if (entry.contains("string_constraints") && entry["string_constraints"].contains("domains"))
      feature.domains = entry["string_constraints"]["domains"].get<std::vector<std::string>>();
    constraints.features.push_back(std::move(feature));
  }
  if (!json.contains("monitoring_config")) return constraints;
  const Json& config = json.at("monitoring_config");
  MonitoringConfig& out = constraints.config;
  out.evaluate_constraints = read_enabled(config, "evaluate_constraints", true);
  out.emit_metrics = read_enabled(config, "emit_metrics", true);
  out.datatype_check_threshold =
      read_number_or(config, "datatype_check_threshold", out.datatype_check_threshold);
  out.domain_content_threshold =
      read_number_or(config, "domain_content_threshold", out.domain_content_threshold);
  if (config.contains("distribution_constraints")) {
    const Json& drift = config.at("distribution_constraints");
    out.perform_comparison = read_enabled(drift, "perform_comparison", true);
    out.comparison_threshold =
        read_number_or(drift, "comparison_threshold", out.comparison_threshold);
    out.categorical_comparison_threshold = read_number_or(drift, "categorical_comparison_threshold",
                                                          out.categorical_comparison_threshold);
    if (drift.contains("comparison_method"))
      out.comparison_method = drift.at("comparison_method").get<std::string>();
    if (drift.contains("categorical_drift_method"))
      out.categorical_drift_method = drift.at("categorical_drift_method").get<std::string>();
  }
  return constraints;
}

Json violations_json(const std::vector<Violation>& violations) {
  Json list = Json::array();
  for (const auto& violation : violations)
    list.push_back({{"feature_name", violation.feature_name},
                    {"constraint_check_type", violation.constraint_check_type},
                    {"description", violation.description}});
  return {{"violations", list}};
}

}  // namespace archml::monitor
