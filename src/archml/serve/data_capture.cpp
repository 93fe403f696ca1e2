#include "archml/serve/data_capture.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <ctime>

#include "archml/core/base64.h"
#include "archml/core/error.h"
#include "archml/serve/http_request.h"
#include "archml/serve/json_text.h"
#include "archml/serve/utc_time.h"

namespace archml::serve {
namespace {

// SageMaker records CSV and JSON bodies as text and anything else in base64 (so does
// this, for text that is not valid UTF-8, which a JSON line cannot hold).
void append_side(std::string& out, std::string_view data, std::string_view content_type,
                 std::string_view mode) {
  const std::string_view type = trim_blanks(content_type.substr(0, content_type.find(';')));
  std::string_view encoding = "BASE64";
  if (equals_ignoring_case(type, "text/csv"))
    encoding = "CSV";
  else if (equals_ignoring_case(type, "application/json") ||
           equals_ignoring_case(type, "application/jsonlines"))
    encoding = "JSON";
  if (encoding != "BASE64" && !is_valid_utf8(data)) encoding = "BASE64";
  out += R"({"observedContentType": )";
  append_json_string(out, content_type);
  out += R"(, "mode": ")";
  out += mode;
  out += R"(", "data": )";
  append_json_string(out, encoding == "BASE64" ? core::base64(data) : data);
  out += R"(, "encoding": ")";
  out += encoding;
  out += R"("})";
}

void append_line(std::string& out, const CaptureRecord& record, std::string_view event_id,
                 std::string_view inference_time) {
  out += R"({"captureData": {"endpointInput": )";
  append_side(out, record.input, record.input_content_type, "INPUT");
  out += R"(, "endpointOutput": )";
  append_side(out, record.output, record.output_content_type, "OUTPUT");
  out += R"(}, "eventMetadata": {"eventId": )";
  append_json_string(out, event_id);
  if (!record.inference_id.empty()) {
    out += R"(, "inferenceId": )";
    append_json_string(out, record.inference_id);
  }
  out += R"(, "inferenceTime": ")";
  out += inference_time;
  out += R"("}, "eventVersion": "0"})";
}

// How submit() packs a record: this header, then the four texts back to back.
struct PackedHeader {
  std::int64_t time_ns;
  std::uint32_t sizes[5];  // input, its content type, output, its content type, inference id
};

// Above this the writer gives its batch buffer back instead of keeping it for the next.
constexpr std::size_t kKeptBufferBytes = 16 * 1024 * 1024;
// The writer hands its formatted lines to the file in blocks of about this size.
constexpr std::size_t kWriteBlockBytes = 1024 * 1024;

// Creates `root` and a file in it (removed again); throws archml::Error (I/O) saying why not.
void check_writable(const std::filesystem::path& root) {
  std::error_code error;
  std::filesystem::create_directories(root, error);
  if (error)
    throw_io("--capture-dir " + root.string() +
             ": cannot create the directory: " + error.message() + "; name a writable directory");
  const std::filesystem::path probe = root / (".archml-capture-check-" + std::to_string(getpid()));
  std::FILE* file = std::fopen(probe.c_str(), "w");
  if (file == nullptr)
    throw_io("--capture-dir " + root.string() + ": cannot write a file there: " +
             std::strerror(errno) + "; name a writable directory");
  std::fclose(file);
  std::filesystem::remove(probe, error);
}

}  // namespace

DataCapture::DataCapture(CaptureOptions options) : options_(std::move(options)) {
  if (!(options_.percent >= 0 && options_.percent <= 100))
    throw_invalid("--capture-percent must be between 0 and 100");
  check_writable(options_.root);
  char id[96];
  const std::tm start = utc_parts(std::chrono::system_clock::now());
  std::snprintf(id, sizeof id, "%04d%02d%02dT%02d%02d%02dZ-%d", start.tm_year + 1900,
                start.tm_mon + 1, start.tm_mday, start.tm_hour, start.tm_min, start.tm_sec,
                static_cast<int>(getpid()));
  run_id_ = id;
  thread_ = std::thread([this] { writer_loop(); });
}

DataCapture::~DataCapture() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

bool DataCapture::sample() {
  if (options_.percent >= 100) return true;
  if (options_.percent <= 0) return false;
  // Call n is sampled when floor(n * p / 100) steps up: exactly p % over any long run.
  const std::uint64_t n = sampled_calls_.fetch_add(1, std::memory_order_relaxed);
  const double p = options_.percent / 100;
  return std::floor(static_cast<double>(n + 1) * p) > std::floor(static_cast<double>(n) * p);
}

bool DataCapture::submit(const CaptureRecord& record) {
  const std::string_view texts[5] = {record.input, record.input_content_type, record.output,
                                     record.output_content_type, record.inference_id};
  PackedHeader header{};
  header.time_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(record.time.time_since_epoch()).count();
  std::size_t bytes = sizeof header;
  for (int i = 0; i < 5; ++i) {
    header.sizes[i] = static_cast<std::uint32_t>(texts[i].size());
    bytes += texts[i].size();
  }
  bool was_empty = false;
  {
    std::lock_guard lock(mutex_);
    if (pending_records_ >= options_.queue_limit ||
        pending_.size() + bytes > options_.queue_limit_bytes) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    was_empty = pending_records_ == 0;
    pending_.append(reinterpret_cast<const char*>(&header), sizeof header);
    for (const std::string_view text : texts) pending_.append(text);
    ++pending_records_;
  }
  // The writer sleeps only on an empty queue: waking it once per batch, not per record,
  // keeps the futex system call off nearly every request.
  if (was_empty) wake_.notify_one();
  return true;
}

