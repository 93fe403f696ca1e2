// A recipe step after fitting: the step as written plus, per column it applies to,
// what was learned from the training split. Also the raw columns a recipe reads.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/data/table.h"
#include "archml/features/step.h"

namespace archml::features {

// A raw column that a fitted recipe needs, with its type in the training data.
struct InputColumn {
  std::string name;
  data::ColumnType type = data::ColumnType::kFloat64;
  bool operator==(const InputColumn&) const = default;
};

struct FittedColumn {
  std::string name;
  // min_max: minimum and maximum; standardize: mean and population standard deviation;
  // impute: `first` is the fill value. NaN when the training column had no values.
  double first = 0;
  double second = 0;
  // one_hot: categories with an indicator each, in output order; `other` adds
  // <name>_other after them.
  std::vector<std::string> categories;
  bool other = false;
};

struct FittedStep {
  Step step;
  // The columns the step applies to (defaults expanded); for derive, none.
  std::vector<FittedColumn> columns;
};

// {"<kind>": {parameters}, "fitted": [{"name": ..., learned values}]}; doubles are
// written so that reading them back gives the same bits (NaN as null).
nlohmann::json fitted_step_to_json(const FittedStep& step);
FittedStep fitted_step_from_json(const nlohmann::json& json, std::size_t index);

// The name of a one-hot indicator: <column>_<category>, or <column>_other.
std::string indicator_name(const std::string& column, const std::string& category);

}  // namespace archml::features
