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
  // Whether a string value appended had a byte past ASCII (invalid UTF-8 is possible).
  bool saw_non_ascii() const { return non_ascii_; }
  Column finish();

  // Mapping the pages the values will fill next (the kernel zeroing them) is moved off
  // the appending thread, the read's critical path, to the parsing threads. The
  // appending thread publishes where its values buffer stands after each chunk; a
  // parsing thread claims the next unmapped bytes, at most `ahead` past the values, and
  // maps them outside the lock. Both calls need the reader's lock. A buffer that moved
  // since (it outgrew its reservation) only makes the claim useless: mapping pages that
  // were freed is refused by the kernel or touches no data.
  struct PageRange {
    char* begin = nullptr;
    std::size_t bytes = 0;
  };
  void publish_buffer();
  PageRange claim_pages(std::size_t ahead, std::size_t step);

 private:
  template <typename T>
  void make_room(std::vector<T>& values, std::size_t extra);
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
  std::vector<std::uint32_t> remapped_;  // one chunk's codes in the column's numbering
  std::vector<std::uint8_t> missing_;    // empty until a row is missing
  // Rows of an int64 column read from "-0": -0.0 if the column becomes float64.
  std::vector<std::size_t> negative_zero_rows_;
  bool non_ascii_ = false;
  // The values buffer as last published, and how much of it has been claimed for mapping.
  char* published_base_ = nullptr;
  std::size_t published_used_ = 0;      // bytes holding values
  std::size_t published_capacity_ = 0;  // bytes reserved
  std::size_t claimed_bytes_ = 0;
};

}  // namespace archml::data
