// Bring your own objective: tunes any program. The command template is split into words
// like a shell would (spaces separate words; '...' and "..." quote; backslash escapes)
// and then each {name} placeholder inside a word is replaced by the trial's value, so a
// value is always exactly one argument and no shell ever interprets it (write
// `sh -c '...'` yourself if you want one). Placeholders: the tuned parameters plus
// {trial_dir}, {trial_number}, {max_steps} and {threads}; {{ and }} are literal braces.
// The program runs with stdout and stderr captured (and saved as trial_dir/output.log);
// every match of the metric regex is one step's objective value (the first capture
// group, or the whole match), reported as it appears, so the median rule and Hyperband
// can stop the program (SIGTERM to its process group). The last value is the trial's
// objective. A non-zero exit, a timeout or no match fails the trial.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/tune/objective.h"

namespace archml::jobs {

struct CommandSpec {
  std::string run;                    // the command template
  std::string metric_regex;           // ECMAScript syntax
  double timeout_seconds = 0;         // 0 = no limit
  std::filesystem::path working_dir;  // empty = the current directory
};

// Reads a config's `command:` section (keys run, metric_regex, timeout_seconds).
// Throws archml::Error (invalid) for missing or unknown keys and wrong types.
CommandSpec parse_command_section(const nlohmann::json& section);

// Shell-like word splitting; throws invalid for an unterminated quote.
std::vector<std::string> split_command_words(std::string_view command);

// Validates the template (placeholders are known names, the regex compiles) and returns
// the objective. Throws archml::Error (invalid) before anything runs.
tune::Objective make_command_objective(const CommandSpec& spec,
                                       const std::vector<std::string>& parameter_names);

}  // namespace archml::jobs
