// Reading the endpoint's data capture back (data_capture.h), for `archml monitor`: the
// JSON lines of capture files into events, and the events' request bodies into rows the
// way /invocations decodes them (request_decoding.h), accumulated as column statistics.
//
// A capture file cut short (the endpoint crashed, or is still writing it) is read up to
// its last complete record: a last line without its newline that does not parse is left
// out with a warning; a broken line elsewhere is counted and said, never fatal.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "archml/monitor/statistics.h"
#include "archml/serve/serving_model.h"

namespace archml::serve {

struct CapturedEvent {
  std::string input;  // decoded from base64 when so encoded
  std::string input_content_type;
  std::string output;
  std::string output_content_type;
  std::string event_id;
  std::string inference_id;
  std::string inference_time;  // ISO 8601 UTC, e.g. 2026-12-08T04:05:06.789Z
};

struct CaptureParse {
  std::vector<CapturedEvent> events;
  std::uint64_t broken_lines = 0;     // lines that are no capture record
  bool truncated = false;             // the last line was cut short
  std::vector<std::string> warnings;  // what a user should hear, one line each
};

// Events of one capture file's text whose inferenceTime is in [since, until) (empty
// bounds are open; times compare as ISO 8601 text). `file` names it in warnings.
void parse_capture_text(std::string_view text, std::string_view file, std::string_view since,
                        std::string_view until, CaptureParse& out);

// The same over the whole text of a file, in blocks of whole lines on up to `threads`
// threads (0 = every core); events keep the file's order.
void parse_capture_file(std::string_view text, std::string_view file, std::string_view since,
                        std::string_view until, unsigned threads, CaptureParse& out);

// The rows of captured requests as column statistics.
struct CapturedRows {
  std::uint64_t records = 0;          // events read
  std::uint64_t rows = 0;             // rows rebuilt from them
  std::uint64_t failed_records = 0;   // bodies that could not be decoded
  std::vector<std::string> failures;  // the first few reasons
  std::vector<std::string> columns;   // every column a row carried (extra ones too)
  monitor::DatasetStatistics statistics;
};

namespace capture_detail {
struct RowShard;  // one thread's accumulators (capture_reader.cpp)
}

using ColumnTypes = std::vector<std::pair<std::string, monitor::InferredType>>;

// Decodes captured requests with `layout` (raw rows, as the endpoint without --prepared
// reads them) into the statistics of the columns named in `types` (name and the
// baseline's type), on up to `threads` threads (0 = every core).
class CapturedRowsBuilder {
 public:
  CapturedRowsBuilder(const RowLayout& layout, ColumnTypes types, unsigned threads);
  ~CapturedRowsBuilder();
  CapturedRowsBuilder(const CapturedRowsBuilder&) = delete;
  CapturedRowsBuilder& operator=(const CapturedRowsBuilder&) = delete;

  void add_events(const std::vector<CapturedEvent>& events);
  // A capture file's text, parsed and decoded block by block (no event outlives its
  // block); its warnings, broken lines and truncation go to `warnings` (no events).
  void add_file(std::string_view text, std::string_view file, std::string_view since,
                std::string_view until, CaptureParse& warnings);
  CapturedRows finish() &&;

 private:
  const RowLayout& layout_;
  ColumnTypes types_;
  unsigned threads_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::unique_ptr<capture_detail::RowShard>> shards_;  // one per thread
  std::uint64_t records_ = 0;
};

// Decodes every event's request with `layout` (raw rows, as the endpoint without
// --prepared reads them) and computes the statistics of the columns named in `types`
// (name and the baseline's type), on up to `threads` threads (0 = every core).
CapturedRows captured_rows(const std::vector<CapturedEvent>& events, const RowLayout& layout,
                           const std::vector<std::pair<std::string, monitor::InferredType>>& types,
                           unsigned threads);

}  // namespace archml::serve
