#include "archml/data/csv_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>

#include "archml/core/error.h"
#include "archml/core/gzip_file.h"
#include "archml/core/mapped_file.h"
#include "archml/core/page_advice.h"
#include "archml/core/parallel.h"
#include "archml/core/progress.h"
#include "archml/core/utf8.h"
#include "archml/data/csv_chunk_parser.h"
#include "archml/data/csv_column_builder.h"

namespace archml::data {
namespace {

// Big enough that per-chunk overheads vanish, small enough that the threads stay
// balanced and the chunks in flight (text and parsed buffers) stay a small transient.
constexpr std::size_t kMaxChunkBytes = std::size_t{512} << 10;
constexpr std::size_t kMinChunkBytes = std::size_t{256} << 10;
constexpr std::size_t kChunksPerThread = 8;
// Chunks parsed ahead of the one being appended, per thread: enough to keep every
// thread busy while one of them appends, few enough to bound memory.
constexpr std::size_t kChunksAheadPerThread = 2;
// Column pages mapped ahead of the appends: far enough that the appending thread rarely
// faults, close enough that an overestimated row count costs little memory.
constexpr std::size_t kMapAheadBytes = std::size_t{4} << 20;
constexpr std::size_t kMapStepBytes = std::size_t{1} << 20;
constexpr std::size_t kReleaseStepBytes = std::size_t{8} << 20;
// A string column whose chunk holds more distinct values than this share of its rows
// is deemed mostly distinct (IDs), judged on chunks of at least kRowsToJudgeDistinct.
constexpr std::size_t kRowsToJudgeDistinct = 256;
constexpr std::size_t kDistinctShare = 2;  // i.e. more than half
// Appended chunks between two updates of the expected row count.
constexpr std::size_t kChunksPerEstimate = 8;
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

// A pipe, FIFO or character device (`<(zcat f.gz)`, /dev/stdin) has no size to map: it
// is read to its end into memory instead.
bool is_stream(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return false;  // the mapping reports the error
  return S_ISFIFO(info.st_mode) || S_ISCHR(info.st_mode) || S_ISSOCK(info.st_mode);
}

std::string read_stream(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_io("cannot open '" + path + "': " + std::strerror(errno));
  std::string text;
  std::size_t filled = 0;
  for (;;) {
    if (filled == text.size()) text.resize(std::max<std::size_t>(text.size() * 2, 1 << 16));
    ssize_t got = ::read(fd, text.data() + filled, text.size() - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      int error = errno;
      ::close(fd);
      throw_io("cannot read '" + path + "': " + std::strerror(error));
    }
    if (got == 0) break;
    filled += static_cast<std::size_t>(got);
  }
  ::close(fd);
  text.resize(filled);
  return text;
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
    threads_ = options.threads != 0 ? options.threads : core::hardware_threads();
  }

  Table read(CsvReport* report);

 private:
  std::string where(std::size_t line, std::size_t column) const;
  void read_header();
  void check_header_utf8(const CsvRow& header) const;
  void plan_columns();
  void split_chunks();
  void parse_and_append();
  void parse_task(std::size_t index);
  void publish(std::size_t index, std::unique_ptr<CsvChunk> chunk);
  void append_chunk(std::size_t index, CsvChunk& chunk);
  void append_column(std::size_t index, std::size_t kept, CsvChunk& chunk);
  void reparse(std::size_t index, CsvChunk& chunk);
  void release_appended_text(std::size_t index);
  void repair_utf8(Column& column);
  void map_column_pages();
  // How chunks parsed from now on treat `column`; only the appending thread calls it.
  template <typename Change>
  void change_plan(std::size_t column, Change change);
  void update_row_estimate(std::size_t rows, std::size_t end);
  void release_text(std::size_t begin, std::size_t end) const {
    if (file_ != nullptr) file_->release(begin, end - begin);
  }

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
  std::optional<core::Progress> progress_;

  // Shared between the parsing threads, under mutex_.
  std::mutex mutex_;
  std::condition_variable appended_;
  // Settings new chunks are parsed with: columns found to hold text get fixed as text,
  // so later chunks need no re-read; ID columns skip deduplicating in each chunk.
  std::shared_ptr<const CsvParseSettings> current_settings_;
  std::vector<std::unique_ptr<CsvChunk>> parsed_;  // by chunk, until appended
  std::vector<std::unique_ptr<CsvChunk>> spare_;   // buffers to reuse
  std::size_t next_to_append_ = 0;
  bool appending_ = false;  // a thread is appending chunks in order
  bool aborted_ = false;

