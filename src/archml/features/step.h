// One step of a feature recipe as the user wrote it: its kind and parameters, before
// anything is learned from data. The canonical JSON form is {"<kind>": {parameters}};
// step_from_json also takes the short forms of docs/recipe.md (a list of columns, or
// "name = expression" for derive).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace archml::features {

enum class StepKind : std::uint8_t {
  kDrop,
  kOneHot,
  kMinMax,
  kStandardize,
  kImpute,
  kLog1p,
  kDerive
};

// What one_hot does with a category it did not see in training.
enum class UnseenPolicy : std::uint8_t {
  kIgnore,  // all indicators 0
  kError,   // archml::Error naming row, column and value
  kOther,   // the <column>_other indicator is 1
};

enum class ImputeStrategy : std::uint8_t { kMean, kMedian, kConstant };

std::string_view to_string(StepKind kind);
std::string_view to_string(UnseenPolicy policy);
std::string_view to_string(ImputeStrategy strategy);

struct Step {
  StepKind kind = StepKind::kDrop;
  // Columns the step applies to. Empty means the step's default: every string column for
  // one_hot; every numeric column that is not a one-hot indicator for min_max,
  // standardize and impute. drop and log1p need them named.
  std::vector<std::string> columns;

  // one_hot
  UnseenPolicy unseen = UnseenPolicy::kIgnore;
  // Keep indicators for this many most frequent categories; the rest share <column>_other.
  std::optional<std::size_t> max_categories;

  // impute
  ImputeStrategy strategy = ImputeStrategy::kMean;
  double value = 0;  // for kConstant

  // derive: `name` = `expression`
  std::string name;
  std::string expression;

  // Why the step is there; written as a YAML comment, not part of the JSON form.
  std::string comment;

  bool operator==(const Step& other) const;
};

// `index` is the 1-based step number used in error messages.
Step step_from_json(const nlohmann::json& json, std::size_t index);
nlohmann::json step_to_json(const Step& step);
// "step 3 (one_hot)" — how errors name a step.
std::string step_label(const Step& step, std::size_t index);

}  // namespace archml::features
