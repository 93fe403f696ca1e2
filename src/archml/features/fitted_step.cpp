#include "archml/features/fitted_step.h"

#include <cmath>
#include <limits>

#include "archml/core/error.h"

namespace archml::features {
namespace {

nlohmann::json number_json(double value) {
  if (std::isnan(value)) return nullptr;
  return value;
}

double number_from(const nlohmann::json& json, const std::string& where) {
  if (json.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!json.is_number()) throw_invalid(where + ": expected a number, got " + json.dump());
  return json.get<double>();
}

// The JSON keys of first/second for each kind of step.
std::pair<const char*, const char*> value_keys(StepKind kind) {
  switch (kind) {
    case StepKind::kMinMax:
      return {"min", "max"};
    case StepKind::kStandardize:
      return {"mean", "std"};
    case StepKind::kImpute:
      return {"value", nullptr};
    default:
      return {nullptr, nullptr};
  }
}

}  // namespace

std::string indicator_name(const std::string& column, const std::string& category) {
  return column + "_" + category;
}

nlohmann::json fitted_step_to_json(const FittedStep& fitted) {
  nlohmann::json json = step_to_json(fitted.step);
  nlohmann::json columns = nlohmann::json::array();
  auto [first_key, second_key] = value_keys(fitted.step.kind);
  for (const auto& column : fitted.columns) {
    nlohmann::json entry;
    entry["name"] = column.name;
    if (first_key) entry[first_key] = number_json(column.first);
    if (second_key) entry[second_key] = number_json(column.second);
    if (fitted.step.kind == StepKind::kOneHot) {
      entry["categories"] = column.categories;
      entry["other"] = column.other;
    }
    columns.push_back(std::move(entry));
  }
  json["fitted"] = std::move(columns);
  return json;
}

FittedStep fitted_step_from_json(const nlohmann::json& json, std::size_t index) {
  std::string where = "fitted recipe step " + std::to_string(index);
  if (!json.is_object() || !json.contains("fitted") || !json["fitted"].is_array())
    throw_invalid(where + ": expected {\"<kind>\": {...}, \"fitted\": [...]}");
  nlohmann::json spec = json;
  spec.erase("fitted");
  FittedStep fitted;
  fitted.step = step_from_json(spec, index);
  auto [first_key, second_key] = value_keys(fitted.step.kind);
  for (const auto& entry : json["fitted"]) {
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string())
      throw_invalid(where + ": every fitted column needs a \"name\"");
    FittedColumn column;
    column.name = entry["name"].get<std::string>();
    std::string at = where + " column '" + column.name + "'";
    if (first_key) column.first = number_from(entry.value(first_key, nlohmann::json()), at);
    if (second_key) column.second = number_from(entry.value(second_key, nlohmann::json()), at);
    if (fitted.step.kind == StepKind::kOneHot) {
      try {
        column.categories = entry.at("categories").get<std::vector<std::string>>();
        column.other = entry.at("other").get<bool>();
      } catch (const nlohmann::json::exception& error) {
        throw_invalid(at + ": " + error.what());
      }
    }
    fitted.columns.push_back(std::move(column));
  }
  return fitted;
}

}  // namespace archml::features
