// The CSV reader, and its oracle: any chunking gives the same table. The same bytes are
// read on one thread in one chunk, then on one or two threads in chunks of a few bytes
// (so chunk boundaries fall inside quoted fields, CRLF pairs and numbers); both must fail
// with the same message or give the same report and the same table: names, kinds,
// missing rows, values bit for bit (NaN and -0 included), string codes and dictionaries.
//
// Input: byte 0 picks the options (bits 0-1 delimiter , ; tab |; bit 2 no header; bit 3
// lenient; bit 4 keep only columns a and c; bits 5-6 schema type of column a: inferred,
// int64, float64, bool; bit 7 column b read as string); byte 1 the second read's chunk
// size (1 + bits 1-7, or a 64th of the text if more) and threads (2 when bits 0-1 are
// both set, else 1); the rest is the CSV text.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>

#include "archml/core/error.h"
#include "archml/data/csv_reader.h"
#include "harness.h"

namespace archml::fuzz {
namespace {

struct Outcome {
  std::optional<data::Table> table;
  data::CsvReport report;
  std::string error;
};

Outcome read(std::string_view text, const data::CsvOptions& options) {
  Outcome outcome;
  try {
    outcome.table = data::read_csv_text(text, options, &outcome.report);
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::kInternal) throw;
    outcome.error = std::string(to_string(error.kind())) + ": " + error.what();
  }
  return outcome;
}

bool missing(const data::Column& column, std::size_t row) {
  return column.is_missing(row);
}

void compare_values(const data::Column& a, const data::Column& b, const std::string& where) {
  const std::size_t rows = a.size();
  check(b.size() == rows, [&] { return where + ": row counts differ"; });
  for (std::size_t r = 0; r < rows; ++r)
    check(missing(a, r) == missing(b, r),
          [&] { return where + ": missing differs at row " + std::to_string(r); });
  switch (a.type()) {
    case data::ColumnType::kInt64:
      check(a.ints() == b.ints(), [&] { return where + ": int64 values differ"; });
      break;
    case data::ColumnType::kFloat64:
      check(a.floats().size() == b.floats().size(),
            [&] { return where + ": float64 sizes differ"; });
      for (std::size_t r = 0; r < a.floats().size(); ++r)
        check(std::memcmp(&a.floats()[r], &b.floats()[r], sizeof(double)) == 0, [&] {
          return where + ": float64 bits differ at row " + std::to_string(r) + " (" +
                 std::to_string(a.floats()[r]) + " vs " + std::to_string(b.floats()[r]) + ")";
        });
      break;
    case data::ColumnType::kBool:
      check(a.bools() == b.bools(), [&] { return where + ": bool values differ"; });
      break;
    case data::ColumnType::kString:
      check(a.codes() == b.codes(), [&] { return where + ": string codes differ"; });
      check(a.dictionary().size() == b.dictionary().size(),
            [&] { return where + ": dictionary sizes differ"; });
      for (std::uint32_t code = 0; code < a.dictionary().size(); ++code)
        check(a.dictionary().at(code) == b.dictionary().at(code),
              [&] { return where + ": dictionary value " + std::to_string(code) + " differs"; });
      for (std::size_t r = 0; r < rows; ++r)
        check(missing(a, r) || a.codes()[r] < a.dictionary().size(), [&] {
          return where + ": a code outside the dictionary at row " + std::to_string(r);
        });
      break;
  }
}

void compare(const Outcome& one, const Outcome& other, const std::string& how) {
  check(one.error == other.error,
        [&] { return how + ": errors differ: '" + one.error + "' vs '" + other.error + "'"; });
  if (!one.table) return;
  check(one.report.rows == other.report.rows, [&] { return how + ": reported rows differ"; });
  check(one.report.skipped_rows == other.report.skipped_rows,
        [&] { return how + ": skipped rows differ"; });
  check(one.report.problems == other.report.problems,
        [&] { return how + ": reported problems differ"; });
  const data::Table& a = *one.table;
  const data::Table& b = *other.table;
  check(a.row_count() == one.report.rows,
        [&] { return how + ": the report's row count is not the table's"; });
  check(a.column_count() == b.column_count(), [&] { return how + ": column counts differ"; });
  for (std::size_t c = 0; c < a.column_count(); ++c) {
    const std::string where = how + ", column " + std::to_string(c + 1);
    check(a.column(c).name() == b.column(c).name(), [&] { return where + ": names differ"; });
    check(a.column(c).type() == b.column(c).type(), [&] { return where + ": types differ"; });
    check(a.column(c).size() == a.row_count(),
          [&] { return where + ": a column of another length"; });
    compare_values(a.column(c), b.column(c), where);
  }
}

}  // namespace

void csv_reader(std::string_view input) {
  if (input.size() < 2) return;
  const auto flags = static_cast<std::uint8_t>(input[0]);
  const auto chunking = static_cast<std::uint8_t>(input[1]);
  const std::string_view text = input.substr(2);

  data::CsvOptions options;
  options.delimiter = ",;\t|"[flags & 3];
  options.has_header = (flags & 4) == 0;
  options.lenient = (flags & 8) != 0;
  if (flags & 16) options.columns = {"a", "c"};
  const data::ColumnType schema_a[] = {data::ColumnType::kInt64, data::ColumnType::kFloat64,
                                       data::ColumnType::kBool};
  if ((flags >> 5) & 3) options.schema["a"] = schema_a[((flags >> 5) & 3) - 1];
  if (flags & 128) options.schema["b"] = data::ColumnType::kString;
  options.progress_label.clear();

  options.threads = 1;
  options.chunk_bytes = text.size() + 1;
  const Outcome whole = read(text, options);
  // Two threads for a quarter of the inputs: starting threads is most of the cost of an
  // execution under the sanitizers, and one thread already covers every chunk boundary.
  options.threads = (chunking & 3) == 3 ? 2 : 1;
  // At most about 64 chunks: boundaries still fall anywhere across inputs, and a long
  // input costs tens of chunks rather than a thousand (each chunk allocates its buffers).
  options.chunk_bytes = std::max<std::size_t>(1 + (chunking >> 1), text.size() / 64);
  const Outcome chunked = read(text, options);
  compare(whole, chunked,
          "one chunk vs chunks of " + std::to_string(options.chunk_bytes) + " bytes on " +
              std::to_string(options.threads) + " threads");
}

}  // namespace archml::fuzz
