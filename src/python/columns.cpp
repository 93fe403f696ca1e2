#include "python/columns.h"

#include <pybind11/numpy.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "archml/core/error.h"

namespace archml::python {
namespace {

namespace py = pybind11;

// A one-dimensional array of T over the memory of `values`, which it keeps alive.
template <typename T, typename V>
py::array owning_array(std::vector<V>&& values) {
  static_assert(sizeof(T) == sizeof(V));
  if (values.empty()) return py::array_t<T>(0);
  auto* holder = new std::vector<V>(std::move(values));
  py::capsule owner(holder, [](void* pointer) { delete static_cast<std::vector<V>*>(pointer); });
  return py::array_t<T>({holder->size()}, {sizeof(T)}, reinterpret_cast<const T*>(holder->data()),
                        owner);
}

// The values as Python strings. Plain ASCII (IDs, category names: the usual case, one
// word-wide scan tells) is copied into compact strings without decoding.
py::list dictionary_values(const data::Dictionary& dictionary) {
  const std::uint32_t size = dictionary.size();
  py::list values(size);
  const bool ascii = dictionary.is_ascii();
  for (std::uint32_t code = 0; code < size; ++code) {
    std::string_view value = dictionary.at(code);
    if (!ascii) {
      values[code] = py::str(value.data(), value.size());
      continue;
    }
    PyObject* text = PyUnicode_New(static_cast<Py_ssize_t>(value.size()), 127);
    if (text == nullptr) throw py::error_already_set();
    std::memcpy(PyUnicode_1BYTE_DATA(text), value.data(), value.size());
    PyList_SET_ITEM(values.ptr(), code, text);  // steals the reference
  }
  return values;
}

py::tuple column_to_tuple(data::Column& column) {
  const py::str name(column.name());
  switch (column.type()) {
    case data::ColumnType::kFloat64:
      return py::make_tuple(name, "float64",
                            owning_array<double>(std::move(column.mutable_floats())), py::none());
    case data::ColumnType::kInt64: {
      if (column.missing_count() == 0)
        return py::make_tuple(name, "int64",
                              owning_array<std::int64_t>(std::move(column.mutable_ints())),
                              py::none());
      std::vector<double> values(column.size());
      for (std::size_t row = 0; row < values.size(); ++row) values[row] = column.number(row);
      return py::make_tuple(name, "float64", owning_array<double>(std::move(values)), py::none());
    }
    case data::ColumnType::kBool: {
      py::object mask = py::none();
      if (column.missing_count() > 0)
        mask = owning_array<std::uint8_t>(std::move(column.mutable_missing_mask()));
      return py::make_tuple(name, "bool", owning_array<bool>(std::move(column.mutable_bools())),
                            mask);
    }
    case data::ColumnType::kString: {
      // kMissingCode (all ones) reads as -1 in int32: pandas' code for a missing value.
      py::list categories = dictionary_values(column.dictionary());
      return py::make_tuple(name, "string",
                            owning_array<std::int32_t>(std::move(column.mutable_codes())),
                            categories);
    }
  }
  throw Error(ErrorKind::kInternal, "unknown column type of '" + column.name() + "'");
}

void set_missing(data::Column& column, std::vector<std::uint8_t>&& mask, bool any) {
  if (any) column.mutable_missing_mask() = std::move(mask);
}

data::Column float_column(const std::string& name, const py::handle& values) {
  auto array = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(values);
  data::Column column(name, data::ColumnType::kFloat64);
  const std::size_t rows = static_cast<std::size_t>(array.size());
  auto& floats = column.mutable_floats();
  floats.assign(array.data(), array.data() + rows);
  std::vector<std::uint8_t> mask(rows, 0);
  bool any = false;
  for (std::size_t row = 0; row < rows; ++row)
    if (std::isnan(floats[row])) mask[row] = 1, any = true;
  set_missing(column, std::move(mask), any);
  return column;
}

data::Column int_column(const std::string& name, const py::handle& values) {
  auto array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(values);
  data::Column column(name, data::ColumnType::kInt64);
  column.mutable_ints().assign(array.data(), array.data() + array.size());
  return column;
}

data::Column bool_column(const std::string& name, const py::handle& values,
                         const py::handle& mask) {
  auto array = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(values);
  data::Column column(name, data::ColumnType::kBool);
  const std::size_t rows = static_cast<std::size_t>(array.size());
  auto& bools = column.mutable_bools();
  bools.resize(rows);
  for (std::size_t row = 0; row < rows; ++row) bools[row] = array.data()[row] != 0 ? 1 : 0;
  if (!mask.is_none()) {
    auto missing =
        py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(mask);
    if (static_cast<std::size_t>(missing.size()) != rows)
      throw_invalid("column '" + name + "': the missing mask has another length than the values");
    std::vector<std::uint8_t> flags(missing.data(), missing.data() + rows);
    bool any = false;
    for (std::size_t row = 0; row < rows; ++row) {
      flags[row] = flags[row] != 0 ? 1 : 0;
      if (flags[row] != 0) bools[row] = 0, any = true;
    }
    set_missing(column, std::move(flags), any);
  }
  return column;
}

data::Column string_column(const std::string& name, const py::handle& values,
                           const py::handle& categories) {
  auto codes = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>::ensure(values);
  data::Column column(name, data::ColumnType::kString);
  auto& dictionary = column.mutable_dictionary();
  for (const py::handle category : categories) dictionary.append(category.cast<std::string>());
  const std::size_t rows = static_cast<std::size_t>(codes.size());
  auto& out = column.mutable_codes();
  out.resize(rows);
  std::vector<std::uint8_t> mask(rows, 0);
  bool any = false;
  for (std::size_t row = 0; row < rows; ++row) {
    const std::int32_t code = codes.data()[row];
    if (code < 0) {
      out[row] = data::Column::kMissingCode;
      mask[row] = 1;
      any = true;
    } else if (static_cast<std::uint32_t>(code) >= dictionary.size()) {
      throw_invalid("column '" + name + "': category code " + std::to_string(code) +
                    " is beyond its " + std::to_string(dictionary.size()) + " categories");
    } else {
      out[row] = static_cast<std::uint32_t>(code);
    }
  }
  set_missing(column, std::move(mask), any);
  return column;
}

}  // namespace

py::list table_to_columns(data::Table&& table) {
  py::list columns;
  for (std::size_t i = 0; i < table.column_count(); ++i)
    columns.append(column_to_tuple(table.mutable_column(i)));
  return columns;
}

data::Table columns_to_table(const py::list& columns) {
  data::Table table;
  for (const py::handle item : columns) {
    auto tuple = item.cast<py::tuple>();
    if (tuple.size() != 4) throw_invalid("a column crosses as (name, kind, values, extra)");
    const auto name = tuple[0].cast<std::string>();
    const auto kind = tuple[1].cast<std::string>();
    data::Column column;
    if (kind == "float64")
      column = float_column(name, tuple[2]);
    else if (kind == "int64")
      column = int_column(name, tuple[2]);
    else if (kind == "bool")
      column = bool_column(name, tuple[2], tuple[3]);
    else if (kind == "string")
      column = string_column(name, tuple[2], tuple[3]);
    else
      throw_invalid("column '" + name + "': unknown kind '" + kind + "'");
    if (table.column_count() > 0 && column.size() != table.row_count())
      throw_invalid("column '" + name + "' has " + std::to_string(column.size()) +
                    " rows where the others have " + std::to_string(table.row_count()));
    table.add_column(std::move(column));
  }
  return table;
}

}  // namespace archml::python
