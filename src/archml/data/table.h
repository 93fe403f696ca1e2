// A columnar in-memory table: the form every stage after the CSV reader works on.
// Each column has one type; missing values are tracked per row. String columns are
// categorical: every value is a code into the column's dictionary, so group-bys,
// value counts and one-hot encodings never touch string bytes.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace archml::data {

enum class ColumnType : std::uint8_t {
  kInt64,    // whole numbers
  kFloat64,  // real numbers; a missing value also reads as NaN
  kBool,     // true/false (also accepted: True/False, TRUE/FALSE)
  kString,   // categorical: a code per row into a dictionary of distinct values
};

std::string_view to_string(ColumnType type);
// Parses "int64"/"int", "float64"/"float"/"double", "bool", "string"/"category";
// throws archml::Error (invalid input) otherwise.
ColumnType parse_column_type(std::string_view name);

// A value of at most 15 bytes as 16 bytes: the value, zero padding, and its length in
// the last byte (the layout of a Dictionary record). Comparing, hashing and storing one
// then take two 8-byte words and no branch on the length.
struct ShortKey {
  static constexpr std::size_t kMaxLength = 15;
  std::uint64_t low = 0;   // bytes 0-7
  std::uint64_t high = 0;  // bytes 8-15, the length in the top byte

  std::size_t size() const { return static_cast<std::size_t>(high >> 56); }
  std::string_view view() const {
    static_assert(std::endian::native == std::endian::little, "ShortKey bytes are little-endian");
    return std::string_view(reinterpret_cast<const char*>(this), size());
  }
  bool operator==(const ShortKey&) const = default;
};

// The key of `value` (at most ShortKey::kMaxLength bytes), reading only its bytes.
inline ShortKey short_key(std::string_view value) {
  ShortKey key;
  char bytes[16] = {};
  std::memcpy(bytes, value.data(), value.size());
  std::memcpy(&key.low, bytes, 8);
  std::memcpy(&key.high, bytes + 8, 8);
  key.high |= static_cast<std::uint64_t>(value.size()) << 56;
  return key;
}

// The key of the `size` (at most 15) bytes at `p` when 16 bytes from `p` may be read:
// two loads and two masks, whatever the length.
inline ShortKey short_key_from_padded(const char* p, std::size_t size) {
  static constexpr auto kMasks = [] {
    struct {
      std::uint64_t low[16], high[16];
    } masks{};
    for (std::size_t n = 0; n < 16; ++n) {
      masks.low[n] = n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
      masks.high[n] = n <= 8 ? 0 : (std::uint64_t{1} << (8 * (n - 8))) - 1;
    }
    return masks;
  }();
  ShortKey key;
  std::memcpy(&key.low, p, 8);
  std::memcpy(&key.high, p + 8, 8);
  key.low &= kMasks.low[size];
  key.high = (key.high & kMasks.high[size]) | static_cast<std::uint64_t>(size) << 56;
  return key;
}

// Distinct strings of a kString column. While every value is short (IDs, category
// names) each one sits in a fixed 16-byte record: its bytes, zero padding, and its
// length in the last byte. A code then leads straight to its value, one memory access
// where an offset table needs two, and millions of 11-byte account IDs cost 16 bytes
// each rather than 19. The first longer value repacks the dictionary into one buffer
// of bytes plus an offset per value.
class Dictionary {
 public:
  static constexpr std::size_t kRecordBytes = sizeof(ShortKey);
  static constexpr std::size_t kMaxRecordLength = ShortKey::kMaxLength;

  std::uint32_t size() const { return size_; }
  std::string_view at(std::uint32_t code) const {
    if (!packed_) return records_[code].view();
    return std::string_view(bytes_.data() + offsets_[code], offsets_[code + 1] - offsets_[code]);
  }
  // Appends without checking for duplicates; callers keep values distinct.
  std::uint32_t append(const ShortKey& key) {
    if (packed_) return append_packed(key.view());
    // Word by word: a key just built by two 8-byte stores and copied by one 16-byte
    // load would wait for those stores to reach the cache.
    ShortKey& record = records_.emplace_back();
    record.low = key.low;
    record.high = key.high;
    length_ += key.size();
    return size_++;
  }
  std::uint32_t append(std::string_view value) {
    if (!packed_ && value.size() <= kMaxRecordLength) return append(short_key(value));
    return append_packed(value);
  }
  // Whether value `code` is the value of `key`.
  bool holds(std::uint32_t code, const ShortKey& key) const {
    if (packed_) return at(code) == key.view();
    return records_[code] == key;
  }
  // True while every value is short: then record(code) is free.
  bool in_records() const { return !packed_; }
  // The key of value `code`; only while in_records().
  const ShortKey& record(std::uint32_t code) const { return records_[code]; }
  // Room for `values` values of `bytes` total length.
  void reserve(std::size_t values, std::size_t bytes);
  std::size_t memory_bytes() const {
    return records_.capacity() * kRecordBytes + bytes_.capacity() + offsets_.capacity() * 8;
  }
  // Whether every value is plain ASCII (then it is valid UTF-8 too); a word-wide scan.
  bool is_ascii() const;
  // Total length of the values, for builders that size the dictionary themselves.
  std::size_t byte_size() const { return length_; }
  // Hints that at(code) will be read soon (big dictionaries miss the cache). Returns
  // false when the value's bytes are still to be fetched: packed values need their
  // offset first.
  bool prefetch(std::uint32_t code) const {
    if (!packed_) {
      __builtin_prefetch(records_.data() + code);
      return true;
    }
    __builtin_prefetch(offsets_.data() + code);
    return false;
  }
  // Removes every value but keeps the memory.
  void clear() {
    records_.clear();
    bytes_.clear();
    offsets_.clear();
    packed_ = false;
    size_ = 0;
    length_ = 0;
  }

