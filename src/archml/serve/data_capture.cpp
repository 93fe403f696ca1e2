#include "archml/serve/data_capture.h"

#include <unistd.h>

#include <cerrno>
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
void append_side(std::string& out, const std::string& data, const std::string& content_type,
                 std::string_view mode) {
  const std::string_view type =
      trim_blanks(std::string_view(content_type).substr(0, content_type.find(';')));
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

}  // namespace

DataCapture::DataCapture(CaptureOptions options) : options_(std::move(options)) {
  if (!(options_.percent >= 0 && options_.percent <= 100))
    throw_invalid("--capture-percent must be between 0 and 100");
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

bool DataCapture::submit(CaptureRecord record) {
  bool was_empty = false;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.queue_limit) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    was_empty = queue_.empty();
    queue_.push_back(std::move(record));
  }
  // The writer sleeps only on an empty queue: waking it once per batch, not per record,
  // keeps the futex system call off nearly every request.
  if (was_empty) wake_.notify_one();
  return true;
}

std::string DataCapture::format(const CaptureRecord& record, const std::string& event_id) {
  std::string line;
  line.reserve(record.input.size() + record.output.size() + 320);
  line += R"({"captureData": {"endpointInput": )";
  append_side(line, record.input, record.input_content_type, "INPUT");
  line += R"(, "endpointOutput": )";
  append_side(line, record.output, record.output_content_type, "OUTPUT");
  line += R"(}, "eventMetadata": {"eventId": )";
  append_json_string(line, event_id);
  line += R"(, "inferenceTime": ")";
  line += iso8601_utc(record.time);
  line += R"("}, "eventVersion": "0"})";
  return line;
}

void DataCapture::writer_loop() {
  std::deque<CaptureRecord> batch;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      batch.swap(queue_);
      if (batch.empty() && stopping_) break;
    }
    for (const auto& record : batch) write(record);
    batch.clear();
    if (file_ != nullptr) std::fflush(file_);
    // Let records gather: a few large writes cost the request threads' cores less than
    // one wake-up per record.
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(5), [this] { return stopping_; });
  }
  finish_file();
}

void DataCapture::write(const CaptureRecord& record) {
  const std::int64_t hour =
      std::chrono::duration_cast<std::chrono::hours>(record.time.time_since_epoch()).count();
  if (hour != file_hour_ || file_ == nullptr) {
    finish_file();
    const std::tm parts = utc_parts(record.time);
    char directory[64];
    std::snprintf(directory, sizeof directory, "%04d/%02d/%02d/%02d", parts.tm_year + 1900,
                  parts.tm_mon + 1, parts.tm_mday, parts.tm_hour);
    const std::filesystem::path folder =
        options_.root / options_.endpoint / options_.variant / directory;
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    file_path_ = folder / (run_id_ + ".jsonl");
    file_ = std::fopen(file_path_.c_str(), "a");
    file_hour_ = hour;
    if (file_ == nullptr) {
      // Capture must not take the endpoint down: the record is counted as dropped.
      std::fprintf(stderr, "archml serve: data capture cannot write %s: %s\n", file_path_.c_str(),
                   std::strerror(errno));
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  const std::string line = format(record, run_id_ + "-" + std::to_string(++sequence_)) + "\n";
  if (std::fwrite(line.data(), 1, line.size(), file_) == line.size())
    written_.fetch_add(1, std::memory_order_relaxed);
  else
    dropped_.fetch_add(1, std::memory_order_relaxed);
}

void DataCapture::finish_file() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  file_ = nullptr;
  if (options_.on_file_finished) options_.on_file_finished(file_path_);
}

}  // namespace archml::serve
