// Model URIs name a version of the model registry (docs/registry.md) wherever a command
// takes --model, as MLflow's do:
//   models:/fraud/3                 version 3 of the group "fraud"
//   models:/fraud@production        the version the alias "production" points at
//   models:/fraud@latest-approved   the highest version whose status is Approved
// Also the names the registry accepts: groups (letters, digits, '.', '_', '-'; starting
// with a letter or digit) and aliases (a letter, then letters, digits, '_', '-'; never
// "latest" or "latest-approved", which the registry reserves).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace archml::track {

inline constexpr std::string_view kModelUriScheme = "models:/";
inline constexpr std::string_view kLatestApproved = "latest-approved";

struct ModelUri {
  std::string group;
  std::optional<std::int64_t> version;  // models:/GROUP/N
  std::string alias;                    // models:/GROUP@ALIAS (or latest-approved)

  bool latest_approved() const { return !version && alias == kLatestApproved; }
  // Whether the version it names may change over time (an alias, latest-approved).
  bool moves() const { return !version; }
  // Back to text: "models:/fraud/3", "models:/fraud@production".
  std::string text() const;
};

bool is_model_uri(std::string_view text);
// Throws archml::Error (invalid input) naming the accepted forms.
ModelUri parse_model_uri(std::string_view text);

// A version given on the command line: a number ("3"), an alias ("production",
// "@production") or latest-approved. Throws archml::Error (invalid input).
ModelUri parse_version_reference(const std::string& group, std::string_view reference);

// Each throws archml::Error (invalid input) explaining the rule `name` breaks.
void check_group_name(std::string_view name);
void check_alias_name(std::string_view name);

}  // namespace archml::track
