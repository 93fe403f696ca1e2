// Reads a YAML document into JSON so configs (recipes, tuning jobs) have one parser
// whatever their format.
// Plain scalars that read as numbers, booleans or null become those; quoted scalars
// stay text. JSON text is YAML, but it is read with the JSON parser for exact messages.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace archml::core {

// Throws archml::Error (invalid input) with the line and column of a syntax error;
// `source` names the text in messages.
nlohmann::json parse_yaml_or_json(std::string_view text, std::string_view source);

}  // namespace archml::core
