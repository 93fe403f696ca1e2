// The recipe used when the user gives none: drop ID-like columns, one-hot encode
// categorical text columns, keep numbers as they are (trees need no scaling, and
// XGBoost handles missing values itself). Each step carries a comment saying why, so the
// recipe written next to the model explains itself and can be edited.
#pragma once

#include <cstddef>
#include <string_view>

#include "archml/data/table.h"
#include "archml/features/recipe.h"

namespace archml::features {

struct AutomaticRecipeOptions {
  // A text column with at most this many distinct values gets an indicator per value.
  std::size_t max_one_hot = 20;
  // Up to this many distinct values, and at most `max_category_fraction` of the rows, a
  // text column is still categorical: its `max_one_hot` most frequent values get
  // indicators and the rest share <column>_other. Above, it is ID-like and dropped.
  std::size_t max_categories = 1000;
  double max_category_fraction = 0.05;
};

// Rules, in order, for every column but `target`:
// - text, no values at all, or more distinct values than the limits above: drop;
// - text, few distinct values: one_hot (unseen: ignore);
// - text, more: one_hot with max_categories;
// - whole numbers that count rows (1, 2, 3, ...) or are all distinct in a column named
//   like an ID (id, *_id, *Id, *ID): drop;
// - other numbers and booleans: kept.
Recipe automatic_recipe(const data::Table& table, std::string_view target,
                        const AutomaticRecipeOptions& options = {});

}  // namespace archml::features
