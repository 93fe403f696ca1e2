#include "archml/data/csv_column_builder.h"

#include <algorithm>
#include <limits>

#include "archml/core/numbers.h"

namespace archml::data {
namespace {

using core::kNaN;

bool is_number(ChunkColumnKind kind) {
  return kind == ChunkColumnKind::kInt64 || kind == ChunkColumnKind::kFloat64;
}

// A range insert copies straight into the reserved capacity; resize-then-copy would
// first zero-fill the new values, a second pass over hundreds of megabytes.
template <typename T>
void append_all(std::vector<T>& out, const std::vector<T>& values) {
  out.insert(out.end(), values.begin(), values.end());
}

}  // namespace

bool CsvColumnBuilder::needs_text(ChunkColumnKind kind) const {
  if (kind == ChunkColumnKind::kAllMissing) return false;
  if (kind == ChunkColumnKind::kMixed) return true;
  if (kind_ == ChunkColumnKind::kAllMissing || kind_ == kind) return false;
  if (kind_ == ChunkColumnKind::kString || kind == ChunkColumnKind::kString) return true;
  return !(is_number(kind_) && is_number(kind));
}

bool CsvColumnBuilder::become_text() {
  if (kind_ == ChunkColumnKind::kString) return true;
  if (kind_ == ChunkColumnKind::kAllMissing) {
    kind_ = ChunkColumnKind::kString;
    backfill_missing();
    return true;
  }
  std::vector<std::int64_t>().swap(ints_);
  std::vector<double>().swap(floats_);
  std::vector<std::uint8_t>().swap(bools_);
  std::vector<std::uint8_t>().swap(missing_);
  std::vector<std::size_t>().swap(negative_zero_rows_);
  rows_ = 0;
  kind_ = ChunkColumnKind::kString;
  return false;
}

template <typename T>
void CsvColumnBuilder::make_room(std::vector<T>& values, std::size_t extra) {
  const std::size_t needed = values.size() + extra;
  if (needed <= values.capacity()) return;
  // Capacity never touched costs address space, not memory: reserving the expected
  // total once avoids the copies (and the doubled peak) of growing step by step.
  const std::size_t capacity =
      std::max({needed, expected_rows_, values.capacity() + values.capacity() / 4});
  values.reserve(capacity);
}

namespace {

template <typename T>
void describe(const std::vector<T>& values, char*& base, std::size_t& used, std::size_t& capacity) {
  base = reinterpret_cast<char*>(const_cast<T*>(values.data()));
  used = values.size() * sizeof(T);
  capacity = values.capacity() * sizeof(T);
}

}  // namespace

void CsvColumnBuilder::publish_buffer() {
  char* base = nullptr;
  std::size_t used = 0, capacity = 0;
  switch (kind_) {
    case ChunkColumnKind::kBool:
      describe(bools_, base, used, capacity);
      break;
    case ChunkColumnKind::kInt64:
      describe(ints_, base, used, capacity);
      break;
    case ChunkColumnKind::kFloat64:
      describe(floats_, base, used, capacity);
      break;
    case ChunkColumnKind::kString:
      describe(codes_, base, used, capacity);
      break;
    case ChunkColumnKind::kAllMissing:
    case ChunkColumnKind::kMixed:
      break;
  }
  if (base != published_base_) claimed_bytes_ = used;
  published_base_ = base;
  published_used_ = used;
  published_capacity_ = capacity;
  claimed_bytes_ = std::max(claimed_bytes_, used);
}

CsvColumnBuilder::PageRange CsvColumnBuilder::claim_pages(std::size_t ahead, std::size_t step) {
  if (published_base_ == nullptr) return {};
  const std::size_t limit = std::min(published_capacity_, published_used_ + ahead);
  if (claimed_bytes_ >= limit) return {};
  const std::size_t bytes = std::min(step, limit - claimed_bytes_);
  PageRange range{published_base_ + claimed_bytes_, bytes};
  claimed_bytes_ += bytes;
  return range;
}

// Values for the rows so far, all missing, now that the column has a kind.
void CsvColumnBuilder::backfill_missing() {
  switch (kind_) {
    case ChunkColumnKind::kBool:
      make_room(bools_, rows_);
      bools_.assign(rows_, 0);
      break;
    case ChunkColumnKind::kInt64:
      make_room(ints_, rows_);
      ints_.assign(rows_, 0);
      break;
    case ChunkColumnKind::kFloat64:
      make_room(floats_, rows_);
      floats_.assign(rows_, kNaN);
      break;
    case ChunkColumnKind::kString:
      make_room(codes_, rows_);
      codes_.assign(rows_, Column::kMissingCode);
      break;
    case ChunkColumnKind::kAllMissing:
    case ChunkColumnKind::kMixed:
      break;
  }
}

void CsvColumnBuilder::promote_to_float() {
  std::vector<double> floats;
  floats.reserve(std::max(ints_.capacity(), expected_rows_));
  floats.resize(ints_.size());
  for (std::size_t row = 0; row < ints_.size(); ++row)
    floats[row] = missing_.empty() || missing_[row] == 0 ? static_cast<double>(ints_[row]) : kNaN;
  for (std::size_t row : negative_zero_rows_) floats[row] = -0.0;
  std::vector<std::size_t>().swap(negative_zero_rows_);
  std::vector<std::int64_t>().swap(ints_);
  floats_ = std::move(floats);
  kind_ = ChunkColumnKind::kFloat64;
}

void CsvColumnBuilder::append_missing_rows(const ChunkColumn& part, std::size_t rows) {
  if (rows == 0) return;
  const bool all_missing = part.kind == ChunkColumnKind::kAllMissing;
  if (missing_.empty()) {
    if (!all_missing && part.missing_rows.empty()) return;
    make_room(missing_, rows_ + rows);
    missing_.assign(rows_, 0);
  }
  make_room(missing_, rows);
  const std::size_t base = missing_.size();
  missing_.resize(base + rows, all_missing ? 1 : 0);
  if (!all_missing)
    for (std::uint32_t row : part.missing_rows) missing_[base + row] = 1;
}

void CsvColumnBuilder::append_strings(const ChunkColumn& part, std::size_t rows) {
  non_ascii_ |= part.non_ascii;
  const StringInterner& local = part.strings;
  if (local.size() != 0) {
    if (strings_.size() == 0) {
      // Size the dictionary from the first chunk's share of distinct values.
      const double share = static_cast<double>(local.size()) / static_cast<double>(rows);
      const auto values = static_cast<std::size_t>(
          share * static_cast<double>(std::max(expected_rows_, rows)) * 1.05 + 64);
      const std::size_t bytes = local.values().byte_size() * (values / local.size() + 1);
      strings_.reserve(values, bytes);
    }
    strings_.intern_all(local, remap_);
  }
  // Remapped in a small reused buffer that stays in cache, then appended with one copy
  // (see append_all).
  remapped_.resize(rows);
  const std::uint32_t* remap = remap_.data();
  for (std::size_t row = 0; row < rows; ++row) {
    const std::uint32_t code = part.codes[row];
    remapped_[row] = code == Column::kMissingCode ? code : remap[code];
  }
  make_room(codes_, rows);
  append_all(codes_, remapped_);
}

void CsvColumnBuilder::append(const ChunkColumn& part, std::size_t rows) {
  if (kind_ == ChunkColumnKind::kAllMissing && part.kind != ChunkColumnKind::kAllMissing) {
    kind_ = part.kind;
    backfill_missing();
  }
  append_missing_rows(part, rows);
  if (part.kind == ChunkColumnKind::kAllMissing) {
    switch (kind_) {
      case ChunkColumnKind::kBool:
        make_room(bools_, rows);
        bools_.resize(bools_.size() + rows, 0);
        break;
      case ChunkColumnKind::kInt64:
        make_room(ints_, rows);
        ints_.resize(ints_.size() + rows, 0);
        break;
      case ChunkColumnKind::kFloat64:
        make_room(floats_, rows);
        floats_.resize(floats_.size() + rows, kNaN);
        break;
      case ChunkColumnKind::kString:
        make_room(codes_, rows);
        codes_.resize(codes_.size() + rows, Column::kMissingCode);
        break;
      case ChunkColumnKind::kAllMissing:
      case ChunkColumnKind::kMixed:
        break;
    }
    rows_ += rows;
    return;
  }
  if (kind_ == ChunkColumnKind::kInt64 && part.kind == ChunkColumnKind::kFloat64)
    promote_to_float();
  switch (kind_) {
    case ChunkColumnKind::kBool:
      make_room(bools_, rows);
      append_all(bools_, part.bools);
      break;
    case ChunkColumnKind::kInt64:
      make_room(ints_, rows);
      append_all(ints_, part.ints);
      for (std::uint32_t row : part.negative_zero_rows) negative_zero_rows_.push_back(rows_ + row);
      break;
    case ChunkColumnKind::kFloat64:
      make_room(floats_, rows);
      if (part.kind == ChunkColumnKind::kInt64) {
        const std::size_t base = floats_.size();
        floats_.resize(base + rows);
        for (std::size_t row = 0; row < rows; ++row)
          floats_[base + row] = static_cast<double>(part.ints[row]);
        for (std::uint32_t row : part.missing_rows) floats_[base + row] = kNaN;
        for (std::uint32_t row : part.negative_zero_rows) floats_[base + row] = -0.0;
      } else {
        append_all(floats_, part.floats);
      }
      break;
    case ChunkColumnKind::kString:
      append_strings(part, rows);
      break;
    case ChunkColumnKind::kAllMissing:
    case ChunkColumnKind::kMixed:
      break;
  }
  rows_ += rows;
}

Column CsvColumnBuilder::finish() {
  ColumnType type = ColumnType::kFloat64;  // like pandas: nothing but missing values
  switch (kind_) {
    case ChunkColumnKind::kBool:
      type = ColumnType::kBool;
      break;
    case ChunkColumnKind::kInt64:
      type = ColumnType::kInt64;
      break;
    case ChunkColumnKind::kString:
      type = ColumnType::kString;
      break;
    default:
      break;
  }
  Column column(name_, type);
  switch (kind_) {
    case ChunkColumnKind::kBool:
      column.mutable_bools() = std::move(bools_);
      break;
    case ChunkColumnKind::kInt64:
      column.mutable_ints() = std::move(ints_);
      break;
    case ChunkColumnKind::kFloat64:
      column.mutable_floats() = std::move(floats_);
      break;
    case ChunkColumnKind::kString:
      column.mutable_codes() = std::move(codes_);
      column.mutable_dictionary() = strings_.take_values();
      break;
    case ChunkColumnKind::kAllMissing:
    case ChunkColumnKind::kMixed:
      column.mutable_floats().assign(rows_, kNaN);
      break;
  }
  column.mutable_missing_mask() = std::move(missing_);
  return column;
}

}  // namespace archml::data
