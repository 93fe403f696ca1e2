// Small hand-built Tables for the feature tests.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "archml/data/table.h"

namespace archml::features::testing {

inline data::Column numbers(const std::string& name, const std::vector<double>& values) {
  data::Column column(name, data::ColumnType::kFloat64);
  for (double value : values) {
    if (std::isnan(value))
      column.append_missing();
    else
      column.append_float(value);
  }
  return column;
}

inline data::Column integers(const std::string& name, const std::vector<std::int64_t>& values) {
  data::Column column(name, data::ColumnType::kInt64);
  for (auto value : values) column.append_int(value);
  return column;
}

// "" is a missing value.
inline data::Column texts(const std::string& name, const std::vector<std::string>& values) {
  data::Column column(name, data::ColumnType::kString);
  for (const auto& value : values) {
    if (value.empty())
      column.append_missing();
    else
      column.append_string(value);
  }
  return column;
}

inline data::Table table(std::vector<data::Column> columns) {
  data::Table result;
  for (auto& column : columns) result.add_column(std::move(column));
  return result;
}

inline constexpr double kNA = std::numeric_limits<double>::quiet_NaN();

}  // namespace archml::features::testing
