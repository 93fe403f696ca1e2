#include "archml/data/csv_chunk_parser.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include <fast_float/fast_float.h>

#include "archml/core/numbers.h"
#include "archml/data/digit_scan.h"
#include "archml/data/number_parse.h"

namespace archml::data {
namespace {

constexpr std::size_t kMaxProblemsPerChunk = 10;
constexpr std::size_t kMaxQuotedValue = 80;
using core::kNaN;

std::string quoted_for_message(std::string_view value) {
  std::string out = "\"";
  out.append(value.substr(0, kMaxQuotedValue));
  if (value.size() > kMaxQuotedValue) out += "...";
  out += "\"";
  return out;
}

bool parse_schema_bool(std::string_view text, bool& value) {
  if (parse_bool(text, value)) return true;
  // 0/1 flags (isFraud) are the common bool encoding in tabular data.
  if (text == "0" || text == "1") {
    value = text == "1";
    return true;
  }
  return false;
}

// A field as found by the tokenizer: either a view of the input or, when unquoting
// had to rewrite it, a range of the row's scratch buffer.
struct FieldRef {
  const char* data = nullptr;
  std::size_t size = 0;
  std::size_t scratch_offset = 0;
  bool in_scratch = false;
};

struct TypedValue {
  std::int64_t integer = 0;
  double real = 0;
  bool boolean = false;
  bool missing = false;
};

// What the fast path does with a field, from its column's plan and current kind, kept
// one byte per column: the per-field dispatch then loads neither.
enum class FieldOp : std::uint8_t {
  kInt,
  kFloat,
  kText,
  kBool,        // true/false as inferred
  kSchemaBool,  // also 0/1, for a column the schema says is bool
  kPass,        // a skipped column, or one that turned mixed: find the end, keep nothing
  kSlow,        // no kind yet: the general path starts it
};

// A value read by the fast path, held until the whole row proved simple.
struct StagedValue {
  const char* data;
  std::uint32_t size;
  bool missing;
  union {
    std::int64_t integer;
    double real;
    bool boolean;
  };
};

class ChunkParser {
 public:
  ChunkParser(std::string_view text, const CsvParseSettings& settings, bool collect_all_fields,
              CsvChunk& chunk)
      : begin_(text.data()),
        end_(text.data() + text.size()),
        settings_(settings),
        delimiter_(settings.delimiter),
        column_count_(settings.columns.size()),
        collect_all_fields_(collect_all_fields),
        chunk_(chunk) {
    special_.fill(0);
    special_[static_cast<unsigned char>(delimiter_)] = 1;
    special_['\n'] = 1;
    special_['\r'] = 1;
    special_['"'] = 1;
    token_first_.fill(0);
    for (const auto& token : settings.missing_tokens) {
      if (token.empty()) continue;
      token_first_[static_cast<unsigned char>(token[0])] = 1;
      max_token_size_ = std::max(max_token_size_, token.size());
      tokens_.push_back(token);
    }
    fields_.resize(std::max<std::size_t>(column_count_, 1));
    typed_.resize(column_count_);
    staged_.resize(column_count_);
    field_ops_.resize(column_count_);
    for (std::size_t i = 0; i < column_count_; ++i)
      if (settings.columns[i].fixed && !settings.columns[i].skip &&
          settings.columns[i].type != ColumnType::kString)
        fixed_typed_columns_.push_back(i);
  }

  void run(std::size_t begin, std::size_t stop);
  CsvRow single_row(std::size_t begin);

 private:
  enum class RowStatus { kRow, kBlank, kUnterminated };

  RowStatus tokenize_row();
  bool fast_row();
  const char* fast_field(FieldOp op, bool last_field, StagedValue& staged, const char* p) const;
  void update_field_ops();
  void reset_chunk();
  const char* quoted_field(const char* p, FieldRef& field);
  void store_field(std::size_t index, const FieldRef& field);
  std::string_view field(std::size_t index) const {
    return std::string_view(fields_[index].data, fields_[index].size);
  }

