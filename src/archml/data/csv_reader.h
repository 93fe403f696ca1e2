// Reads CSV into a columnar Table: the file is memory-mapped (or gunzipped when it ends
// in .gz, or read into memory when it is a pipe), split into chunks at row boundaries, and parsed
// by several threads. RFC 4180 quoting (embedded delimiters, doubled quotes, newlines), CRLF or LF,
// an optional header, per-column type inference (bool, int64, float64, else string) with an
// explicit schema override, and missing-value tokens.
//
// Bad input throws archml::Error (invalid input) naming file, line and column, unless
// `lenient` is set: then bad rows are skipped and counted in the report.
//
// Choices that match pandas: repeated header names get suffixes ("a", "a.1", "a.2"),
// blank ones become "Unnamed: <index>"; blank lines are skipped; a column with no
// value (or a file with no rows) is float64; numbers and words in one column make a
// string column. A schema bool also accepts 0/1. An empty file gives an empty table.
// Codes of string columns follow first appearance, whatever the threads or chunks.
//
// Text is UTF-8 (docs/csv.md): a header name that is not valid UTF-8 throws (invalid
// input, naming the column's position); in a value, each byte that does not begin a
// valid character becomes U+FFFD, so every later stage (JSON, HTML, the model's
// categories) sees one and the same valid text, and such values are counted in the report.
// A "-0" in a float64 column is -0.0. A pipe or FIFO is read to its end, then parsed.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "archml/data/table.h"

namespace archml::data {

struct CsvOptions {
  char delimiter = ',';
  // The first row names the columns; without it columns are named column_1, column_2, ...
  bool has_header = true;
  // Field values read as missing (compared after unquoting; empty always counts).
  std::vector<std::string> missing_tokens = {"", "NA", "NaN", "nan", "null", "NULL", "N/A"};
  // Column name -> type; columns not named here are inferred.
  std::map<std::string, ColumnType> schema;
  // Names of the columns to keep, in any order; empty keeps every column. The others
  // are delimited (each row must still have all its fields) but never parsed or stored,
  // which saves the time and memory of columns a job drops anyway (IDs, say). The table
  // keeps file order. A name that is not in the file throws archml::Error.
  std::vector<std::string> columns;
  // Skip malformed rows (wrong field count, unterminated quote, unparsable value in a
  // column whose type the schema fixes) instead of failing.
  bool lenient = false;
  // 0 = every core (core::hardware_threads()); jobs pass their context's count.
  unsigned threads = 0;
  // Label of the progress bar shown on a terminal; empty hides it (--quiet).
  std::string progress_label = "reading";
  // Bytes of text per parsing task; 0 picks a size suited to the input. Small values
  // exercise chunk boundaries in tests; results never depend on it.
  std::size_t chunk_bytes = 0;
};

struct CsvReport {
  std::size_t rows = 0;          // rows in the table
  std::size_t skipped_rows = 0;  // bad rows dropped in lenient mode
  // The first few problems found in lenient mode, each naming file, line and column.
  std::vector<std::string> problems;
  // Distinct text values that were not valid UTF-8 (their bad bytes now read U+FFFD).
  std::size_t invalid_utf8_values = 0;
};

// What a reader's report tells the user, as lines of text ("warning: ..."): text values
// repaired from invalid UTF-8, rows skipped in lenient mode and the first problems.
// Empty when the read was clean.
std::string csv_report_warnings(const CsvReport& report);

// Reads a file; `path` ending in .gz is decompressed first.
Table read_csv(const std::string& path, const CsvOptions& options = {},
               CsvReport* report = nullptr);

// Reads CSV text held in memory. `source_name` stands for the file name in messages.
Table read_csv_text(std::string_view text, const CsvOptions& options = {},
                    CsvReport* report = nullptr, const std::string& source_name = "<input>");

}  // namespace archml::data
