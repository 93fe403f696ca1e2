#include "archml/data/table.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "archml/core/error.h"
#include "archml/core/numbers.h"

namespace archml::data {

std::string_view to_string(ColumnType type) {
  switch (type) {
    case ColumnType::kInt64:
      return "int64";
    case ColumnType::kFloat64:
      return "float64";
    case ColumnType::kBool:
      return "bool";
    case ColumnType::kString:
      return "string";
  }
  return "unknown";
}

ColumnType parse_column_type(std::string_view name) {
  if (name == "int64" || name == "int" || name == "integer") return ColumnType::kInt64;
  if (name == "float64" || name == "float" || name == "double") return ColumnType::kFloat64;
  if (name == "bool" || name == "boolean") return ColumnType::kBool;
  if (name == "string" || name == "category" || name == "categorical" || name == "str")
    return ColumnType::kString;
  throw_invalid("unknown column type '" + std::string(name) +
                "': use int64, float64, bool or string");
}

std::uint32_t Dictionary::append_packed(std::string_view value) {
  if (!packed_) {
    // Repack the records: their bytes back to back, with offsets. The room reserved
    // for records stays reserved, at the mean length so far.
    const std::size_t reserved_values = std::max<std::size_t>(size_ + 1, records_.capacity());
    const std::size_t mean_length = length_ / std::max<std::uint32_t>(size_, 1) + 1;
    bytes_.clear();
    bytes_.reserve(std::max(length_ + value.size(), reserved_values * mean_length));
    offsets_.clear();
    offsets_.reserve(reserved_values + 1);
    offsets_.push_back(0);
    for (const ShortKey& record : records_) {
      const std::string_view old = record.view();
      bytes_.insert(bytes_.end(), old.begin(), old.end());
      offsets_.push_back(bytes_.size());
    }
    std::vector<ShortKey>().swap(records_);
    packed_ = true;
  }
  bytes_.insert(bytes_.end(), value.begin(), value.end());
  offsets_.push_back(bytes_.size());
  length_ += value.size();
  return size_++;
}

void Dictionary::reserve(std::size_t values, std::size_t bytes) {
  if (!packed_) {
    // 4 KB pages, though interning reads records at random: 2 MB pages spare TLB
    // misses, but on a VM whose host takes free memory back, a first run after a pause
    // waits far longer for fresh 2 MB pages (docs/benchmarks.md, foundation).
    records_.reserve(values);
    return;
  }
  offsets_.reserve(values + 1);
  bytes_.reserve(bytes);
}

std::size_t Column::size() const {
  switch (type_) {
    case ColumnType::kInt64:
      return ints_.size();
    case ColumnType::kFloat64:
      return floats_.size();
    case ColumnType::kBool:
      return bools_.size();
    case ColumnType::kString:
      return codes_.size();
  }
  return 0;
}

std::size_t Column::missing_count() const {
  std::size_t count = 0;
  for (std::uint8_t flag : missing_) count += flag != 0;
  return count;
}

void Column::throw_not_numeric() const {
  throw Error(ErrorKind::kInvalidInput, "column '" + name_ + "' holds strings, not numbers");
}

std::string Column::text(std::size_t row) const {
  if (is_missing(row)) return "";
  switch (type_) {
    case ColumnType::kInt64:
      return std::to_string(ints_[row]);
    case ColumnType::kFloat64:
      return core::shortest_text(floats_[row]);
    case ColumnType::kBool:
      return bools_[row] ? "true" : "false";
    case ColumnType::kString:
      return std::string(dictionary_.at(codes_[row]));
  }
  return "";
}

void Column::mark_missing_row(bool missing) {
  // The value is already appended; the mask lags by one row until this call.
  if (missing && missing_.empty()) missing_.assign(size() - 1, 0);
  if (missing || !missing_.empty()) missing_.push_back(missing ? 1 : 0);
}

void Column::append_int(std::int64_t value) {
  ints_.push_back(value);
  mark_missing_row(false);
}
void Column::append_float(double value) {
  floats_.push_back(value);
  mark_missing_row(false);
}
void Column::append_bool(bool value) {
  bools_.push_back(value ? 1 : 0);
  mark_missing_row(false);
}
void Column::append_string(std::string_view value) {
  std::uint32_t code = 0;
  while (code < dictionary_.size() && dictionary_.at(code) != value) ++code;
  if (code == dictionary_.size()) code = dictionary_.append(value);
  codes_.push_back(code);
  mark_missing_row(false);
}
void Column::append_missing() {
  switch (type_) {
    case ColumnType::kInt64:
      ints_.push_back(0);
      break;
    case ColumnType::kFloat64:
      floats_.push_back(std::nan(""));
      break;
    case ColumnType::kBool:
      bools_.push_back(0);
      break;
    case ColumnType::kString:
      codes_.push_back(kMissingCode);
      break;
  }
  mark_missing_row(true);
}

std::size_t Column::memory_bytes() const {
  return ints_.capacity() * 8 + floats_.capacity() * 8 + bools_.capacity() + codes_.capacity() * 4 +
         dictionary_.memory_bytes() + missing_.capacity();
}

bool Dictionary::is_ascii() const {
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  constexpr std::uint64_t kLengthByte = std::uint64_t{0xFF} << 56;
  std::uint64_t seen = 0;
  if (!packed_) {
    for (const ShortKey& record : records_) seen |= record.low | (record.high & ~kLengthByte);
    return (seen & kHighBits) == 0;
  }
  std::size_t i = 0;
  for (; i + 8 <= bytes_.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes_.data() + i, sizeof word);
    seen |= word;
  }
  for (; i < bytes_.size(); ++i) seen |= static_cast<unsigned char>(bytes_[i]);
  return (seen & kHighBits) == 0;
}

std::ptrdiff_t Table::find(std::string_view name) const {
  for (std::size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].name() == name) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

const Column& Table::column(std::string_view name) const {
  std::ptrdiff_t index = find(name);
  if (index < 0) {
    if (columns_.empty())
      throw_invalid("there is no column '" + std::string(name) +
                    "': the input is empty (no header, no rows); check the file");
    std::string known;
    for (const auto& column : columns_) known += (known.empty() ? "" : ", ") + column.name();
    throw_not_found("no column named '" + std::string(name) + "'; the columns are: " + known);
  }
  return columns_[static_cast<std::size_t>(index)];
}

void Table::keep_only(const std::vector<std::string>& names) {
  std::erase_if(columns_, [&](const Column& column) {
    return std::find(names.begin(), names.end(), column.name()) == names.end();
  });
  columns_.shrink_to_fit();
}

void Table::add_column(Column column) {
  if (!columns_.empty() && column.size() != row_count())
    throw Error(ErrorKind::kInternal, "column '" + column.name() + "' has " +
                                          std::to_string(column.size()) + " rows, the table " +
                                          std::to_string(row_count()));
  columns_.push_back(std::move(column));
}

std::size_t Table::memory_bytes() const {
  std::size_t total = 0;
  for (const auto& column : columns_) total += column.memory_bytes();
  return total;
}

}  // namespace archml::data