  bool is_missing(std::string_view value) const {
    if (value.empty()) return true;
    if (value.size() > max_token_size_ || !token_first_[static_cast<unsigned char>(value[0])])
      return false;
    for (const auto& token : tokens_)
      if (token == value) return true;
    return false;
  }

  void start_columns();
  bool convert_fixed_columns(std::size_t row_line);
  void commit_row();
  void commit_inferred(ChunkColumn& column, std::string_view value);
  void commit_fixed(ChunkColumn& column, ColumnType type, std::size_t index);
  void add_missing(ChunkColumn& column);
  void note_negative_zero(ChunkColumn& column, std::string_view text, std::int64_t value) const {
    if (value == 0 && text.front() == '-') column.negative_zero_rows.push_back(row_);
  }
  std::size_t index_of(const ChunkColumn& column) const {
    return static_cast<std::size_t>(&column - chunk_.columns.data());
  }
  template <typename Value>
  static std::uint32_t store_text(ChunkColumn& column, const CsvColumnPlan& plan,
                                  const Value& value) {
    return plan.mostly_distinct ? column.strings.append_unchecked(value)
                                : column.strings.intern(value);
  }
  std::uint32_t store_text(std::size_t index, std::string_view value) {
    return store_text(chunk_.columns[index], settings_.columns[index], value);
  }
  // A value straight from the text: a short one is keyed by loading the 16 bytes at it
  // (past its end, while inside the text), which spares branching on its length.
  std::uint32_t store_text_in_place(ChunkColumn& column, const CsvColumnPlan& plan,
                                    const char* data, std::size_t size) const {
    if (size <= ShortKey::kMaxLength && end_ - data >= 16)
      return store_text(column, plan, short_key_from_padded(data, size));
    return store_text(column, plan, std::string_view(data, size));
  }
  void start_kind(ChunkColumn& column, std::string_view value);
  void promote_to_float(ChunkColumn& column);
  void become_mixed(ChunkColumn& column);
  void problem(std::size_t line, std::size_t column, std::string what);

  const char* const begin_;
  const char* const end_;
  const CsvParseSettings& settings_;
  const char delimiter_;
  const std::size_t column_count_;
  const bool collect_all_fields_;
  std::array<std::uint8_t, 256> special_{};  // bytes a plain field cannot start with
  std::array<std::uint8_t, 256> token_first_{};
  std::vector<std::string_view> tokens_;
  std::size_t max_token_size_ = 0;

  const char* pos_ = nullptr;
  std::size_t lines_ = 0;
  std::vector<FieldRef> fields_;
  std::size_t field_count_ = 0;
  std::string scratch_;
  bool row_uses_scratch_ = false;
  std::size_t unterminated_field_ = 0;
  const char* unterminated_quote_ = nullptr;
  std::size_t unterminated_line_ = 0;

  std::vector<std::size_t> fixed_typed_columns_;
  std::vector<TypedValue> typed_;
  std::vector<StagedValue> staged_;
  std::vector<FieldOp> field_ops_;  // per column; kinds change only in commit_row
  CsvChunk& chunk_;
  std::uint32_t row_ = 0;  // rows committed so far
};

void ChunkParser::problem(std::size_t line, std::size_t column, std::string what) {
  if (chunk_.problems.size() < kMaxProblemsPerChunk)
    chunk_.problems.push_back(CsvProblem{line, column, std::move(what)});
}

void ChunkParser::store_field(std::size_t index, const FieldRef& field) {
  if (index < fields_.size()) {
    fields_[index] = field;
  } else if (collect_all_fields_) {
    fields_.push_back(field);
  }
}

// Handles a field that starts with a quote; returns the position just past it, or
// nullptr when no closing quote exists.
const char* ChunkParser::quoted_field(const char* p, FieldRef& field) {
  const char* open = p;
  ++p;
  const char* close =
      static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end_ - p)));
  if (close == nullptr) return nullptr;
  const char* after = close + 1;
  auto ends_field = [&](const char* q) {
    return q == end_ || *q == delimiter_ || *q == '\n' ||
           (*q == '\r' && (q + 1 == end_ || q[1] == '\n'));
  };
  if ((after == end_ || *after != '"') && ends_field(after)) {
    field.data = p;
    field.size = static_cast<std::size_t>(close - p);
    field.in_scratch = false;
  } else {
    // Doubled quotes or text after the closing quote: rebuild the value in scratch.
    field.in_scratch = true;
    field.scratch_offset = scratch_.size();
    for (;;) {
      scratch_.append(p, static_cast<std::size_t>(close - p));
      after = close + 1;
      if (after != end_ && *after == '"') {
        scratch_.push_back('"');
        p = after + 1;
        close = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end_ - p)));
        if (close == nullptr) return nullptr;
        continue;
      }
      // Like pandas, text between a closing quote and the delimiter is kept verbatim.
      const char* q = after;
      while (!ends_field(q)) ++q;
      scratch_.append(after, static_cast<std::size_t>(q - after));
      after = q;
      break;
    }
    field.size = scratch_.size() - field.scratch_offset;
    row_uses_scratch_ = true;
  }
  lines_ += static_cast<std::size_t>(std::count(open, after, '\n'));
  return after;
}

