#include "archml/serve/capture_reader.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <set>

#include <nlohmann/json.hpp>

#include "archml/core/base64.h"
#include "archml/core/error.h"
#include "archml/core/parallel.h"
#include "archml/serve/request_decoding.h"

namespace archml::serve {

namespace capture_detail {

// One thread's share of the rows: an accumulator per column, and what it saw.
struct RowShard {
  std::vector<monitor::FeatureAccumulator> columns;
  std::set<std::string> carried;
  std::uint64_t rows = 0;
  std::uint64_t failed = 0;
  std::vector<std::string> failures;
};

}  // namespace capture_detail

using capture_detail::RowShard;
namespace {

// A small JSON reader for capture lines: it walks any JSON value and keeps the string
// values of the paths a capture record has; other values are checked and skipped. Faster
// than building a document per line, which matters at millions of records.
class CaptureLineReader {
 public:
  CaptureLineReader(std::string_view text, CapturedEvent& event, std::string& encoding)
      : text_(text), event_(event), encoding_(encoding) {}

  bool read() {
    skip_blanks();
    if (!value(0)) return false;
    skip_blanks();
    return at_ == text_.size();
  }

 private:
  // Where a string at this path goes (path: the keys from the root, joined by '.').
  std::string* target(std::string_view path) {
    if (path == "captureData.endpointInput.data") return &event_.input;
    if (path == "captureData.endpointInput.observedContentType") return &event_.input_content_type;
    if (path == "captureData.endpointInput.encoding") return &encoding_;
    if (path == "captureData.endpointOutput.data") return &event_.output;
    if (path == "captureData.endpointOutput.observedContentType")
      return &event_.output_content_type;
    if (path == "eventMetadata.eventId") return &event_.event_id;
    if (path == "eventMetadata.inferenceId") return &event_.inference_id;
    if (path == "eventMetadata.inferenceTime") return &event_.inference_time;
    return nullptr;
  }

  void skip_blanks() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\r' || text_[at_] == '\n'))
      ++at_;
  }

