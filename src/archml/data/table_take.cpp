#include "archml/data/table_take.h"

#include <algorithm>
#include <string_view>

#include "archml/core/error.h"

namespace archml::data {
namespace {

template <typename T>
void gather(const std::vector<T>& from, std::span<const std::uint32_t> rows, std::vector<T>& to) {
  to.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) to[i] = from[rows[i]];
}

// Only the codes the rows use survive, so a batch of a column with millions of distinct
// account IDs does not drag the whole dictionary along.
void gather_strings(const Column& from, std::span<const std::uint32_t> rows, Column& to) {
  const auto& codes = from.codes();
  std::vector<std::uint32_t> remap(from.dictionary().size(), Column::kMissingCode);
  auto& out = to.mutable_codes();
  out.resize(rows.size());
  auto& dictionary = to.mutable_dictionary();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::uint32_t code = codes[rows[i]];
    if (code == Column::kMissingCode) {
      out[i] = code;
      continue;
    }
    std::uint32_t& mapped = remap[code];
    if (mapped == Column::kMissingCode) mapped = dictionary.append(from.dictionary().at(code));
    out[i] = mapped;
  }
}

}  // namespace

Table take_rows(const Table& table, std::span<const std::uint32_t> rows,
                const std::vector<std::string>& columns) {
  for (const auto& name : columns) table.column(std::string_view(name));  // names the options
  const std::size_t row_count = table.row_count();
  for (std::uint32_t row : rows)
    if (row >= row_count)
      throw Error(ErrorKind::kInternal, "take_rows: row " + std::to_string(row) +
                                            " is out of range for a table of " +
                                            std::to_string(row_count) + " rows");
  Table result;
  for (const Column& from : table.columns()) {
    if (!columns.empty() && std::find(columns.begin(), columns.end(), from.name()) == columns.end())
      continue;
    Column to(from.name(), from.type());
    switch (from.type()) {
      case ColumnType::kInt64:
        gather(from.ints(), rows, to.mutable_ints());
        break;
      case ColumnType::kFloat64:
        gather(from.floats(), rows, to.mutable_floats());
        break;
      case ColumnType::kBool:
        gather(from.bools(), rows, to.mutable_bools());
        break;
      case ColumnType::kString:
        gather_strings(from, rows, to);
        break;
    }
    if (!from.missing_mask().empty()) {
      gather(from.missing_mask(), rows, to.mutable_missing_mask());
      bool any = std::any_of(to.missing_mask().begin(), to.missing_mask().end(),
                             [](std::uint8_t m) { return m != 0; });
      if (!any) to.mutable_missing_mask().clear();
    }
    result.add_column(std::move(to));
  }
  return result;
}

}  // namespace archml::data
