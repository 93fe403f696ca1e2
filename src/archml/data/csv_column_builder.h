// Builds one column of the table while the CSV reader streams parsed chunks into it in
// file order. Each chunk's buffers are appended and can be reused at once, so the read
// never holds more than the table plus the few chunks in flight. String values go
// through one interner per column, so codes follow first appearance in the file
// whatever the threads or chunk sizes.
//
// The column's type is settled as chunks arrive: an int column meeting a real number
// becomes float64 in place; a numeric column meeting a word needs the text of the rows
// already appended, which only the reader can provide (it re-reads them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "archml/data/csv_chunk_parser.h"
#include "archml/data/string_interner.h"
#include "archml/data/table.h"

namespace archml::data {

class CsvColumnBuilder {
 public:
  explicit CsvColumnBuilder(std::string name) : name_(std::move(name)) {}

  // True when a chunk of `kind` cannot join the values so far without becoming text.
  bool needs_text(ChunkColumnKind kind) const;
  // Turns the column into text. Returns false when rows already appended held numbers:
  // they are dropped, and the reader must append every earlier chunk again as text.
  bool become_text();
  // Appends a chunk's `rows` values; `part` must not need text (see needs_text).
  // Its buffers are left for reuse.
  void append(const ChunkColumn& part, std::size_t rows);
  // Total rows the column will probably hold: capacity grows to it in one step.
  void expect_rows(std::size_t rows) { expected_rows_ = rows; }

  std::size_t rows() const { return rows_; }
  Column finish();

 private:
  template <typename T>
  void make_room(std::vector<T>& values, std::size_t extra);
  template <typename T>
  void map_ahead(std::vector<T>& values, std::size_t extra);
  void append_missing_rows(const ChunkColumn& part, std::size_t rows);
  void append_strings(const ChunkColumn& part, std::size_t rows);
  void backfill_missing();
  void promote_to_float();

  std::string name_;
  ChunkColumnKind kind_ = ChunkColumnKind::kAllMissing;
  std::size_t rows_ = 0;
  std::size_t expected_rows_ = 0;
  std::vector<std::int64_t> ints_;
  std::vector<double> floats_;
  std::vector<std::uint8_t> bools_;
  std::vector<std::uint32_t> codes_;
  StringInterner strings_{false};
  std::vector<std::uint32_t> remap_;
  std::vector<std::uint8_t> missing_;  // empty until a row is missing
  const char* mapped_base_ = nullptr;  // values vector whose pages are mapped ahead
  std::size_t mapped_bytes_ = 0;       // bytes of it mapped so far
};

}  // namespace archml::data
