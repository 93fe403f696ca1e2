#include "archml/features/recipe.h"

#include <cctype>

#include "archml/core/error.h"
#include "archml/core/yaml_json.h"

namespace archml::features {
namespace {

constexpr int kRecipeVersion = 1;

bool is_identifier(std::string_view text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_'))
    return false;
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

// A scalar as YAML: plain when it cannot be misread (as a number, a boolean, null, or
// flow syntax), else double-quoted with JSON escapes, which YAML reads the same way.
std::string yaml_scalar(std::string_view text, bool in_flow) {
  static constexpr std::string_view kReserved[] = {"true", "false", "null", "yes", "no",
                                                   "on",   "off",   "y",    "n",   "~"};
  bool plain =
      !text.empty() && (std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_');
  for (std::string_view word : kReserved) {
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == word) plain = false;
  }
  std::string_view flow_specials = in_flow ? ",[]{}" : "";
  for (std::size_t i = 0; plain && i < text.size(); ++i) {
    char c = text[i];
    // Control characters cannot stand in a plain scalar; the JSON string escapes them.
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"' || c == '\'' ||
        flow_specials.find(c) != std::string_view::npos)
      plain = false;
    if (c == ':' && (i + 1 == text.size() || text[i + 1] == ' ')) plain = false;
    if (c == '#' && i > 0 && text[i - 1] == ' ') plain = false;
  }
  if (plain && text.back() == ' ') plain = false;
  return plain ? std::string(text) : nlohmann::json(std::string(text)).dump();
}

std::string yaml_list(const std::vector<std::string>& items) {
  std::string text = "[";
  for (std::size_t i = 0; i < items.size(); ++i)
    text += (i ? ", " : "") + yaml_scalar(items[i], true);
  return text + "]";
}

}  // namespace

Recipe Recipe::parse(std::string_view text, std::string_view source) {
  nlohmann::json json = core::parse_yaml_or_json(text, source);
  try {
    return from_json(json);
  } catch (const Error& error) {
    if (source == "recipe") throw;
    throw Error(error.kind(), std::string(source) + ": " + error.what());
  }
}

Recipe Recipe::from_json(const nlohmann::json& json) {
  const nlohmann::json* steps = &json;
  if (json.is_object()) {
    for (const auto& [key, value] : json.items()) {
      if (key == "version") {
        if (!value.is_number_integer() || value.get<int>() != kRecipeVersion)
          throw_invalid("recipe: version " + value.dump() + " is not supported; use version: 1");
      } else if (key != "steps") {
        throw_invalid("recipe: unknown top-level field '" + key + "'; expected version, steps");
      }
    }
    if (!json.contains("steps")) throw_invalid("recipe: the field 'steps' is missing");
    steps = &json["steps"];
  }
  if (steps->is_null()) return Recipe();
  if (!steps->is_array()) throw_invalid("recipe: 'steps' must be a list of steps");
  Recipe recipe;
  std::size_t index = 0;
  for (const auto& step : *steps) recipe.add(step_from_json(step, ++index));
  return recipe;
}

nlohmann::json Recipe::to_json() const {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : steps_) steps.push_back(step_to_json(step));
  return {{"version", kRecipeVersion}, {"steps", std::move(steps)}};
}

std::string Recipe::to_yaml() const {
  std::string text = "# archml feature recipe: steps run in order (docs/recipe.md)\nversion: 1\n";
  text += steps_.empty() ? "steps: []\n" : "steps:\n";
  for (const auto& step : steps_) {
    std::size_t start = 0;
    while (!step.comment.empty() && start <= step.comment.size()) {
      std::size_t end = step.comment.find('\n', start);
      if (end == std::string::npos) end = step.comment.size();
      text += "  # " + step.comment.substr(start, end - start) + "\n";
      start = end + 1;
    }
    text += "  - " + std::string(to_string(step.kind)) + ": ";
    if (step.kind == StepKind::kDerive) {
      std::string name = is_identifier(step.name) ? step.name : "`" + step.name + "`";
      text += yaml_scalar(name + " = " + step.expression, false) + "\n";
      continue;
    }
    std::vector<std::string> fields;
    if (!step.columns.empty()) fields.push_back("columns: " + yaml_list(step.columns));
    if (step.kind == StepKind::kOneHot) {
      fields.push_back("unseen: " + std::string(to_string(step.unseen)));
      if (step.max_categories)
        fields.push_back("max_categories: " + std::to_string(*step.max_categories));
    }
    if (step.kind == StepKind::kImpute) {
      fields.push_back("strategy: " + std::string(to_string(step.strategy)));
      if (step.strategy == ImputeStrategy::kConstant)
        fields.push_back("value: " + nlohmann::json(step.value).dump());
    }
    if (fields.size() == 1 && !step.columns.empty()) {
      text += yaml_list(step.columns) + "\n";
      continue;
    }
    text += "{";
    for (std::size_t i = 0; i < fields.size(); ++i) text += (i ? ", " : "") + fields[i];
    text += "}\n";
  }
  return text;
}

}  // namespace archml::features
