// Data capture, the input of SageMaker Model Monitor: a sample of requests and their
// responses appended as JSON lines in SageMaker's capture format
//   {"captureData": {"endpointInput": {"observedContentType", "mode": "INPUT", "data",
//    "encoding"}, "endpointOutput": {... "mode": "OUTPUT" ...}},
//    "eventMetadata": {"eventId", "inferenceId", "inferenceTime"}, "eventVersion": "0"}
// ("inferenceId" only when the request named one in its X-Amzn-SageMaker-Inference-Id
// header, as SageMaker records it; `archml monitor quality` joins labels on it)
// (encoding CSV or JSON when the data is that text, else BASE64), into hourly files laid
// out as SageMaker lays them out in S3:
//   ROOT/<endpoint>/<variant>/yyyy/mm/dd/hh/<start time>-<pid>.jsonl
// A background thread formats and writes; submit() only copies the record's bytes to the
// end of one pending buffer (no per-record allocation, one short critical section) and
// drops the record (counted) when the bounded queue is full, so capture never slows or
// fails a request. The writer takes the whole buffer at once, formats the batch and writes
// it with one call. Records the writer cannot write (the directory or the disk failed) are
// counted apart as failed, and said on stderr when writing starts and stops failing.
// When an hourly file is complete (the hour turned, or the writer stopped) it is handed
// to `on_file_finished`, where an artifact store can pick it up.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace archml::serve {

struct CaptureOptions {
  std::filesystem::path root;
  std::string endpoint = "archml";
  std::string variant = "AllTraffic";
  double percent = 100;                               // of requests captured, 0..100
  std::size_t queue_limit = 100000;                   // records waiting for the writer
  std::size_t queue_limit_bytes = 256 * 1024 * 1024;  // and their bytes
  std::function<void(const std::filesystem::path&)> on_file_finished;
};

// Views of one request and its response; submit() copies them.
struct CaptureRecord {
  std::string_view input;
  std::string_view input_content_type;
  std::string_view output;
  std::string_view output_content_type;
  std::chrono::system_clock::time_point time;
  std::string_view inference_id;  // empty: none
};

class DataCapture {
 public:
  // Throws archml::Error (invalid input) for a percent outside 0..100, and (I/O) when no
  // file can be created under the root (tried at once, so a bad --capture-dir fails the
  // start, not every request).
  explicit DataCapture(CaptureOptions options);
  // Writes what is queued, finishes the current file and stops the thread.
  ~DataCapture();
  DataCapture(const DataCapture&) = delete;
  DataCapture& operator=(const DataCapture&) = delete;

  // Whether this request is in the sample: exactly `percent` of calls, spread evenly.
  bool sample();
  // Queues the record; false when the queue was full and it was dropped.
  bool submit(const CaptureRecord& record);

  std::uint64_t written() const { return written_.load(std::memory_order_relaxed); }
  std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  std::uint64_t failed() const { return failed_.load(std::memory_order_relaxed); }

  // One record as its JSON line (without the newline); `event_id` names it uniquely.
  static std::string format(const CaptureRecord& record, const std::string& event_id);

 private:
  void writer_loop();
  void write_batch(std::string_view batch);
  void open_file(std::chrono::system_clock::time_point time);
  void write_out(std::string& lines, std::uint64_t records);
  void finish_file();
  void count_failed(std::uint64_t records, const std::string& why);

  CaptureOptions options_;
  std::atomic<std::uint64_t> sampled_calls_{0};
  std::atomic<std::uint64_t> written_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> failed_{0};
  bool failing_ = false;  // the writer's last attempt failed (said once on stderr)
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string pending_;  // records as submit() packs them, oldest first
  std::size_t pending_records_ = 0;
  bool stopping_ = false;
  std::FILE* file_ = nullptr;
  std::filesystem::path file_path_;
  std::int64_t file_hour_ = -1;
  std::uint64_t sequence_ = 0;
  std::string run_id_;
  std::thread thread_;
};

}  // namespace archml::serve
