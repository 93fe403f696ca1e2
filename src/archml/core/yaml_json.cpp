#include "archml/core/yaml_json.h"

#include <algorithm>
#include <charconv>
#include <string>

#include <yaml-cpp/yaml.h>

#include "archml/core/error.h"
#include "archml/core/utf8.h"

namespace archml::core {
namespace {

// yaml-cpp may decode valid text to bytes that are not UTF-8 (control characters and
// NUL bytes in some places), which JSON cannot hold.
const std::string& utf8_scalar(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (!core::is_valid_utf8(text))
    throw YAML::Exception(node.Mark(), "a value that is not UTF-8 text");
  return text;
}

nlohmann::json scalar_to_json(const YAML::Node& node) {
  const std::string& text = utf8_scalar(node);
  // yaml-cpp tags quoted scalars "!"; plain ones "?".
  if (node.Tag() == "!") return text;
  if (text == "null" || text == "~" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (!text.empty() && text[0] == '+') ++first;
  std::int64_t integer = 0;
  auto int_result = std::from_chars(first, last, integer);
  if (int_result.ec == std::errc() && int_result.ptr == last) return integer;
  double number = 0;
  auto float_result = std::from_chars(first, last, number);
  if (float_result.ec == std::errc() && float_result.ptr == last && first != last) return number;
  return text;
}

nlohmann::json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      return scalar_to_json(node);
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const auto& item : node) array.push_back(to_json(item));
      return array;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& item : node) {
        std::string key = utf8_scalar(item.first);
        if (object.contains(key)) throw_invalid("duplicate key '" + key + "'");
        object[key] = to_json(item.second);
      }
      return object;
    }
  }
  return nullptr;
}

// JSON holds only UTF-8 (recipes are stored in model.json), so other bytes stop here,
// with where they are, rather than in a later dump.
void check_utf8(std::string_view text, std::string_view source) {
  const std::size_t bad = core::invalid_utf8_offset(text);
  if (bad == std::string_view::npos) return;
  const std::string_view before = text.substr(0, bad);
  const std::size_t line_start = before.rfind('\n') + 1;  // 0 when on the first line
  throw_invalid(std::string(source) + ": line " +
                std::to_string(std::count(before.begin(), before.end(), '\n') + 1) + ", column " +
                std::to_string(bad - line_start + 1) + ": not UTF-8 text; save the file as UTF-8");
}

}  // namespace

nlohmann::json parse_yaml_or_json(std::string_view text, std::string_view source) {
  check_utf8(text, source);
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (text[first] == '{' || text[first] == '[')) {
    try {
      return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& error) {  // parse_error, out_of_range (1e400)
      throw_invalid(std::string(source) + ": not valid JSON: " + error.what());
    }
  }
  try {
    return to_json(YAML::Load(std::string(text)));
  } catch (const YAML::Exception& error) {
    throw_invalid(std::string(source) + ": not valid YAML at line " +
                  std::to_string(error.mark.line + 1) + ", column " +
                  std::to_string(error.mark.column + 1) + ": " + error.msg);
  } catch (const Error& error) {
    throw_invalid(std::string(source) + ": " + error.what());
  }
}

}  // namespace archml::core