std::string DataCapture::format(const CaptureRecord& record, const std::string& event_id) {
  std::string line;
  append_line(line, record, event_id, iso8601_utc(record.time));
  return line;
}

void DataCapture::writer_loop() {
  std::string batch;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || pending_records_ > 0; });
      batch.swap(pending_);  // pending_ gets the drained buffer, capacity and all
      pending_records_ = 0;
      if (batch.empty() && stopping_) break;
    }
    write_batch(batch);
    batch.clear();
    if (batch.capacity() > kKeptBufferBytes) std::string().swap(batch);
    // Let records gather: a few large writes cost the request threads' cores less than
    // one wake-up per record.
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(5), [this] { return stopping_; });
  }
  finish_file();
}

void DataCapture::write_batch(std::string_view batch) {
  std::string lines;
  lines.reserve(std::min(kWriteBlockBytes + 4096, batch.size() * 2));
  std::uint64_t records = 0;
  bool open_failed = false;
  std::int64_t second = -1;
  char time_text[32];  // "2026-11-28T03:04:05.678", the second's part cached
  char event_id[128];
  const std::size_t run_id_size = std::min(run_id_.size(), sizeof event_id - 24);
  std::memcpy(event_id, run_id_.data(), run_id_size);
  event_id[run_id_size] = '-';
  std::size_t offset = 0;
  while (offset + sizeof(PackedHeader) <= batch.size()) {
    PackedHeader header;
    std::memcpy(&header, batch.data() + offset, sizeof header);
    offset += sizeof header;
    std::string_view texts[5];
    for (int i = 0; i < 5; ++i) {
      texts[i] = batch.substr(offset, header.sizes[i]);
      offset += header.sizes[i];
    }
    const CaptureRecord record{texts[0],
                               texts[1],
                               texts[2],
                               texts[3],
                               std::chrono::system_clock::time_point(
                                   std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                       std::chrono::nanoseconds(header.time_ns))),
                               texts[4]};
    const std::int64_t hour = header.time_ns / 3'600'000'000'000;
    if (hour != file_hour_ || file_ == nullptr) {
      write_out(lines, records);
      records = 0;
      if (!open_failed) open_file(record.time);
      if (file_ == nullptr) {  // tried again with the next batch
        count_failed(1, "cannot open " + file_path_.string() + ": " + std::strerror(errno));
        open_failed = true;
        continue;
      }
    }
    const std::int64_t this_second = header.time_ns / 1'000'000'000;
    if (this_second != second) {
      second = this_second;
      const std::string text = iso8601_utc(record.time);
      std::memcpy(time_text, text.data(), 20);  // up to the fraction's dot
    }
    const int millis = static_cast<int>(header.time_ns / 1'000'000 % 1000);
    time_text[20] = static_cast<char>('0' + millis / 100);
    time_text[21] = static_cast<char>('0' + millis / 10 % 10);
    time_text[22] = static_cast<char>('0' + millis % 10);
    time_text[23] = 'Z';
    char* id_end =
        std::to_chars(event_id + run_id_size + 1, event_id + sizeof event_id, ++sequence_).ptr;
    append_line(lines, record, std::string_view(event_id, id_end - event_id),
                std::string_view(time_text, 24));
    lines += '\n';
    ++records;
    if (lines.size() >= kWriteBlockBytes) {
      write_out(lines, records);
      records = 0;
    }
  }
  write_out(lines, records);
}

void DataCapture::open_file(std::chrono::system_clock::time_point time) {
  finish_file();
  const std::tm parts = utc_parts(time);
  char directory[64];
  std::snprintf(directory, sizeof directory, "%04d/%02d/%02d/%02d", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour);
  const std::filesystem::path folder =
      options_.root / options_.endpoint / options_.variant / directory;
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  file_path_ = folder / (run_id_ + ".jsonl");
  file_ = std::fopen(file_path_.c_str(), "a");
  file_hour_ = std::chrono::duration_cast<std::chrono::hours>(time.time_since_epoch()).count();
}

// Capture must not take the endpoint down: records that cannot be written are counted as
// failed, and stderr hears when failing starts (and, in write_out, when it stops).
void DataCapture::count_failed(std::uint64_t records, const std::string& why) {
  failed_.fetch_add(records, std::memory_order_relaxed);
  if (failing_) return;
  failing_ = true;
  std::fprintf(stderr,
               "archml serve: data capture failed: %s; records are counted as failed in "
               "/metrics until writing works again\n",
               why.c_str());
}

// Hands `records` formatted lines to the current file and empties `lines`.
void DataCapture::write_out(std::string& lines, std::uint64_t records) {
  if (records == 0) return;
  if (file_ != nullptr && std::fwrite(lines.data(), 1, lines.size(), file_) == lines.size() &&
      std::fflush(file_) == 0) {
    written_.fetch_add(records, std::memory_order_relaxed);
    if (failing_)
      std::fprintf(stderr, "archml serve: data capture writes %s again\n", file_path_.c_str());
    failing_ = false;
  } else {
    count_failed(records, "cannot write " + file_path_.string() + ": " + std::strerror(errno));
  }
  lines.clear();
}

void DataCapture::finish_file() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  file_ = nullptr;
  if (options_.on_file_finished) options_.on_file_finished(file_path_);
}

}  // namespace archml::serve