 private:
  std::uint32_t append_packed(std::string_view value);

  bool packed_ = false;                 // records_ until a longer value came
  std::vector<ShortKey> records_;       // one per value while every value is short
  std::vector<char> bytes_;             // packed: the values back to back
  std::vector<std::uint64_t> offsets_;  // packed: value i is [offsets_[i], offsets_[i + 1])
  std::uint32_t size_ = 0;
  std::size_t length_ = 0;
};

static_assert(sizeof(ShortKey) == 16);

class Column {
 public:
  static constexpr std::uint32_t kMissingCode = std::numeric_limits<std::uint32_t>::max();

  Column() = default;
  Column(std::string name, ColumnType type) : name_(std::move(name)), type_(type) {}

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  ColumnType type() const { return type_; }
  std::size_t size() const;
  bool is_numeric() const { return type_ != ColumnType::kString; }

  // Missing values: `missing_` is empty when no row is missing, else one byte per row.
  bool is_missing(std::size_t row) const { return !missing_.empty() && missing_[row] != 0; }
  std::size_t missing_count() const;
  const std::vector<std::uint8_t>& missing_mask() const { return missing_; }
  std::vector<std::uint8_t>& mutable_missing_mask() { return missing_; }

  // Storage by type; only the vector of the column's type is used.
  const std::vector<std::int64_t>& ints() const { return ints_; }     // kInt64
  const std::vector<double>& floats() const { return floats_; }       // kFloat64
  const std::vector<std::uint8_t>& bools() const { return bools_; }   // kBool
  const std::vector<std::uint32_t>& codes() const { return codes_; }  // kString
  const Dictionary& dictionary() const { return dictionary_; }        // kString
  std::vector<std::int64_t>& mutable_ints() { return ints_; }
  std::vector<double>& mutable_floats() { return floats_; }
  std::vector<std::uint8_t>& mutable_bools() { return bools_; }
  std::vector<std::uint32_t>& mutable_codes() { return codes_; }
  Dictionary& mutable_dictionary() { return dictionary_; }

  // Value of a numeric column (int, float, bool) as a double; NaN when missing. Inline:
  // callers loop over millions of rows with it.
  double number(std::size_t row) const {
    if (is_missing(row)) return std::numeric_limits<double>::quiet_NaN();
    switch (type_) {
      case ColumnType::kInt64:
        return static_cast<double>(ints_[row]);
      case ColumnType::kFloat64:
        return floats_[row];
      case ColumnType::kBool:
        return bools_[row] ? 1.0 : 0.0;
      case ColumnType::kString:
        break;
    }
    throw_not_numeric();
  }
  // Value as text, as the CSV writer prints it; empty when missing.
  std::string text(std::size_t row) const;

  // Appending, for builders and tests (the CSV reader fills vectors directly).
  void append_int(std::int64_t value);
  void append_float(double value);
  void append_bool(bool value);
  void append_string(std::string_view value);  // linear dictionary lookup: small data only
  void append_missing();

  std::size_t memory_bytes() const;

 private:
  void mark_missing_row(bool missing);
  [[noreturn]] void throw_not_numeric() const;

  std::string name_;
  ColumnType type_ = ColumnType::kFloat64;
  std::vector<std::int64_t> ints_;
  std::vector<double> floats_;
  std::vector<std::uint8_t> bools_;
  std::vector<std::uint32_t> codes_;
  Dictionary dictionary_;
  std::vector<std::uint8_t> missing_;
};

class Table {
 public:
  std::size_t row_count() const { return columns_.empty() ? 0 : columns_.front().size(); }
  std::size_t column_count() const { return columns_.size(); }

  const std::vector<Column>& columns() const { return columns_; }
  const Column& column(std::size_t index) const { return columns_.at(index); }
  Column& mutable_column(std::size_t index) { return columns_.at(index); }
  // Index of the named column, or -1.
  std::ptrdiff_t find(std::string_view name) const;
  // The named column; throws archml::Error (not found) naming the columns that exist, or
  // (invalid input) saying the table is empty when it has no column at all.
  const Column& column(std::string_view name) const;

  // Adds a column; it must have row_count() rows unless the table is empty.
  void add_column(Column column);
  // Drops every column not named, releasing its memory; the rest keep their order.
  // Names that match no column are ignored.
  void keep_only(const std::vector<std::string>& names);
  std::size_t memory_bytes() const;

 private:
  std::vector<Column> columns_;
};

}  // namespace archml::data
