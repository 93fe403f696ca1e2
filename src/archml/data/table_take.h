// Row (and column) selection: gathers chosen rows of a table into a new Table, so that a
// split part or a batch of one can go where a Table is expected (Recipe::fit,
// FittedRecipe::transform) without copying the whole table. String columns get a compact
// dictionary holding only the values the chosen rows use, in first-appearance order.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "archml/data/table.h"

namespace archml::data {

// Rows in the given order (repeats allowed). `columns` empty means every column;
// otherwise those named, in table order (unknown names throw archml::Error, not found).
Table take_rows(const Table& table, std::span<const std::uint32_t> rows,
                const std::vector<std::string>& columns = {});

}  // namespace archml::data
