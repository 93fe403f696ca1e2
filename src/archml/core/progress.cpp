#include "archml/core/progress.h"

#include <unistd.h>

#include <cstdio>

namespace archml::core {
namespace {

constexpr std::int64_t kRedrawIntervalNs = 100'000'000;  // 10 redraws a second is plenty

std::string human(double value, const std::string& unit) {
  char buffer[64];
  if (unit == "B") {
    const char* suffixes[] = {"B", "KB", "MB", "GB", "TB"};
    int i = 0;
    while (value >= 1000 && i < 4) {
      value /= 1000;
      ++i;
    }
    std::snprintf(buffer, sizeof buffer, "%.1f %s", value, suffixes[i]);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.0f%s%s", value, unit.empty() ? "" : " ", unit.c_str());
  }
  return buffer;
}

}  // namespace

bool Progress::visible(bool shown) {
  return shown && isatty(STDERR_FILENO) == 1;
}

Progress::Progress(std::string label, std::uint64_t total, std::string unit, bool shown)
    : label_(std::move(label)),
      total_(total),
      unit_(std::move(unit)),
      start_(std::chrono::steady_clock::now()),
      active_(visible(shown)) {}

Progress::~Progress() {
  finish();
}

void Progress::advance(std::uint64_t amount) {
  std::uint64_t done = done_.fetch_add(amount, std::memory_order_relaxed) + amount;
  if (active_) draw(done, false);
}

void Progress::draw(std::uint64_t done, bool force) {
  auto now = std::chrono::steady_clock::now();
  std::int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now - start_).count();
  std::int64_t last = last_draw_ns_.load(std::memory_order_relaxed);
  if (!force && now_ns - last < kRedrawIntervalNs) return;
  if (!last_draw_ns_.compare_exchange_strong(last, now_ns) && !force) return;
  std::lock_guard<std::mutex> lock(draw_mutex_);
  if (finished_) return;
  double seconds = static_cast<double>(now_ns) / 1e9;
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  if (total_ > 0) {
    double fraction = static_cast<double>(done) / static_cast<double>(total_);
    if (fraction > 1) fraction = 1;
    constexpr int kWidth = 24;
    int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r\033[K%s [%s] %3.0f%%  %s/s", label_.c_str(), bar.c_str(),
                 fraction * 100, human(rate, unit_).c_str());
  } else {
    std::fprintf(stderr, "\r\033[K%s %s  %s/s", label_.c_str(),
                 human(static_cast<double>(done), unit_).c_str(), human(rate, unit_).c_str());
  }
  std::fflush(stderr);
}

void Progress::finish() {
  std::lock_guard<std::mutex> lock(draw_mutex_);
  if (finished_) return;
  finished_ = true;
  if (active_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

}  // namespace archml::core