  // Touched only by the appending thread (one at a time, under the appending_ flag).
  std::vector<CsvColumnBuilder> builders_;  // one per kept column
  std::vector<std::size_t> kept_;           // file column of each builder
  std::vector<std::size_t> read_begin_;     // true row boundary of each appended chunk
  std::size_t next_begin_ = 0;              // where the next chunk must start
  std::size_t released_to_ = 0;             // text before this has been released
  std::size_t line_base_ = 0;
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
  if (options_.has_header) check_header_utf8(first);
  if (options_.has_header) {
    data_begin_ = first.end;
    header_lines_ = first.lines;
  } else {
    data_begin_ = begin;
  }
}

void Reader::check_header_utf8(const CsvRow& header) const {
  for (std::size_t i = 0; i < header.fields.size(); ++i)
    if (!core::is_valid_utf8(header.fields[i]))
      throw_invalid(source_ + ": the name of column " + std::to_string(i + 1) +
                    " in the header ('" + core::valid_utf8(header.fields[i]) +
                    "') is not valid UTF-8; save the file as UTF-8 (from Latin-1: iconv -f "
                    "latin1 -t utf-8 IN > OUT)");
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
  for (const std::string& name : options_.columns) {
    if (std::find(names_.begin(), names_.end(), name) == names_.end())
      throw_invalid(
          source_ + ": column '" + name +
          "' was asked for but is not in the file; its columns are: " + join_names(names_));
  }
  settings_.columns.resize(names_.size());
  for (std::size_t i = 0; i < names_.size(); ++i) {
    auto found = options_.schema.find(names_[i]);
    if (found != options_.schema.end())
      settings_.columns[i] = CsvColumnPlan{true, found->second};
    else
      settings_.columns[i] = CsvColumnPlan{false, ColumnType::kString};
    settings_.columns[i].skip =
        !options_.columns.empty() && std::find(options_.columns.begin(), options_.columns.end(),
                                               names_[i]) == options_.columns.end();
    if (!settings_.columns[i].skip) kept_.push_back(i);
  }
}

void Reader::split_chunks() {
  const std::size_t size = text_.size();
  std::size_t chunk_bytes = options_.chunk_bytes;
  if (chunk_bytes == 0)
    chunk_bytes = std::clamp((size - data_begin_) / (std::size_t{threads_} * kChunksPerThread),
                             kMinChunkBytes, kMaxChunkBytes);
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

// Threads parse chunks in file order, a bounded distance ahead of the append. Whichever
// thread finishes the chunk due next appends it (and any that follow, already parsed)
// to the columns, then recycles its buffers; the others keep parsing meanwhile.
void Reader::parse_and_append() {
  if (!options_.progress_label.empty())
    progress_.emplace(options_.progress_label, text_.size(), "B", true);
  if (progress_) progress_->advance(data_begin_);
  current_settings_ = std::make_shared<const CsvParseSettings>(settings_);
  parsed_.resize(starts_.size());
  read_begin_.resize(starts_.size());
  next_begin_ = data_begin_;
  line_base_ = header_lines_;
  for (std::size_t column : kept_) builders_.emplace_back(names_[column]);
  core::parallel_for(
      starts_.size(),
      [&](std::size_t i) {
        try {
          parse_task(i);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mutex_);
          aborted_ = true;
          appended_.notify_all();
          throw;
        }
      },
      threads_);
  if (next_to_append_ != starts_.size())
    throw Error(ErrorKind::kInternal, source_ + ": CSV chunks were left unread");
}

void Reader::parse_task(std::size_t index) {
  std::unique_ptr<CsvChunk> chunk;
  std::shared_ptr<const CsvParseSettings> settings;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    const std::size_t ahead = std::size_t{threads_} * kChunksAheadPerThread + 1;
    appended_.wait(lock, [&] { return aborted_ || index < next_to_append_ + ahead; });
    if (aborted_) return;
    if (!spare_.empty()) {
      chunk = std::move(spare_.back());
      spare_.pop_back();
    }
    settings = current_settings_;
  }
  if (!chunk) chunk = std::make_unique<CsvChunk>();
  parse_csv_chunk_into(text_, starts_[index], stops_[index], *settings, *chunk);
  map_column_pages();
  if (progress_) progress_->advance(stops_[index] - starts_[index]);
  publish(index, std::move(chunk));
}