  bool value(int depth) {
    if (depth > 64 || at_ >= text_.size()) return false;
    const char c = text_[at_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') return string(nullptr);
    return scalar();
  }

  bool object(int depth) {
    ++at_;
    skip_blanks();
    if (at_ < text_.size() && text_[at_] == '}') return ++at_, true;
    while (true) {
      skip_blanks();
      std::string key;
      if (at_ >= text_.size() || text_[at_] != '"' || !string(&key)) return false;
      skip_blanks();
      if (at_ >= text_.size() || text_[at_++] != ':') return false;
      skip_blanks();
      const std::size_t path_size = path_.size();
      if (!path_.empty()) path_ += '.';
      path_ += key;
      bool ok;
      if (at_ < text_.size() && text_[at_] == '"')
        ok = string(target(path_));
      else
        ok = value(depth + 1);
      path_.resize(path_size);
      if (!ok) return false;
      skip_blanks();
      if (at_ >= text_.size()) return false;
      if (text_[at_] == '}') return ++at_, true;
      if (text_[at_++] != ',') return false;
    }
  }

  bool array(int depth) {
    ++at_;
    skip_blanks();
    if (at_ < text_.size() && text_[at_] == ']') return ++at_, true;
    const std::size_t path_size = path_.size();
    path_ += "[]";  // strings inside arrays are never kept
    while (true) {
      skip_blanks();
      if (!value(depth + 1)) return false;
      skip_blanks();
      if (at_ >= text_.size()) return false;
      if (text_[at_] == ']') break;
      if (text_[at_++] != ',') return false;
    }
    ++at_;
    path_.resize(path_size);
    return true;
  }

  bool scalar() {
    const std::size_t start = at_;
    while (at_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[at_])) ||
                                  text_[at_] == '+' || text_[at_] == '-' || text_[at_] == '.'))
      ++at_;
    const std::string_view token = text_.substr(start, at_ - start);
    if (token.empty()) return false;
    if (token == "true" || token == "false" || token == "null") return true;
    return token.find_first_not_of("+-.0123456789eE") == std::string_view::npos;
  }

  // A JSON string into `out` (unescaped), or only checked when `out` is null.
  bool string(std::string* out) {
    ++at_;
    const std::size_t start = at_;
    std::size_t quote = at_;  // a plain loop: find_first_of calls memchr per character
    while (quote < text_.size() && text_[quote] != '"' && text_[quote] != '\\') ++quote;
    if (quote == text_.size()) return false;
    if (text_[quote] == '"') {  // no escapes: the common case
      if (out != nullptr) out->assign(text_.substr(start, quote - start));
      at_ = quote + 1;
      return true;
    }
    std::string scratch;
    std::string& into = out != nullptr ? *out : scratch;
    into.assign(text_.substr(start, quote - start));
    at_ = quote;
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (c == '"') return true;
      if (c != '\\') {
        into += c;
        continue;
      }
      if (at_ >= text_.size()) return false;
      const char e = text_[at_++];
      switch (e) {
        case '"':
          into += '"';
          break;
        case '\\':
          into += '\\';
          break;
        case '/':
          into += '/';
          break;
        case 'b':
          into += '\b';
          break;
        case 'f':
          into += '\f';
          break;
        case 'n':
          into += '\n';
          break;
        case 'r':
          into += '\r';
          break;
        case 't':
          into += '\t';
          break;
        case 'u':
          if (!unicode(into)) return false;
          break;
        default:
          return false;
      }
    }
    return false;
  }

  bool hex4(std::uint32_t& code) {
    if (at_ + 4 > text_.size()) return false;
    code = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[at_++];
      code <<= 4;
      if (h >= '0' && h <= '9')
        code |= static_cast<std::uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f')
        code |= static_cast<std::uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        code |= static_cast<std::uint32_t>(h - 'A' + 10);
      else
        return false;
    }
    return true;
  }

  bool unicode(std::string& into) {
    std::uint32_t code = 0;
    if (!hex4(code)) return false;
    if (code >= 0xD800 && code < 0xDC00 && at_ + 6 <= text_.size() && text_[at_] == '\\' &&
        text_[at_ + 1] == 'u') {
      at_ += 2;
      std::uint32_t low = 0;
      if (!hex4(low)) return false;
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    if (code < 0x80) {
      into += static_cast<char>(code);
    } else if (code < 0x800) {
      into += static_cast<char>(0xC0 | (code >> 6));
      into += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      into += static_cast<char>(0xE0 | (code >> 12));
      into += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      into += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      into += static_cast<char>(0xF0 | (code >> 18));
      into += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      into += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      into += static_cast<char>(0x80 | (code & 0x3F));
    }
    return true;
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::string path_;
  CapturedEvent& event_;
  std::string& encoding_;
};

bool in_window(std::string_view time, std::string_view since, std::string_view until) {
  if (!since.empty() && time < since) return false;
  if (!until.empty() && time >= until) return false;
  return true;
}

using TypeList = std::vector<std::pair<std::string, monitor::InferredType>>;

void add_field(monitor::FeatureAccumulator& column, monitor::InferredType type,
               std::string_view field) {
  if (type == monitor::InferredType::kString && !monitor::is_missing_text(field))
    column.add_string(field);
  else
    column.add_text(field);
}

// The text a JSON value stands for in a row, as the endpoint's decoder reads it.
std::string json_field(const nlohmann::json& value) {
  if (value.is_null()) return {};
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return value.dump();
}

// JSON bodies are read once more for their object keys: columns the baseline lacks
// (extra), and rows lacking a column, which the endpoint's decoder refuses whole, are
// still counted column by column here.
void scan_json_objects(std::string_view body, bool lines, const TypeList& types,
                       const std::map<std::string, std::size_t>& index, RowShard& shard,
                       bool add_values) {
  std::vector<nlohmann::json> instances;
  auto collect = [&](const nlohmann::json& document) {
    if (document.is_object() && document.contains("instances") && document["instances"].is_array())
      for (const auto& item : document["instances"]) instances.push_back(item);
    else if (document.is_array())
      for (const auto& item : document) instances.push_back(item);
    else
      instances.push_back(document);
  };
  try {
    if (lines) {
      std::size_t start = 0;
      while (start < body.size()) {
        std::size_t end = body.find('\n', start);
        if (end == std::string_view::npos) end = body.size();
        const std::string_view line = body.substr(start, end - start);
        if (line.find_first_not_of(" \t\r") != std::string_view::npos)
          collect(nlohmann::json::parse(line));
        start = end + 1;
      }
    } else {
      collect(nlohmann::json::parse(body));
    }
  } catch (const nlohmann::json::exception&) {
    return;
  }
  for (const auto& instance : instances) {
    if (!instance.is_object()) continue;
    for (const auto& [key, value] : instance.items()) {
      shard.carried.insert(key);
      const auto found = index.find(key);
      if (add_values && found != index.end())
        add_field(shard.columns[found->second], types[found->second].second, json_field(value));
    }
    if (add_values) ++shard.rows;
  }
}

void decode_event(const CapturedEvent& event, const RowLayout& layout, const TypeList& types,
                  const std::map<std::string, std::size_t>& index, RowShard& shard) {
  const auto format = body_format_of(event.input_content_type);
  const bool json = format == BodyFormat::kJson || format == BodyFormat::kJsonLines;
  try {
    if (!format || *format == BodyFormat::kLibsvm)
      throw_invalid("content type '" + event.input_content_type +
                    "' carries no raw columns to monitor");
    const DecodedRows rows = decode_rows(*format, event.input, layout, false);
    std::vector<std::ptrdiff_t> slots;
    for (const auto& column : rows.columns) {
      shard.carried.insert(column);
      const auto found = index.find(column);
      slots.push_back(found == index.end() ? -1 : static_cast<std::ptrdiff_t>(found->second));
    }
    for (const auto& fields : rows.fields)
      for (std::size_t c = 0; c < fields.size() && c < slots.size(); ++c)
        if (slots[c] >= 0)
          add_field(shard.columns[static_cast<std::size_t>(slots[c])],
                    types[static_cast<std::size_t>(slots[c])].second, fields[c]);
    shard.rows += rows.count;
    if (json)
      scan_json_objects(event.input, *format == BodyFormat::kJsonLines, types, index, shard, false);
  } catch (const Error& error) {
    ++shard.failed;
    if (shard.failures.size() < 5)
      shard.failures.push_back("event " + event.event_id + ": " + error.what());
    if (json)
      scan_json_objects(event.input, *format == BodyFormat::kJsonLines, types, index, shard, true);
  }
}

}  // namespace

