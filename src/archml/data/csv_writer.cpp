#include "archml/data/csv_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "archml/core/atomic_file.h"
#include "archml/core/error.h"
#include "archml/core/parallel.h"

namespace archml::data {
namespace {

// Rows formatted per task: big enough to amortise the task, small enough that a batch
// of formatted text for all threads stays a few megabytes.
constexpr std::size_t kRowsPerBlock = 16384;

bool needs_quotes(std::string_view value, char delimiter) {
  for (char c : value)
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') return true;
  return false;
}

void append_text(std::string& out, std::string_view value, char delimiter) {
  if (!needs_quotes(value, delimiter)) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_value(std::string& out, const Column& column, std::size_t row, char delimiter) {
  if (column.is_missing(row)) return;
  char buffer[32];
  switch (column.type()) {
    case ColumnType::kInt64: {
      auto result = std::to_chars(buffer, buffer + sizeof buffer, column.ints()[row]);
      out.append(buffer, result.ptr);
      return;
    }
    case ColumnType::kFloat64: {
      double value = column.floats()[row];
      if (std::isnan(value)) return;  // NaN is how a float column spells missing
      auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
      out.append(buffer, result.ptr);
      return;
    }
    case ColumnType::kBool:
      out.append(column.bools()[row] ? "true" : "false");
      return;
    case ColumnType::kString: {
      std::uint32_t code = column.codes()[row];
      if (code != Column::kMissingCode) append_text(out, column.dictionary().at(code), delimiter);
      return;
    }
  }
}

void format_rows(const Table& table, std::size_t begin, std::size_t end, char delimiter,
                 std::string& out) {
  const auto& columns = table.columns();
  for (std::size_t row = begin; row < end; ++row) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c != 0) out.push_back(delimiter);
      append_value(out, columns[c], row, delimiter);
    }
    out.push_back('\n');
  }
}

}  // namespace

void write_csv(const Table& table, std::ostream& out, char delimiter, unsigned threads) {
  std::string header;
  for (std::size_t c = 0; c < table.column_count(); ++c) {
    if (c != 0) header.push_back(delimiter);
    append_text(header, table.column(c).name(), delimiter);
  }
  if (table.column_count() > 0) header.push_back('\n');
  out.write(header.data(), static_cast<std::streamsize>(header.size()));

  const std::size_t rows = table.row_count();
  const std::size_t blocks = (rows + kRowsPerBlock - 1) / kRowsPerBlock;
  if (threads == 0) threads = core::hardware_threads();
  const std::size_t batch = std::max<std::size_t>(1, std::size_t{2} * threads);
  std::vector<std::string> texts(batch);
  for (std::size_t first = 0; first < blocks; first += batch) {
    std::size_t count = std::min(batch, blocks - first);
    core::parallel_for(
        count,
        [&](std::size_t i) {
          std::size_t begin = (first + i) * kRowsPerBlock;
          texts[i].clear();
          format_rows(table, begin, std::min(rows, begin + kRowsPerBlock), delimiter, texts[i]);
        },
        threads);
    for (std::size_t i = 0; i < count; ++i)
      out.write(texts[i].data(), static_cast<std::streamsize>(texts[i].size()));
  }
  out.flush();
}

void write_csv(const Table& table, const std::string& path, char delimiter, unsigned threads) {
  core::AtomicFile file(path);
  write_csv(table, file.stream(), delimiter, threads);
  file.commit(false);
}

}  // namespace archml::data