void Reader::publish(std::size_t index, std::unique_ptr<CsvChunk> chunk) {
  std::unique_lock<std::mutex> lock(mutex_);
  parsed_[index] = std::move(chunk);
  if (appending_) return;  // the appending thread will reach this chunk
  appending_ = true;
  while (next_to_append_ < parsed_.size() && parsed_[next_to_append_]) {
    std::unique_ptr<CsvChunk> next = std::move(parsed_[next_to_append_]);
    lock.unlock();
    append_chunk(next_to_append_, *next);  // on error the exception aborts the read
    lock.lock();
    for (CsvColumnBuilder& builder : builders_) builder.publish_buffer();
    release_appended_text(next_to_append_);
    spare_.push_back(std::move(next));
    ++next_to_append_;
    appended_.notify_all();
  }
  appending_ = false;
}

// Column pages are mapped by the parsing threads, a bounded distance ahead of the
// appends (see CsvColumnBuilder::claim_pages): mapping zeroes each page, work that would
// otherwise fall on the appending thread, which every other thread waits for.
void Reader::map_column_pages() {
  std::vector<CsvColumnBuilder::PageRange> claimed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (CsvColumnBuilder& builder : builders_) {
      const auto range = builder.claim_pages(kMapAheadBytes, kMapStepBytes);
      if (range.bytes != 0) claimed.push_back(range);
    }
  }
  for (const auto& range : claimed) core::prefault_pages(range.begin, range.bytes);
}

void Reader::reparse(std::size_t index, CsvChunk& chunk) {
  const std::size_t begin = read_begin_[index];
  parse_csv_chunk_into(text_, begin, stops_[index], *current_settings_, chunk);
  // Text re-read before the release point would otherwise stay resident.
  if (stops_[index] <= released_to_) release_text(begin, stops_[index]);
}

// Appended text is not needed again (except by the rare re-read, which faults it back
// in from the page cache), so its pages go back, several megabytes at a time: each
// release interrupts every thread of the process to flush its TLB.
void Reader::release_appended_text(std::size_t index) {
  const std::size_t end = stops_[index];
  if (end - released_to_ < kReleaseStepBytes && index + 1 != starts_.size()) return;
  release_text(released_to_, end);
  released_to_ = end;
}

void Reader::update_row_estimate(std::size_t rows, std::size_t end) {
  // Rows so far scaled to the whole text, with a margin: capacity reserved beyond what
  // is used costs no memory until touched.
  if (end <= data_begin_ || rows == 0) return;
  const double done = static_cast<double>(end - data_begin_);
  const double total = static_cast<double>(text_.size() - data_begin_);
  const auto expected =
      static_cast<std::size_t>(static_cast<double>(rows) * total / done * 1.03) + 1024;
  for (CsvColumnBuilder& builder : builders_) builder.expect_rows(expected);
}

template <typename Change>
void Reader::change_plan(std::size_t column, Change change) {
  auto settings = std::make_shared<CsvParseSettings>(*current_settings_);
  change(settings->columns[column]);
  std::lock_guard<std::mutex> lock(mutex_);
  current_settings_ = std::move(settings);
}

// A chunk guessed its first row boundary; it is right when the previous chunk's last
// row ended exactly there. Otherwise (a quoted newline near the guess) it is parsed
// again from the true boundary. Problems of chunks that stand become real errors here.
void Reader::append_chunk(std::size_t index, CsvChunk& chunk) {
  if (chunk.begin != next_begin_) {
    stops_[index] = std::max(next_begin_, stops_[index]);
    read_begin_[index] = next_begin_;
    reparse(index, chunk);
  }
  read_begin_[index] = chunk.begin;
  for (const CsvProblem& problem : chunk.problems) {
    std::string message = where(line_base_ + problem.line + 1, problem.column) + problem.what;
    if (chunk.failed) throw_invalid(message);
    if (report_.problems.size() < kMaxReportedProblems) report_.problems.push_back(message);
  }
  report_.skipped_rows += chunk.skipped_rows;
  if (index % kChunksPerEstimate == 0) update_row_estimate(total_rows_ + chunk.rows, chunk.end);
  for (std::size_t kept = 0; kept < builders_.size(); ++kept) append_column(index, kept, chunk);
  total_rows_ += chunk.rows;
  line_base_ += chunk.lines;
  next_begin_ = chunk.end;
}

