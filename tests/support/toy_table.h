// A small binary-classification table for tests that need a trained bundle: a numeric
// feature x, a text feature kind (TRANSFER raises the odds), and a 0/1 label y.
// `missing_every` > 0 leaves every n-th x missing, so the recipe's imputation is exercised.
#pragma once

#include <cstddef>
#include <random>
#include <utility>

#include "archml/data/table.h"

namespace archml::testing {

inline data::Table toy_binary_table(std::size_t rows, unsigned seed,
                                    std::size_t missing_every = 0) {
  std::mt19937 random(seed);
  std::normal_distribution<double> normal;
  data::Column x("x", data::ColumnType::kFloat64), kind("kind", data::ColumnType::kString),
      y("y", data::ColumnType::kInt64);
  for (std::size_t i = 0; i < rows; ++i) {
    const double value = normal(random);
    const bool special = i % 3 == 0;
    if (missing_every > 0 && i % missing_every == 0)
      x.append_missing();
    else
      x.append_float(value);
    kind.append_string(special ? "TRANSFER" : "PAYMENT");
    y.append_int(value + (special ? 1.0 : 0.0) + 0.5 * normal(random) > 1.0 ? 1 : 0);
  }
  data::Table table;
  table.add_column(std::move(x));
  table.add_column(std::move(kind));
  table.add_column(std::move(y));
  return table;
}

}  // namespace archml::testing
