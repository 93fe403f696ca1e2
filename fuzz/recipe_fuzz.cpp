// Recipe files (YAML or JSON) through to a fitted recipe. Oracles: a recipe written as
// JSON (Recipe::to_json) and as YAML (Recipe::to_yaml, the form users edit) reads back
// equal; when it fits a small table (x: float with missing values, kind: text, y: target),
// the fitted recipe stored with the model (FittedRecipe::to_json) reads back to one that
// makes the same features, bit for bit, and the features have the recipe's width.
//
// Input: the recipe text.
#include <cmath>
#include <cstring>

#include "../tests/support/toy_table.h"
#include "archml/features/recipe.h"
#include "harness.h"

namespace archml::fuzz {
namespace {

bool same_features(const features::FeatureMatrix& a, const features::FeatureMatrix& b) {
  if (a.rows() != b.rows() || a.names() != b.names()) return false;
  return std::memcmp(a.data(), b.data(), a.rows() * a.cols() * sizeof(float)) == 0;
}

}  // namespace

void recipe(std::string_view input) {
  static const data::Table table = testing::toy_binary_table(24, 5, 4);
  const features::Recipe recipe = features::Recipe::parse(input, "fuzz");
  check(features::Recipe::from_json(recipe.to_json()) == recipe, [&] {
    return "the recipe's JSON reads back to another recipe: " +
           recipe.to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  });
  const std::string yaml = recipe.to_yaml();
  check(features::Recipe::parse(yaml, "to_yaml") == recipe,
        [&] { return "the recipe's YAML reads back to another recipe:\n" + yaml; });

  const features::FittedRecipe fitted = recipe.fit(table, "y");
  const features::FeatureMatrix matrix = fitted.transform(table);
  check(matrix.rows() == table.row_count() && matrix.names() == fitted.feature_names(),
        "the features are not a row per row and a column per feature name");
  const features::FittedRecipe stored = features::FittedRecipe::from_json(fitted.to_json());
  check(same_features(stored.transform(table), matrix), [&] {
    return "the stored fitted recipe makes other features: " +
           fitted.to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  });
}

}  // namespace archml::fuzz
