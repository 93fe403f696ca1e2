// Filtering and sorting runs by what was recorded (`archml runs list --filter/--sort-by`).
// A key names a metric (its last value, e.g. validation:aucpr), else a parameter (eta),
// else one of the run's own fields: status, name, experiment, id. Values compare as
// numbers when both sides are numbers, otherwise as text.
//
//   filter   := condition ("and" condition)*
//   condition:= KEY OP VALUE     OP: > >= < <= = == !=    VALUE: number, word or 'quoted'
//   sort     := KEY[:asc|:desc]  (descending by default: the best AUC first)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "archml/track/catalog.h"

namespace archml::track {

enum class Comparison { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

struct Condition {
  std::string key;
  Comparison comparison = Comparison::kEqual;
  std::string value;
};

struct SortOrder {
  std::string key;
  bool descending = true;
};

// Throw archml::Error (invalid input) with the grammar above for malformed text.
std::vector<Condition> parse_filter(const std::string& text);
SortOrder parse_sort(const std::string& text);

// The value `key` has in the run (see above), or nullopt when it has none.
std::optional<std::string> run_value(const RunDetails& run, const std::string& key);

// True when the run has every condition's key and satisfies it.
bool matches(const RunDetails& run, const std::vector<Condition>& conditions);

// Stable sort by the key; runs without it go last in either direction.
void sort_runs(std::vector<RunDetails>& runs, const SortOrder& order);

}  // namespace archml::track