ChunkParser::RowStatus ChunkParser::tokenize_row() {
  const char* p = pos_;
  const char* const end = end_;
  if (*p == '\n' || (*p == '\r' && (p + 1 == end || p[1] == '\n'))) {
    p += *p == '\r' ? 1 : 0;
    if (p != end) {
      ++p;
      ++lines_;
    }
    pos_ = p;
    return RowStatus::kBlank;
  }
  scratch_.clear();
  row_uses_scratch_ = false;
  std::size_t count = 0;
  for (;;) {
    FieldRef field;
    if (p != end && *p == '"') {
      std::size_t quote_line = lines_;
      const char* after = quoted_field(p, field);
      if (after == nullptr) {
        unterminated_field_ = count;
        unterminated_quote_ = p;
        unterminated_line_ = quote_line;
        return RowStatus::kUnterminated;
      }
      p = after;
    } else {
      const char* start = p;
      p = find_field_end(p, end, delimiter_);
      // A lone CR (not before LF, not at the end) is data, not a line break.
      while (p != end && *p == '\r' && p + 1 != end && p[1] != '\n')
        p = find_field_end(p + 1, end, delimiter_);
      field.data = start;
      field.size = static_cast<std::size_t>(p - start);
    }
    store_field(count, field);
    ++count;
    if (p == end) break;
    if (*p == delimiter_) {
      ++p;  // even at the end of input: "a,b," has a third, empty field
      continue;
    }
    if (*p == '\r') ++p;
    if (p != end && *p == '\n') {
      ++p;
      ++lines_;
    }
    break;
  }
  field_count_ = count;
  pos_ = p;
  if (row_uses_scratch_) {
    std::size_t stored = std::min(count, fields_.size());
    for (std::size_t i = 0; i < stored; ++i)
      if (fields_[i].in_scratch) fields_[i].data = scratch_.data() + fields_[i].scratch_offset;
  }
  return RowStatus::kRow;
}

void ChunkParser::reset_chunk() {
  chunk_.begin = chunk_.end = chunk_.rows = chunk_.lines = chunk_.skipped_rows = 0;
  chunk_.failed = false;
  chunk_.problems.clear();
  chunk_.columns.resize(column_count_);
  for (ChunkColumn& column : chunk_.columns) {
    column.kind = ChunkColumnKind::kAllMissing;
    column.ints.clear();
    column.floats.clear();
    column.bools.clear();
    column.codes.clear();
    column.strings.clear();
    column.missing_rows.clear();
    column.negative_zero_rows.clear();
    column.non_ascii = false;
  }
}

