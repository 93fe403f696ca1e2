// Tables between archml and Python (docs/python.md). A column crosses as a tuple
// (name, kind, values, extra) that python/archml/_frames.py turns into a pandas column
// or builds from one:
//   ("float64", float64 array, None)        missing values are NaN
//   ("int64",   int64 array, None)          no value missing
//   ("bool",    bool array, mask or None)   mask: uint8, 1 where missing
//   ("string",  int32 codes, categories)    code -1 where missing; categories a list of str
// From archml the arrays own the column's memory (a capsule holds the moved vector), so
// read_csv hands numbers over without a copy; an int64 column with missing values is
// the exception, as float64 with NaN (what pandas reads). Into archml the values are
// copied into the Table's vectors.
#pragma once

#include <pybind11/pybind11.h>

#include "archml/data/table.h"

namespace archml::python {

// Consumes `table`: its vectors move into the arrays. Needs the GIL.
pybind11::list table_to_columns(data::Table&& table);
// A Table from tuples as above (the GIL held). Throws archml::Error (invalid input) for
// an unknown kind or arrays of different lengths.
data::Table columns_to_table(const pybind11::list& columns);

}  // namespace archml::python