void parse_capture_text(std::string_view text, std::string_view file, std::string_view since,
                        std::string_view until, CaptureParse& out) {
  std::size_t start = 0;
  std::size_t line_number = 0;
  std::uint64_t broken_here = 0;
  std::string encoding;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    const bool last_without_newline = end == std::string_view::npos;
    if (last_without_newline) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    CapturedEvent event;
    encoding.clear();
    CaptureLineReader reader(line, event, encoding);
    if (!reader.read()) {
      if (last_without_newline) {
        out.truncated = true;
        out.warnings.push_back(std::string(file) + ": the last record (line " +
                               std::to_string(line_number) +
                               ") is cut short (a crash, or the file is still being written); "
                               "read up to the record before it");
      } else {
        ++broken_here;
      }
      continue;
    }
    if (encoding == "BASE64") {
      auto bytes = core::base64_decode(event.input);
      if (!bytes) {
        ++broken_here;
        continue;
      }
      event.input = std::move(*bytes);
    }
    if (!in_window(event.inference_time, since, until)) continue;
    out.events.push_back(std::move(event));
  }
  if (broken_here > 0)
    out.warnings.push_back(std::string(file) + ": " + std::to_string(broken_here) +
                           " line(s) are not capture records and were left out");
  out.broken_lines += broken_here;
}

namespace {

// Edges of `blocks` pieces of `text`, each (but the last) ending just after a newline.
std::vector<std::size_t> line_block_edges(std::string_view text, std::size_t blocks) {
  std::vector<std::size_t> edges = {0};
  for (std::size_t b = 1; b < blocks; ++b) {
    const std::size_t newline = text.find('\n', std::max(edges.back(), text.size() * b / blocks));
    if (newline == std::string_view::npos) break;
    edges.push_back(newline + 1);
  }
  edges.push_back(text.size());
  return edges;
}

unsigned thread_count(unsigned threads) {
  return threads == 0 ? core::hardware_threads() : threads;
}

void append_parse(CaptureParse& out, CaptureParse&& part) {
  out.events.insert(out.events.end(), std::make_move_iterator(part.events.begin()),
                    std::make_move_iterator(part.events.end()));
  out.broken_lines += part.broken_lines;
  out.truncated = out.truncated || part.truncated;
  for (auto& warning : part.warnings) out.warnings.push_back(std::move(warning));
}

}  // namespace

