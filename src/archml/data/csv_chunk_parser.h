// Parses the rows of one chunk of CSV text into per-column buffers. The CSV reader runs
// one parser per chunk on several threads; a chunk cannot know the types other chunks
// see, so it keeps what it inferred (kind) and the reader reconciles chunks afterwards.
//
// A chunk starts at a row boundary chosen without knowing the quote state, so its
// result may be wrong; the reader checks that each chunk began where the previous one
// ended and re-parses the rare chunk that did not. Problems are therefore recorded,
// not thrown: only the reader knows whether they are real.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archml/data/string_interner.h"
#include "archml/data/table.h"

namespace archml::data {

struct CsvColumnPlan {
  bool fixed = false;  // the schema fixes `type`; otherwise the type is inferred
  ColumnType type = ColumnType::kString;
  // Text values are nearly all distinct (IDs): a chunk stores each as it comes, without
  // deduplicating, and leaves that to the column's interner. Codes do not change.
  bool mostly_distinct = false;
  // Not wanted by the caller: fields are delimited (a row must still have every field)
  // but never converted or stored; the chunk column stays kAllMissing.
  bool skip = false;
};

struct CsvParseSettings {
  char delimiter = ',';
  std::vector<std::string> missing_tokens;
  bool lenient = false;
  std::vector<CsvColumnPlan> columns;  // one per field of every row
  std::size_t expected_rows = 0;       // capacity hint for each chunk's buffers
};

// What one chunk saw in a column, narrowest first.
enum class ChunkColumnKind : std::uint8_t {
  kAllMissing,  // no value yet; nothing stored
  kBool,
  kInt64,
  kFloat64,
  kString,
  kMixed,  // values of incompatible kinds (a word among numbers): re-read as text
};

struct ChunkColumn {
  ChunkColumnKind kind = ChunkColumnKind::kAllMissing;
  std::vector<std::int64_t> ints;
  std::vector<double> floats;  // NaN where missing
  std::vector<std::uint8_t> bools;
  std::vector<std::uint32_t> codes;  // into `strings`; Column::kMissingCode where missing
  // Distinct values in order of first appearance, or every value in row order when the
  // plan says mostly_distinct.
  StringInterner strings;
  std::vector<std::uint32_t> missing_rows;  // ascending chunk-relative rows
  // Rows of an inferred int64 column whose text was a negative zero ("-0"): stored as 0,
  // they become -0.0 if the column turns float64, as they would had it been float from
  // the start (whatever the chunk boundaries).
  std::vector<std::uint32_t> negative_zero_rows;  // ascending chunk-relative rows
  // A string value holds a byte past ASCII: the column must be checked for UTF-8.
  bool non_ascii = false;
};

struct CsvProblem {
  std::size_t line = 0;    // physical lines between the chunk's start and the problem
  std::size_t column = 0;  // 0-based; may be past the last column (an extra field)
  std::string what;
};

struct CsvChunk {
  std::size_t begin = 0;  // offset of the first row
  std::size_t end = 0;    // offset just past the last row read
  std::size_t rows = 0;
  std::size_t lines = 0;  // newlines consumed in [begin, end)
  std::size_t skipped_rows = 0;
  bool failed = false;  // strict mode stopped at problems.front()
  std::vector<CsvProblem> problems;
  std::vector<ChunkColumn> columns;
};

// Parses the rows starting in [begin, stop); the last may run past `stop`.
CsvChunk parse_csv_chunk(std::string_view text, std::size_t begin, std::size_t stop,
                         const CsvParseSettings& settings);
// The same into `chunk`, reusing the memory of its buffers: a reader that streams
// chunks through a few buffers avoids fresh allocations and their page faults.
void parse_csv_chunk_into(std::string_view text, std::size_t begin, std::size_t stop,
                          const CsvParseSettings& settings, CsvChunk& chunk);

// One row read on its own (the header, or the first row to count columns).
struct CsvRow {
  std::vector<std::string> fields;
  std::size_t end = 0;    // offset just past the row
  std::size_t lines = 0;  // newlines consumed
  bool unterminated = false;
};
CsvRow read_csv_row(std::string_view text, std::size_t begin, char delimiter);

}  // namespace archml::data