// Numbers and words in one column make a string column: the rows appended as numbers
// are read again as text (rare: a word late in a numeric column).
void Reader::append_column(std::size_t index, std::size_t kept, CsvChunk& chunk) {
  CsvColumnBuilder& builder = builders_[kept];
  const std::size_t column = kept_[kept];
  ChunkColumn& part = chunk.columns[column];
  if (!builder.needs_text(part.kind)) {
    builder.append(part, chunk.rows);
    if (part.kind == ChunkColumnKind::kString && chunk.rows >= kRowsToJudgeDistinct &&
        part.strings.size() * kDistinctShare > chunk.rows &&
        !current_settings_->columns[column].mostly_distinct)
      change_plan(column, [](CsvColumnPlan& plan) { plan.mostly_distinct = true; });
    return;
  }
  change_plan(column, [](CsvColumnPlan& plan) {
    plan.fixed = true;
    plan.type = ColumnType::kString;
  });
  if (!builder.become_text()) {
    CsvChunk again;
    for (std::size_t earlier = 0; earlier < index; ++earlier) {
      reparse(earlier, again);
      builder.append(again.columns[column], again.rows);
    }
  }
  if (part.kind == ChunkColumnKind::kString) {
    builder.append(part, chunk.rows);
    return;
  }
  CsvChunk again;
  reparse(index, again);
  builder.append(again.columns[column], again.rows);
}

// Values that are not valid UTF-8 get U+FFFD for each bad byte; values that become equal
// merge into one code (the first's). Rare, so done here, after the read, and only for
// columns where a non-ASCII byte was seen.
void Reader::repair_utf8(Column& column) {
  const Dictionary& values = column.dictionary();
  std::size_t invalid = 0;
  for (std::uint32_t code = 0; code < values.size(); ++code)
    invalid += !core::is_valid_utf8(values.at(code));
  if (invalid == 0) return;
  Dictionary repaired;
  std::unordered_map<std::string, std::uint32_t> code_of;
  std::vector<std::uint32_t> remap(values.size());
  for (std::uint32_t code = 0; code < values.size(); ++code) {
    auto [at, added] = code_of.try_emplace(core::valid_utf8(values.at(code)), repaired.size());
    if (added) repaired.append(std::string_view(at->first));
    remap[code] = at->second;
  }
  for (std::uint32_t& code : column.mutable_codes())
    if (code != Column::kMissingCode) code = remap[code];
  column.mutable_dictionary() = std::move(repaired);
  report_.invalid_utf8_values += invalid;
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
  parse_and_append();
  for (CsvColumnBuilder& builder : builders_) {
    Column column = builder.finish();
    if (builder.saw_non_ascii()) repair_utf8(column);
    table.add_column(std::move(column));
  }
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
  if (is_stream(path)) {
    std::string text = read_stream(path);
    return Reader(text, options, path, nullptr).read(report);
  }
  core::MappedFile file(path);
  return Reader(file.view(), options, path, &file).read(report);
}

Table read_csv_text(std::string_view text, const CsvOptions& options, CsvReport* report,
                    const std::string& source_name) {
  return Reader(text, options, source_name, nullptr).read(report);
}

std::string csv_report_warnings(const CsvReport& report) {
  std::string text;
  if (report.invalid_utf8_values > 0)
    text += "warning: " + std::to_string(report.invalid_utf8_values) +
            " distinct text value(s) are not valid UTF-8; their bad bytes read as U+FFFD (save "
            "the file as UTF-8 to keep them)\n";
  if (report.skipped_rows > 0) {
    text += "warning: skipped " + std::to_string(report.skipped_rows) +
            " malformed row(s) (--lenient); the first:\n";
    for (const auto& problem : report.problems) text += "  " + problem + "\n";
  }
  return text;
}

}  // namespace archml::data