void parse_capture_file(std::string_view text, std::string_view file, std::string_view since,
                        std::string_view until, unsigned threads, CaptureParse& out) {
  const std::vector<std::size_t> edges = line_block_edges(
      text, std::min<std::size_t>(thread_count(threads), text.size() / (4 << 20) + 1));
  std::vector<CaptureParse> parts(edges.size() - 1);
  core::parallel_for(
      parts.size(),
      [&](std::size_t b) {
        parse_capture_text(text.substr(edges[b], edges[b + 1] - edges[b]), file, since, until,
                           parts[b]);
      },
      static_cast<unsigned>(parts.size()));
  for (auto& part : parts) append_parse(out, std::move(part));
}

CapturedRowsBuilder::CapturedRowsBuilder(const RowLayout& layout, TypeList types, unsigned threads)
    : layout_(layout), types_(std::move(types)), threads_(thread_count(threads)) {
  for (std::size_t c = 0; c < types_.size(); ++c) index_[types_[c].first] = c;
  for (unsigned t = 0; t < threads_; ++t) {
    shards_.push_back(std::make_unique<RowShard>());
    for (const auto& [name, type] : types_) shards_.back()->columns.emplace_back(name);
  }
}

CapturedRowsBuilder::~CapturedRowsBuilder() = default;

void CapturedRowsBuilder::add_events(const std::vector<CapturedEvent>& events) {
  const std::size_t shards = std::min<std::size_t>(threads_, events.size() / 1024 + 1);
  core::parallel_for(
      shards,
      [&](std::size_t s) {
        for (std::size_t e = events.size() * s / shards; e < events.size() * (s + 1) / shards; ++e)
          decode_event(events[e], layout_, types_, index_, *shards_[s]);
      },
      static_cast<unsigned>(shards));
  records_ += events.size();
}

void CapturedRowsBuilder::add_file(std::string_view text, std::string_view file,
                                   std::string_view since, std::string_view until,
                                   CaptureParse& warnings) {
  // One range of whole lines per thread, each parsed and decoded a few MB at a time, so
  // the events of a block never outlive it.
  constexpr std::size_t kBlockBytes = 4 << 20;
  const std::vector<std::size_t> ranges =
      line_block_edges(text, std::min<std::size_t>(threads_, text.size() / kBlockBytes + 1));
  std::vector<CaptureParse> parts(ranges.size() - 1);
  std::vector<std::uint64_t> counts(parts.size(), 0);
  core::parallel_for(
      parts.size(),
      [&](std::size_t r) {
        const std::string_view range = text.substr(ranges[r], ranges[r + 1] - ranges[r]);
        const std::vector<std::size_t> blocks =
            line_block_edges(range, range.size() / kBlockBytes + 1);
        for (std::size_t b = 0; b + 1 < blocks.size(); ++b) {
          CaptureParse block;
          parse_capture_text(range.substr(blocks[b], blocks[b + 1] - blocks[b]), file, since, until,
                             block);
          for (const auto& event : block.events)
            decode_event(event, layout_, types_, index_, *shards_[r]);
          counts[r] += block.events.size();
          block.events.clear();
          append_parse(parts[r], std::move(block));
        }
      },
      static_cast<unsigned>(parts.size()));
  for (std::size_t r = 0; r < parts.size(); ++r) {
    records_ += counts[r];
    append_parse(warnings, std::move(parts[r]));
  }
}

CapturedRows CapturedRowsBuilder::finish() && {
  CapturedRows out;
  out.records = records_;
  std::set<std::string> carried;
  for (std::size_t s = 0; s < shards_.size(); ++s) {
    RowShard& part = *shards_[s];
    out.rows += part.rows;
    out.failed_records += part.failed;
    for (auto& failure : part.failures)
      if (out.failures.size() < 5) out.failures.push_back(std::move(failure));
    carried.insert(part.carried.begin(), part.carried.end());
    if (s > 0)
      for (std::size_t c = 0; c < types_.size(); ++c)
        shards_[0]->columns[c].merge(std::move(part.columns[c]));
  }
  out.statistics.item_count = out.rows;
  for (std::size_t c = 0; c < types_.size(); ++c)
    out.statistics.features.push_back(std::move(shards_[0]->columns[c]).finish(types_[c].second));
  out.columns.assign(carried.begin(), carried.end());
  return out;
}

CapturedRows captured_rows(const std::vector<CapturedEvent>& events, const RowLayout& layout,
                           const TypeList& types, unsigned threads) {
  CapturedRowsBuilder builder(layout, types, threads);
  builder.add_events(events);
  return std::move(builder).finish();
}

}  // namespace archml::serve
