// Writes a Table as CSV: a header row, then one line per row; numbers in their
// shortest round-trip form, strings quoted only when they must be, missing as empty.
#pragma once

#include <ostream>
#include <string>

#include "archml/data/table.h"

namespace archml::data {

// Rows are formatted on up to `threads` threads (0 = every core); the output is the same.
void write_csv(const Table& table, std::ostream& out, char delimiter = ',', unsigned threads = 0);
// Writes to a file (replaced atomically through a temporary beside it).
void write_csv(const Table& table, const std::string& path, char delimiter = ',',
               unsigned threads = 0);

}  // namespace archml::data
