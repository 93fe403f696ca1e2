// Rows of text fields (an HTTP request body, a few CSV lines) read into a Table with the
// column types a fitted recipe expects, so serving goes through the same transform as
// batch prediction instead of a per-row copy of it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "archml/data/table.h"
#include "archml/features/fitted_step.h"

namespace archml::features {

// `columns` names the fields of every row; schema columns absent from it are an error,
// fields not in the schema are skipped. Numbers parse as in CSV; "", NA, NaN, nan, null,
// NULL and N/A are missing. Throws archml::Error (invalid input) naming row (1-based) and
// column of a field that does not parse, or a row with the wrong number of fields.
data::Table table_from_text_rows(std::span<const InputColumn> schema,
                                 const std::vector<std::string>& columns,
                                 const std::vector<std::vector<std::string_view>>& rows);

}  // namespace archml::features
