// A feature recipe: ordered steps (drop, one_hot, min_max, standardize, impute, log1p,
// derive) read from YAML or JSON text, see docs/recipe.md. fit() learns every step's
// statistics from the training split only and returns the FittedRecipe that is stored
// with the model.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archml/data/table.h"
#include "archml/features/fitted_recipe.h"
#include "archml/features/step.h"

namespace archml::features {

class Recipe {
 public:
  Recipe() = default;
  explicit Recipe(std::vector<Step> steps) : steps_(std::move(steps)) {}

  // YAML, or JSON when the text starts with '{' or '['. Throws archml::Error (invalid
  // input) naming `source`, the step number (1-based) and the field at fault; derive
  // expressions are checked here, with a caret under the error.
  static Recipe parse(std::string_view text, std::string_view source = "recipe");
  static Recipe from_json(const nlohmann::json& json);

  // {"version": 1, "steps": [{"<kind>": {...}}, ...]}; from_json(to_json()) == *this.
  nlohmann::json to_json() const;
  // The same as YAML, with each step's comment above it, for users to edit.
  std::string to_yaml() const;

  const std::vector<Step>& steps() const { return steps_; }
  void add(Step step) { steps_.push_back(std::move(step)); }
  bool operator==(const Recipe& other) const { return steps_ == other.steps_; }

  // Fits on `train`. `target` (may be empty: none) is excluded from the features and
  // never transformed; dropping it is allowed and does nothing. Throws archml::Error when
  // a step names a column that does not exist at that step (listing those that do), asks
  // for numbers from a text column, or leaves a text column unencoded at the end.
  FittedRecipe fit(const data::Table& train, std::string_view target, unsigned threads = 0) const;

 private:
  std::vector<Step> steps_;
};

}  // namespace archml::features