void ChunkParser::start_columns() {
  chunk_.columns.resize(column_count_);
  for (std::size_t i = 0; i < column_count_; ++i) {
    const CsvColumnPlan& plan = settings_.columns[i];
    if (!plan.fixed || plan.skip) continue;
    ChunkColumn& column = chunk_.columns[i];
    switch (plan.type) {
      case ColumnType::kInt64:
        column.kind = ChunkColumnKind::kInt64;
        column.ints.reserve(settings_.expected_rows);
        break;
      case ColumnType::kFloat64:
        column.kind = ChunkColumnKind::kFloat64;
        column.floats.reserve(settings_.expected_rows);
        break;
      case ColumnType::kBool:
        column.kind = ChunkColumnKind::kBool;
        column.bools.reserve(settings_.expected_rows);
        break;
      case ColumnType::kString:
        column.kind = ChunkColumnKind::kString;
        column.codes.reserve(settings_.expected_rows);
        break;
    }
  }
}

void ChunkParser::add_missing(ChunkColumn& column) {
  switch (column.kind) {
    case ChunkColumnKind::kAllMissing:
    case ChunkColumnKind::kMixed:
      return;
    case ChunkColumnKind::kBool:
      column.bools.push_back(0);
      break;
    case ChunkColumnKind::kInt64:
      column.ints.push_back(0);
      break;
    case ChunkColumnKind::kFloat64:
      column.floats.push_back(kNaN);
      break;
    case ChunkColumnKind::kString:
      column.codes.push_back(Column::kMissingCode);
      break;
  }
  column.missing_rows.push_back(row_);
}

void ChunkParser::start_kind(ChunkColumn& column, std::string_view value) {
  // Rows before this one were all missing.
  const std::size_t capacity = std::max<std::size_t>(settings_.expected_rows, row_ + 1);
  column.missing_rows.resize(row_);
  for (std::uint32_t r = 0; r < row_; ++r) column.missing_rows[r] = r;
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0;
  if (parse_bool(value, boolean)) {
    column.kind = ChunkColumnKind::kBool;
    column.bools.reserve(capacity);
    column.bools.assign(row_, 0);
    column.bools.push_back(boolean ? 1 : 0);
  } else if (parse_int64(value, integer)) {
    column.kind = ChunkColumnKind::kInt64;
    column.ints.reserve(capacity);
    column.ints.assign(row_, 0);
    column.ints.push_back(integer);
    note_negative_zero(column, value, integer);
  } else if (parse_float64(value, real)) {
    column.kind = ChunkColumnKind::kFloat64;
    column.floats.reserve(capacity);
    column.floats.assign(row_, kNaN);
    column.floats.push_back(real);
  } else {
    column.kind = ChunkColumnKind::kString;
    column.codes.reserve(capacity);
    column.codes.assign(row_, Column::kMissingCode);
    column.codes.push_back(store_text(index_of(column), value));
  }
}

void ChunkParser::promote_to_float(ChunkColumn& column) {
  column.floats.reserve(std::max(column.ints.capacity(), column.ints.size() + 1));
  for (std::int64_t value : column.ints) column.floats.push_back(static_cast<double>(value));
  for (std::uint32_t row : column.missing_rows) column.floats[row] = kNaN;
  for (std::uint32_t row : column.negative_zero_rows) column.floats[row] = -0.0;
  column.negative_zero_rows.clear();
  std::vector<std::int64_t>().swap(column.ints);
  column.kind = ChunkColumnKind::kFloat64;
}

void ChunkParser::become_mixed(ChunkColumn& column) {
  // The reader re-reads this chunk with the column fixed as text; drop what we have.
  column = ChunkColumn();
  column.kind = ChunkColumnKind::kMixed;
}

void ChunkParser::commit_inferred(ChunkColumn& column, std::string_view value) {
  if (is_missing(value)) {
    add_missing(column);
    return;
  }
  switch (column.kind) {
    case ChunkColumnKind::kFloat64: {
      double real;
      if (parse_float64(value, real)) {
        column.floats.push_back(real);
        return;
      }
      break;
    }
    case ChunkColumnKind::kInt64: {
      std::int64_t integer;
      if (parse_int64(value, integer)) {
        column.ints.push_back(integer);
        note_negative_zero(column, value, integer);
        return;
      }
      double real;
      if (parse_float64(value, real)) {
        promote_to_float(column);
        column.floats.push_back(real);
        return;
      }
      break;
    }
    case ChunkColumnKind::kString:
      column.codes.push_back(store_text(index_of(column), value));
      return;
    case ChunkColumnKind::kBool: {
      bool boolean;
      if (parse_bool(value, boolean)) {
        column.bools.push_back(boolean ? 1 : 0);
        return;
      }
      break;
    }
    case ChunkColumnKind::kAllMissing:
      start_kind(column, value);
      return;
    case ChunkColumnKind::kMixed:
      return;
  }
  become_mixed(column);
}

