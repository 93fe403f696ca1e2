#include "archml/features/row_table.h"

#include <limits>

#include "archml/core/error.h"
#include "archml/features/feature_matrix.h"

namespace archml::features {
namespace {

bool is_missing_token(std::string_view field) {
  static constexpr std::string_view kTokens[] = {"", "NA", "NaN", "nan", "null", "NULL", "N/A"};
  for (std::string_view token : kTokens)
    if (field == token) return true;
  return false;
}

std::string_view trim(std::string_view field) {
  while (!field.empty() && (field.front() == ' ' || field.front() == '\t')) field.remove_prefix(1);
  while (!field.empty() && (field.back() == ' ' || field.back() == '\t')) field.remove_suffix(1);
  return field;
}

}  // namespace

data::Table table_from_text_rows(std::span<const InputColumn> schema,
                                 const std::vector<std::string>& columns,
                                 const std::vector<std::vector<std::string_view>>& rows) {
  std::vector<std::size_t> field_of(schema.size());
  std::string absent;
  for (std::size_t c = 0; c < schema.size(); ++c) {
    std::size_t field = 0;
    while (field < columns.size() && columns[field] != schema[c].name) ++field;
    if (field == columns.size()) absent += (absent.empty() ? "'" : ", '") + schema[c].name + "'";
    field_of[c] = field;
  }
  if (!absent.empty()) throw_invalid("the rows lack column(s) " + absent + " that the model reads");

  data::Table table;
  for (std::size_t c = 0; c < schema.size(); ++c) {
    // Numbers of every numeric type become float64: the transform reads them as doubles.
    bool text = schema[c].type == data::ColumnType::kString;
    data::Column column(schema[c].name,
                        text ? data::ColumnType::kString : data::ColumnType::kFloat64);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (rows[r].size() != columns.size())
        throw_invalid("row " + std::to_string(r + 1) + " has " + std::to_string(rows[r].size()) +
                      " fields, expected " + std::to_string(columns.size()));
      std::string_view field = rows[r][field_of[c]];
      if (is_missing_token(trim(field))) {
        column.append_missing();
      } else if (text) {
        column.append_string(field);
      } else {
        std::string_view number = trim(field);
        double value = 0;
        if (number == "true" || number == "True" || number == "TRUE") {
          value = 1;
        } else if (number == "false" || number == "False" || number == "FALSE") {
          value = 0;
        } else if (!read_feature_number(number, value, schema[c].name, r + 1)) {
          throw_invalid("row " + std::to_string(r + 1) + ", column '" + schema[c].name +
                        "': cannot read '" + std::string(field) + "' as a number");
        }
        column.append_float(value);
      }
    }
    table.add_column(std::move(column));
  }
  return table;
}

}  // namespace archml::features
