#include "archml/features/step.h"

#include <cmath>

#include "archml/core/error.h"
#include "archml/features/expression.h"

namespace archml::features {
namespace {

struct KindName {
  StepKind kind;
  std::string_view name;
  std::string_view fields;  // accepted parameters, for messages
};

constexpr KindName kKinds[] = {
    {StepKind::kDrop, "drop", "columns"},
    {StepKind::kOneHot, "one_hot", "columns, unseen, max_categories"},
    {StepKind::kMinMax, "min_max", "columns"},
    {StepKind::kStandardize, "standardize", "columns"},
    {StepKind::kImpute, "impute", "columns, strategy, value"},
    {StepKind::kLog1p, "log1p", "columns"},
    {StepKind::kDerive, "derive", "name, expression"},
};

const KindName& kind_info(StepKind kind) {
  for (const auto& info : kKinds)
    if (info.kind == kind) return info;
  return kKinds[0];
}

std::string describe(const nlohmann::json& json) {
  std::string text = json.dump();
  return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

std::vector<std::string> read_columns(const nlohmann::json& json, const std::string& where) {
  std::vector<std::string> columns;
  if (json.is_string()) {
    columns.push_back(json.get<std::string>());
  } else if (json.is_array()) {
    for (const auto& item : json) {
      if (!item.is_string())
        throw_invalid(where + ": field 'columns': expected column names, got " + describe(item));
      columns.push_back(item.get<std::string>());
    }
  } else {
    throw_invalid(where + ": field 'columns': expected a list of column names, got " +
                  describe(json));
  }
  for (const auto& column : columns)
    if (column.empty()) throw_invalid(where + ": field 'columns': a column name is empty");
  return columns;
}

std::string read_string(const nlohmann::json& json, const std::string& where,
                        std::string_view field) {
  if (!json.is_string())
    throw_invalid(where + ": field '" + std::string(field) + "': expected text, got " +
                  describe(json));
  return json.get<std::string>();
}

template <class Enum, std::size_t N>
Enum read_choice(const nlohmann::json& json, const std::string& where, std::string_view field,
                 const std::pair<std::string_view, Enum> (&choices)[N]) {
  std::string text = read_string(json, where, field);
  std::string names;
  for (const auto& [name, value] : choices) {
    if (name == text) return value;
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  throw_invalid(where + ": field '" + std::string(field) + "': expected one of " + names +
                ", got '" + text + "'");
}

constexpr std::pair<std::string_view, UnseenPolicy> kPolicies[] = {
    {"ignore", UnseenPolicy::kIgnore},
    {"error", UnseenPolicy::kError},
    {"other", UnseenPolicy::kOther}};
constexpr std::pair<std::string_view, ImputeStrategy> kStrategies[] = {
    {"mean", ImputeStrategy::kMean},
    {"median", ImputeStrategy::kMedian},
    {"constant", ImputeStrategy::kConstant}};

void parse_derive(Step& step, const nlohmann::json& body, const std::string& where) {
  std::string context = where;
  if (body.is_string()) {
    std::string text = body.get<std::string>();
    Expression expression = Expression::parse_assignment(text, &step.name, context);
    step.expression = expression.text();
    return;
  }
  if (!body.is_object())
    throw_invalid(where + ": expected \"name = expression\" or {name, expression}, got " +
                  describe(body));
  for (const auto& [key, value] : body.items()) {
    if (key == "name") {
      step.name = read_string(value, where, "name");
    } else if (key == "expression") {
      step.expression = read_string(value, where, "expression");
    } else {
      throw_invalid(where + ": unknown field '" + key + "'; the fields are name, expression");
    }
  }
  if (step.name.empty()) throw_invalid(where + ": field 'name' is missing");
  if (step.expression.empty()) throw_invalid(where + ": field 'expression' is missing");
  step.expression = Expression::parse(step.expression, context).text();
}

}  // namespace

std::string_view to_string(StepKind kind) {
  return kind_info(kind).name;
}

std::string_view to_string(UnseenPolicy policy) {
  for (const auto& [name, value] : kPolicies)
    if (value == policy) return name;
  return "ignore";
}

std::string_view to_string(ImputeStrategy strategy) {
  for (const auto& [name, value] : kStrategies)
    if (value == strategy) return name;
  return "mean";
}

bool Step::operator==(const Step& other) const {
  return kind == other.kind && columns == other.columns && unseen == other.unseen &&
         max_categories == other.max_categories && strategy == other.strategy &&
         (value == other.value || (std::isnan(value) && std::isnan(other.value))) &&
         name == other.name && expression == other.expression;
}

std::string step_label(const Step& step, std::size_t index) {
  std::string label = "step " + std::to_string(index) + " (" + std::string(to_string(step.kind));
  if (step.kind == StepKind::kDerive && !step.name.empty()) label += " " + step.name;
  return label + ")";
}

Step step_from_json(const nlohmann::json& json, std::size_t index) {
  std::string where = "recipe step " + std::to_string(index);
  std::string kinds;
  for (const auto& info : kKinds) kinds += (kinds.empty() ? "" : ", ") + std::string(info.name);
  // A bare step name ("- one_hot") is that step with its defaults.
  if (json.is_string())
    return step_from_json(nlohmann::json{{json.get<std::string>(), nullptr}}, index);
  if (!json.is_object() || json.size() != 1)
    throw_invalid(where + ": expected one key naming the step (" + kinds + "), got " +
                  describe(json));
  auto entry = json.begin();
  const std::string key = entry.key();
  const nlohmann::json& body = entry.value();
  Step step;
  const KindName* info = nullptr;
  for (const auto& candidate : kKinds)
    if (candidate.name == key) info = &candidate;
  if (!info) throw_invalid(where + ": unknown step '" + key + "'; the steps are " + kinds);
  step.kind = info->kind;
  where += " (" + key + ")";

  if (step.kind == StepKind::kDerive) {
    parse_derive(step, body, where);
    return step;
  }
  if (body.is_array() || body.is_string()) {
    step.columns = read_columns(body, where);
  } else if (body.is_object()) {
    for (const auto& [field, value] : body.items()) {
      if (field == "columns") {
        step.columns = read_columns(value, where);
      } else if (field == "unseen" && step.kind == StepKind::kOneHot) {
        step.unseen = read_choice(value, where, field, kPolicies);
      } else if (field == "max_categories" && step.kind == StepKind::kOneHot) {
        if (!value.is_number_integer() || value.get<std::int64_t>() < 1)
          throw_invalid(where + ": field 'max_categories': expected a whole number >= 1, got " +
                        describe(value));
        step.max_categories = value.get<std::size_t>();
      } else if (field == "strategy" && step.kind == StepKind::kImpute) {
        step.strategy = read_choice(value, where, field, kStrategies);
      } else if (field == "value" && step.kind == StepKind::kImpute) {
        if (!value.is_number())
          throw_invalid(where + ": field 'value': expected a number, got " + describe(value));
        step.value = value.get<double>();
      } else {
        throw_invalid(where + ": unknown field '" + field + "'; the fields are " +
                      std::string(info->fields));
      }
    }
  } else if (!body.is_null()) {
    throw_invalid(where + ": expected a list of columns or a map of fields (" +
                  std::string(info->fields) + "), got " + describe(body));
  }
  if (step.columns.empty() && (step.kind == StepKind::kDrop || step.kind == StepKind::kLog1p))
    throw_invalid(where + ": field 'columns' is missing; name the columns to " + key);
  return step;
}

nlohmann::json step_to_json(const Step& step) {
  nlohmann::json body = nlohmann::json::object();
  if (step.kind == StepKind::kDerive) {
    body["name"] = step.name;
    body["expression"] = step.expression;
  } else {
    if (!step.columns.empty()) body["columns"] = step.columns;
    if (step.kind == StepKind::kOneHot) {
      body["unseen"] = std::string(to_string(step.unseen));
      if (step.max_categories) body["max_categories"] = *step.max_categories;
    }
    if (step.kind == StepKind::kImpute) {
      body["strategy"] = std::string(to_string(step.strategy));
      if (step.strategy == ImputeStrategy::kConstant) body["value"] = step.value;
    }
  }
  nlohmann::json json;
  json[std::string(to_string(step.kind))] = std::move(body);
  return json;
}

}  // namespace archml::features