bool ChunkParser::convert_fixed_columns(std::size_t row_line) {
  for (std::size_t index : fixed_typed_columns_) {
    std::string_view value = field(index);
    TypedValue& typed = typed_[index];
    typed.missing = is_missing(value);
    if (typed.missing) continue;
    ColumnType type = settings_.columns[index].type;
    bool ok = false;
    switch (type) {
      case ColumnType::kInt64:
        ok = parse_int64(value, typed.integer);
        break;
      case ColumnType::kFloat64:
        ok = parse_float64(value, typed.real);
        break;
      case ColumnType::kBool:
        ok = parse_schema_bool(value, typed.boolean);
        break;
      case ColumnType::kString:
        ok = true;
        break;
    }
    if (!ok) {
      problem(row_line, index,
              "value " + quoted_for_message(value) + " is not " +
                  (type == ColumnType::kBool ? std::string("a bool (true/false/0/1)")
                                             : "a valid " + std::string(to_string(type))) +
                  ", but the schema says the column is " + std::string(to_string(type)));
      return false;
    }
  }
  return true;
}

void ChunkParser::commit_fixed(ChunkColumn& column, ColumnType type, std::size_t index) {
  if (type == ColumnType::kString) {
    std::string_view value = field(index);
    if (is_missing(value)) {
      add_missing(column);
    } else {
      column.codes.push_back(store_text(index_of(column), value));
    }
    return;
  }
  const TypedValue& typed = typed_[index];
  if (typed.missing) {
    add_missing(column);
    return;
  }
  switch (type) {
    case ColumnType::kInt64:
      column.ints.push_back(typed.integer);
      break;
    case ColumnType::kFloat64:
      column.floats.push_back(typed.real);
      break;
    case ColumnType::kBool:
      column.bools.push_back(typed.boolean ? 1 : 0);
      break;
    case ColumnType::kString:
      break;
  }
}

void ChunkParser::commit_row() {
  for (std::size_t i = 0; i < column_count_; ++i) {
    const CsvColumnPlan& plan = settings_.columns[i];
    if (plan.skip) continue;
    if (plan.fixed) {
      commit_fixed(chunk_.columns[i], plan.type, i);
    } else {
      commit_inferred(chunk_.columns[i], field(i));
    }
  }
  ++row_;
}

FieldOp field_op(ChunkColumnKind kind, const CsvColumnPlan& plan) {
  if (plan.skip) return FieldOp::kPass;
  switch (kind) {
    case ChunkColumnKind::kInt64:
      return FieldOp::kInt;
    case ChunkColumnKind::kFloat64:
      return FieldOp::kFloat;
    case ChunkColumnKind::kString:
      return FieldOp::kText;
    case ChunkColumnKind::kBool:
      return plan.fixed ? FieldOp::kSchemaBool : FieldOp::kBool;
    case ChunkColumnKind::kMixed:
      return FieldOp::kPass;
    case ChunkColumnKind::kAllMissing:
      break;
  }
  return FieldOp::kSlow;
}

void ChunkParser::update_field_ops() {
  for (std::size_t i = 0; i < column_count_; ++i)
    field_ops_[i] = field_op(chunk_.columns[i].kind, settings_.columns[i]);
}

