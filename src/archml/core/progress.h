// Progress of a long step, drawn on stderr only when it is wanted (the caller's
// `shown`: false under --quiet, handed down from jobs::JobContext) and stderr is a
// terminal, so piped and logged output stays clean. Safe to advance from several threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace archml::core {

class Progress {
 public:
  // `total` is in `unit`s (e.g. bytes, rows); 0 means unknown and shows a counter.
  // Nothing is drawn unless `shown` and stderr is a terminal.
  Progress(std::string label, std::uint64_t total, std::string unit, bool shown);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::uint64_t amount);
  // Clears the line; called by the destructor if not called before.
  void finish();

  // Whether progress would be drawn at all: `shown` and stderr is a terminal.
  static bool visible(bool shown);

 private:
  void draw(std::uint64_t done, bool force);

  std::string label_;
  std::uint64_t total_;
  std::string unit_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::int64_t> last_draw_ns_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex draw_mutex_;
  bool active_;
  bool finished_ = false;
};

}  // namespace archml::core
