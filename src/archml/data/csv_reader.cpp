#include "archml/data/csv_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <set>

#include "archml/core/error.h"
#include "archml/core/gzip_file.h"
#include "archml/core/mapped_file.h"
#include "archml/core/parallel.h"
#include "archml/core/progress.h"
#include "archml/data/csv_chunk_parser.h"
#include "archml/data/dictionary_merge.h"

namespace archml::data {
namespace {

// Big enough that per-chunk dictionaries collapse repeats and task overhead vanishes,
// small enough that the threads stay balanced and few mapped pages are resident.
constexpr std::size_t kDefaultChunkBytes = std::size_t{1} << 20;
constexpr std::size_t kMaxReportedProblems = 10;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// pandas-compatible names: blanks become "Unnamed: <index>", repeats get ".1", ".2", ...
std::vector<std::string> column_names(const CsvRow& first_row, bool has_header) {
  std::vector<std::string> names;
  names.reserve(first_row.fields.size());
  if (!has_header) {
    for (std::size_t i = 0; i < first_row.fields.size(); ++i)
      names.push_back("column_" + std::to_string(i + 1));
    return names;
  }
  std::set<std::string> used;
  for (std::size_t i = 0; i < first_row.fields.size(); ++i) {
    std::string name = first_row.fields[i];
    if (name.empty()) name = std::string("Unnamed: ").append(std::to_string(i));
    if (used.count(name) != 0) {
      auto with_suffix = [&](std::size_t suffix) {
        return std::string(name).append(1, '.').append(std::to_string(suffix));
      };
      std::size_t suffix = 1;
      while (used.count(with_suffix(suffix)) != 0) ++suffix;
      name = with_suffix(suffix);
    }
    used.insert(name);
    names.push_back(std::move(name));
  }
  return names;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

class Reader {
 public:
  Reader(std::string_view text, const CsvOptions& options, std::string source,
         const core::MappedFile* file)
      : text_(text), options_(options), source_(std::move(source)), file_(file) {
    threads_ = options.threads != 0 ? options.threads : core::thread_count();
  }

  Table read(CsvReport* report);

 private:
  std::string where(std::size_t line, std::size_t column) const;
  void read_header();
  void plan_columns();
  void split_chunks();
  void parse_chunks();
  void check_chunk_chain();
  void reread_mixed_chunks();
  Column assemble(std::size_t index);
  ColumnType final_type(std::size_t index) const;

  std::string_view text_;
  const CsvOptions& options_;
  std::string source_;
  const core::MappedFile* file_;
  unsigned threads_ = 1;

  std::size_t data_begin_ = 0;
  std::size_t header_lines_ = 0;
  std::vector<std::string> names_;
  CsvParseSettings settings_;
  std::vector<std::size_t> starts_;  // guessed row boundary of each chunk
  std::vector<std::size_t> stops_;   // rows of chunk i start before stops_[i]
  std::vector<CsvChunk> chunks_;
  std::vector<std::size_t> row_base_;
  std::size_t total_rows_ = 0;
  CsvReport report_;
};

std::string Reader::where(std::size_t line, std::size_t column) const {
  std::string text =
      source_ + ", line " + std::to_string(line) + ", column " + std::to_string(column + 1);
  if (column < names_.size()) text += " '" + names_[column] + "'";
  return text + ": ";
}

void Reader::read_header() {
  std::size_t begin = 0;
  if (text_.size() >= 3 && std::memcmp(text_.data(), "\xEF\xBB\xBF", 3) == 0) begin = 3;
  if (begin >= text_.size()) {
    data_begin_ = text_.size();
    return;
  }
  CsvRow first = read_csv_row(text_, begin, options_.delimiter);
  if (first.unterminated) {
    names_ = column_names(first, options_.has_header);
    throw_invalid(where(first.lines + 1, first.fields.size()) +
                  "quoted field has no closing quote (\") in the " +
                  (options_.has_header ? "header" : "first row"));
  }
  names_ = column_names(first, options_.has_header);
  if (options_.has_header) {
    data_begin_ = first.end;
    header_lines_ = first.lines;
  } else {
    data_begin_ = begin;
  }
}

void Reader::plan_columns() {
  for (const auto& [name, type] : options_.schema) {
    if (std::find(names_.begin(), names_.end(), name) == names_.end())
      throw_invalid(source_ + ": the schema names column '" + name +
                    "', which is not in the file; its columns are: " + join_names(names_));
  }
  settings_.delimiter = options_.delimiter;
  settings_.missing_tokens = options_.missing_tokens;
  settings_.lenient = options_.lenient;
  settings_.columns.resize(names_.size());
  for (std::size_t i = 0; i < names_.size(); ++i) {
    auto found = options_.schema.find(names_[i]);
    if (found != options_.schema.end())
      settings_.columns[i] = CsvColumnPlan{true, found->second};
    else
      settings_.columns[i] = CsvColumnPlan{false, ColumnType::kString};
  }
}

void Reader::split_chunks() {
  const std::size_t size = text_.size();
  std::size_t chunk_bytes = options_.chunk_bytes != 0 ? options_.chunk_bytes : kDefaultChunkBytes;
  starts_.push_back(data_begin_);
  for (std::size_t nominal = data_begin_ + chunk_bytes; nominal < size; nominal += chunk_bytes) {
    if (nominal < starts_.back()) continue;
    const void* newline = std::memchr(text_.data() + nominal, '\n', size - nominal);
    if (newline == nullptr) break;
    std::size_t start =
        static_cast<std::size_t>(static_cast<const char*>(newline) - text_.data()) + 1;
    if (start >= size) break;
    if (start > starts_.back()) starts_.push_back(start);
  }
  stops_.assign(starts_.begin() + 1, starts_.end());
  stops_.push_back(size);
  // Size each chunk's buffers from the row length seen at the start of the data.
  std::size_t sample_end = std::min(size, data_begin_ + (std::size_t{1} << 16));
  std::size_t sample_rows = static_cast<std::size_t>(
      std::count(text_.data() + data_begin_, text_.data() + sample_end, '\n'));
  std::size_t per_chunk = std::min(chunk_bytes, size - data_begin_);
  if (sample_rows > 0) {
    double row_bytes =
        static_cast<double>(sample_end - data_begin_) / static_cast<double>(sample_rows);
    settings_.expected_rows =
        static_cast<std::size_t>(static_cast<double>(per_chunk) / row_bytes * 1.1) + 16;
  }
}

void Reader::parse_chunks() {
  std::optional<core::Progress> progress;
  if (!options_.progress_label.empty())
    progress.emplace(options_.progress_label, text_.size(), "B");
  if (progress) progress->advance(data_begin_);
  chunks_.resize(starts_.size());
  core::parallel_for(
      starts_.size(),
      [&](std::size_t i) {
        const std::size_t stop = stops_[i];
        chunks_[i] = parse_csv_chunk(text_, starts_[i], stop, settings_);
        // Parsed text is not needed again (except by the rare re-read, which faults it
        // back in from the page cache), so give its pages back.
        if (file_ != nullptr) file_->release(starts_[i], stop - starts_[i]);
        if (progress) progress->advance(stop - starts_[i]);
      },
      threads_);
}

// A chunk guessed its first row boundary; it is right when the previous chunk's last
// row ended exactly there. Otherwise (a quoted newline near the guess) parse it again
// from the true boundary. Problems of chunks that stand become real errors here.
void Reader::check_chunk_chain() {
  std::size_t expected = data_begin_;
  std::size_t line_base = header_lines_;
  row_base_.resize(chunks_.size());
  for (std::size_t i = 0; i < chunks_.size(); ++i) {
    if (chunks_[i].begin != expected) {
      stops_[i] = std::max(expected, stops_[i]);
      chunks_[i] = parse_csv_chunk(text_, expected, stops_[i], settings_);
    }
    CsvChunk& chunk = chunks_[i];
    for (const CsvProblem& problem : chunk.problems) {
      std::string message = where(line_base + problem.line + 1, problem.column) + problem.what;
      if (chunk.failed) throw_invalid(message);
      if (report_.problems.size() < kMaxReportedProblems) report_.problems.push_back(message);
    }
    report_.skipped_rows += chunk.skipped_rows;
    row_base_[i] = total_rows_;
    total_rows_ += chunk.rows;
    line_base += chunk.lines;
    expected = chunk.end;
  }
}

ColumnType Reader::final_type(std::size_t index) const {
  const CsvColumnPlan& plan = settings_.columns[index];
  if (plan.fixed) return plan.type;
  std::optional<ChunkColumnKind> joined;
  for (const CsvChunk& chunk : chunks_) {
    ChunkColumnKind kind = chunk.columns[index].kind;
    if (kind == ChunkColumnKind::kAllMissing) continue;
    if (!joined || *joined == kind) {
      joined = kind;
    } else if ((*joined == ChunkColumnKind::kInt64 && kind == ChunkColumnKind::kFloat64) ||
               (*joined == ChunkColumnKind::kFloat64 && kind == ChunkColumnKind::kInt64)) {
      joined = ChunkColumnKind::kFloat64;
    } else {
      joined = ChunkColumnKind::kString;
    }
  }
  if (!joined) return ColumnType::kFloat64;  // like pandas: nothing but missing values
  switch (*joined) {
    case ChunkColumnKind::kBool:
      return ColumnType::kBool;
    case ChunkColumnKind::kInt64:
      return ColumnType::kInt64;
    case ChunkColumnKind::kFloat64:
      return ColumnType::kFloat64;
    default:
      return ColumnType::kString;
  }
}

// Chunks that saw numbers in a column that turned out to hold text (elsewhere or in the
// same chunk) kept no text; read them again with those columns fixed as strings.
void Reader::reread_mixed_chunks() {
  std::vector<std::vector<std::size_t>> reread(chunks_.size());
  bool any = false;
  for (std::size_t column = 0; column < names_.size(); ++column) {
    if (final_type(column) != ColumnType::kString || settings_.columns[column].fixed) continue;
    for (std::size_t i = 0; i < chunks_.size(); ++i) {
      ChunkColumnKind kind = chunks_[i].columns[column].kind;
      if (kind != ChunkColumnKind::kString && kind != ChunkColumnKind::kAllMissing) {
        reread[i].push_back(column);
        any = true;
      }
    }
  }
  if (!any) return;
  core::parallel_for(
      chunks_.size(),
      [&](std::size_t i) {
        if (reread[i].empty()) return;
        CsvParseSettings settings = settings_;
        for (std::size_t column : reread[i])
          settings.columns[column] = CsvColumnPlan{true, ColumnType::kString};
        CsvChunk again = parse_csv_chunk(text_, chunks_[i].begin, stops_[i], settings);
        for (std::size_t column : reread[i])
          chunks_[i].columns[column] = std::move(again.columns[column]);
      },
      threads_);
}

Column Reader::assemble(std::size_t index) {
  const ColumnType type = final_type(index);
  Column column(names_[index], type);
  const std::size_t chunk_count = chunks_.size();
  bool any_missing = false;
  for (const CsvChunk& chunk : chunks_) {
    const ChunkColumn& part = chunk.columns[index];
    if (!part.missing_rows.empty() || (part.kind == ChunkColumnKind::kAllMissing && chunk.rows > 0))
      any_missing = true;
  }
  std::vector<std::uint8_t>& missing = column.mutable_missing_mask();
  if (any_missing) missing.assign(total_rows_, 0);

  MergedDictionary merged;
  if (type == ColumnType::kString) {
    std::vector<StringInterner*> parts;
    for (CsvChunk& chunk : chunks_) parts.push_back(&chunk.columns[index].strings);
    merged = merge_dictionaries(parts, threads_);
  }
  switch (type) {
    case ColumnType::kInt64:
      column.mutable_ints().resize(total_rows_);
      break;
    case ColumnType::kFloat64:
      column.mutable_floats().resize(total_rows_);
      break;
    case ColumnType::kBool:
      column.mutable_bools().resize(total_rows_);
      break;
    case ColumnType::kString:
      column.mutable_codes().resize(total_rows_);
      break;
  }
  core::parallel_for(
      chunk_count,
      [&](std::size_t i) {
        ChunkColumn& part = chunks_[i].columns[index];
        const std::size_t base = row_base_[i];
        const std::size_t rows = chunks_[i].rows;
        const bool all_missing = part.kind == ChunkColumnKind::kAllMissing;
        switch (type) {
          case ColumnType::kInt64: {
            std::int64_t* out = column.mutable_ints().data() + base;
            if (all_missing)
              std::fill(out, out + rows, 0);
            else
              std::copy(part.ints.begin(), part.ints.end(), out);
            break;
          }
          case ColumnType::kFloat64: {
            double* out = column.mutable_floats().data() + base;
            if (all_missing) {
              std::fill(out, out + rows, std::numeric_limits<double>::quiet_NaN());
            } else if (part.kind == ChunkColumnKind::kInt64) {
              for (std::size_t r = 0; r < rows; ++r) out[r] = static_cast<double>(part.ints[r]);
              for (std::uint32_t r : part.missing_rows)
                out[r] = std::numeric_limits<double>::quiet_NaN();
            } else {
              std::copy(part.floats.begin(), part.floats.end(), out);
            }
            break;
          }
          case ColumnType::kBool: {
            std::uint8_t* out = column.mutable_bools().data() + base;
            if (all_missing)
              std::fill(out, out + rows, 0);
            else
              std::copy(part.bools.begin(), part.bools.end(), out);
            break;
          }
          case ColumnType::kString: {
            std::uint32_t* out = column.mutable_codes().data() + base;
            const std::vector<std::uint32_t>& remap = merged.remaps[i];
            if (all_missing) {
              std::fill(out, out + rows, Column::kMissingCode);
            } else {
              for (std::size_t r = 0; r < rows; ++r) {
                std::uint32_t code = part.codes[r];
                out[r] = code == Column::kMissingCode ? code : remap[code];
              }
            }
            break;
          }
        }
        if (any_missing) {
          std::uint8_t* mask = missing.data() + base;
          if (all_missing) std::fill(mask, mask + rows, 1);
          for (std::uint32_t r : part.missing_rows) mask[r] = 1;
        }
        part = ChunkColumn();  // free as we go: peak memory stays near one table
      },
      threads_);
  if (type == ColumnType::kString) column.mutable_dictionary() = std::move(merged.dictionary);
  return column;
}

Table Reader::read(CsvReport* report) {
  read_header();
  Table table;
  if (names_.empty()) {
    if (report != nullptr) *report = report_;
    return table;
  }
  plan_columns();
  split_chunks();
  parse_chunks();
  check_chunk_chain();
  reread_mixed_chunks();
  for (std::size_t i = 0; i < names_.size(); ++i) table.add_column(assemble(i));
  report_.rows = total_rows_;
  if (report != nullptr) *report = std::move(report_);
  return table;
}

}  // namespace

Table read_csv(const std::string& path, const CsvOptions& options, CsvReport* report) {
  if (ends_with(path, ".gz")) {
    std::string text = core::read_gzip_file(path);
    return Reader(text, options, path, nullptr).read(report);
  }
  core::MappedFile file(path);
  return Reader(file.view(), options, path, &file).read(report);
}

Table read_csv_text(std::string_view text, const CsvOptions& options, CsvReport* report,
                    const std::string& source_name) {
  return Reader(text, options, source_name, nullptr).read(report);
}

}  // namespace archml::data