// Reads the field starting at `p` as `op` says, straight from the text; returns the
// position after its terminator (delimiter, or line end for the last field), or nullptr
// when the field needs the general path (quotes, missing values, a value of another
// kind, a ragged row, a lone CR). Changes nothing but `staged`.
const char* ChunkParser::fast_field(FieldOp op, bool last_field, StagedValue& staged,
                                    const char* p) const {
  const char* const end = end_;
  if (p == end) return nullptr;
  const unsigned char first = static_cast<unsigned char>(*p);
  if (special_[first]) return nullptr;
  const char* q = p;
  switch (op) {
    case FieldOp::kInt: {
      if (token_first_[first]) return nullptr;
      bool negative = first == '-';
      if (negative) ++q;
      const char* digits = q;
      std::uint64_t magnitude = 0;
      // A lone digit (flags, labels, small counts) needs no word assembled.
      if (end - q >= 2 && is_digit(q[0]) && !is_digit(q[1])) {
        magnitude = static_cast<unsigned char>(*q++) - '0';
      } else {
        q = read_digits(q, end, magnitude);
      }
      // More than 18 digits may overflow: the checked general path decides.
      if (q == digits || q - digits > 18) return nullptr;
      if (negative && magnitude == 0) return nullptr;  // "-0": the general path notes it
      staged.integer =
          negative ? -static_cast<std::int64_t>(magnitude) : static_cast<std::int64_t>(magnitude);
      break;
    }
    case FieldOp::kFloat: {
      if (token_first_[first] || first == '+') return nullptr;
      q = parse_simple_decimal(p, end, staged.real);
      if (q == nullptr) {
        auto result = fast_float::from_chars(p, end, staged.real);
        if (result.ec != std::errc()) return nullptr;
        q = result.ptr;
      }
      break;
    }
    case FieldOp::kText: {
      q = find_field_end(q, end, delimiter_);
      std::string_view value(p, static_cast<std::size_t>(q - p));
      staged.data = p;
      staged.size = static_cast<std::uint32_t>(value.size());
      staged.missing = is_missing(value);
      break;
    }
    case FieldOp::kBool:
    case FieldOp::kSchemaBool: {
      q = find_field_end(q, end, delimiter_);
      std::string_view value(p, static_cast<std::size_t>(q - p));
      if (!(op == FieldOp::kSchemaBool ? parse_schema_bool(value, staged.boolean)
                                       : parse_bool(value, staged.boolean)))
        return nullptr;
      break;
    }
    case FieldOp::kPass:
      q = find_field_end(q, end, delimiter_);
      break;
    case FieldOp::kSlow:
      return nullptr;
  }
  if (!last_field) return q != end && *q == delimiter_ ? q + 1 : nullptr;
  if (q == end) return q;
  if (*q == '\n') return q + 1;
  if (*q == '\r' && q + 1 != end && q[1] == '\n') return q + 2;
  return nullptr;
}

// Most rows are plain: no quotes, no missing values, every value of the kind its column
// already has. Those are parsed in one pass and committed from staged_; any other row
// is left untouched for tokenize_row and commit_row.
bool ChunkParser::fast_row() {
  if (column_count_ == 0) return false;
  // Raw pointers held in registers: through the vectors, every value stored would make
  // the compiler load their data pointers again (the store might have changed them).
  ChunkColumn* const columns = chunk_.columns.data();
  const CsvColumnPlan* const plans = settings_.columns.data();
  const FieldOp* const ops = field_ops_.data();
  StagedValue* const staged_values = staged_.data();
  const std::size_t count = column_count_;
  const char* p = pos_;
  for (std::size_t i = 0; i < count; ++i) {
    p = fast_field(ops[i], i + 1 == count, staged_values[i], p);
    if (p == nullptr) return false;
  }
  for (std::size_t i = 0; i < count; ++i) {
    ChunkColumn& column = columns[i];
    const StagedValue& staged = staged_values[i];
    switch (ops[i]) {
      case FieldOp::kInt:
        column.ints.push_back(staged.integer);
        break;
      case FieldOp::kFloat:
        column.floats.push_back(staged.real);
        break;
      case FieldOp::kBool:
      case FieldOp::kSchemaBool:
        column.bools.push_back(staged.boolean ? 1 : 0);
        break;
      case FieldOp::kText:
        if (staged.missing)
          add_missing(column);
        else
          column.codes.push_back(store_text_in_place(column, plans[i], staged.data, staged.size));
        break;
      case FieldOp::kPass:
      case FieldOp::kSlow:
        break;
    }
  }
  if (p[-1] == '\n') ++lines_;
  pos_ = p;
  ++row_;
  return true;
}

void ChunkParser::run(std::size_t begin, std::size_t stop) {
  reset_chunk();
  chunk_.begin = begin;
  start_columns();
  update_field_ops();
  pos_ = begin_ + begin;
  const char* const stop_at = begin_ + stop;
  while (pos_ < stop_at) {
    if (fast_row()) continue;
    const std::size_t row_line = lines_;
    RowStatus status = tokenize_row();
    if (status == RowStatus::kBlank) continue;
    if (status == RowStatus::kUnterminated) {
      problem(unterminated_line_, unterminated_field_,
              "quoted field has no closing quote (\"); a quote inside a quoted field must be "
              "doubled (\"\")");
      if (!settings_.lenient) {
        chunk_.failed = true;
        break;
      }
      // Resume on the line after the opening quote: the best guess at the next row.
      const char* newline = static_cast<const char*>(std::memchr(
          unterminated_quote_, '\n', static_cast<std::size_t>(end_ - unterminated_quote_)));
      lines_ = unterminated_line_;
      if (newline == nullptr) {
        pos_ = end_;
      } else {
        pos_ = newline + 1;
        ++lines_;
      }
      ++chunk_.skipped_rows;
      continue;
    }
    if (field_count_ != column_count_) {
      std::size_t column = std::min(field_count_, column_count_);
      problem(row_line, column,
              "row has " + std::to_string(field_count_) + " fields, expected " +
                  std::to_string(column_count_) +
                  (field_count_ > column_count_ ? " (an unquoted delimiter in a value?)" : ""));
      if (!settings_.lenient) {
        chunk_.failed = true;
        break;
      }
      ++chunk_.skipped_rows;
      continue;
    }
    if (!fixed_typed_columns_.empty() && !convert_fixed_columns(row_line)) {
      if (!settings_.lenient) {
        chunk_.failed = true;
        break;
      }
      ++chunk_.skipped_rows;
      continue;
    }
    commit_row();
    update_field_ops();
  }
  chunk_.end = static_cast<std::size_t>(pos_ - begin_);
  chunk_.rows = row_;
  chunk_.lines = lines_;
  // Here, on the parsing threads, while the values are in cache: the column's UTF-8 check
  // at the end of the read then skips the (usual) all-ASCII columns.
  for (ChunkColumn& column : chunk_.columns)
    if (column.kind == ChunkColumnKind::kString)
      column.non_ascii = !column.strings.values().is_ascii();
}

CsvRow ChunkParser::single_row(std::size_t begin) {
  CsvRow row;
  pos_ = begin_ + begin;
  RowStatus status = RowStatus::kBlank;
  while (pos_ < end_ && status == RowStatus::kBlank) status = tokenize_row();
  if (status == RowStatus::kUnterminated) {
    row.unterminated = true;
    row.fields.resize(unterminated_field_);
  } else if (status == RowStatus::kRow) {
    for (std::size_t i = 0; i < field_count_; ++i) row.fields.emplace_back(field(i));
  }
  row.end = static_cast<std::size_t>(pos_ - begin_);
  row.lines = lines_;
  return row;
}

}  // namespace

CsvChunk parse_csv_chunk(std::string_view text, std::size_t begin, std::size_t stop,
                         const CsvParseSettings& settings) {
  CsvChunk chunk;
  parse_csv_chunk_into(text, begin, stop, settings, chunk);
  return chunk;
}

void parse_csv_chunk_into(std::string_view text, std::size_t begin, std::size_t stop,
                          const CsvParseSettings& settings, CsvChunk& chunk) {
  ChunkParser parser(text, settings, false, chunk);
  parser.run(begin, stop);
}

CsvRow read_csv_row(std::string_view text, std::size_t begin, char delimiter) {
  CsvParseSettings settings;
  settings.delimiter = delimiter;
  CsvChunk unused;
  ChunkParser parser(text, settings, true, unused);
  return parser.single_row(begin);
}

}  // namespace archml::data
