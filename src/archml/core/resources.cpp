#include "archml/core/resources.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace archml::core {

ResourceMeter::ResourceMeter() : start_(std::chrono::steady_clock::now()) {}

ResourceUsage ResourceMeter::usage() const {
  ResourceUsage usage;
  usage.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  usage.cpu_user_seconds =
      static_cast<double>(self.ru_utime.tv_sec) + static_cast<double>(self.ru_utime.tv_usec) / 1e6;
  usage.cpu_system_seconds =
      static_cast<double>(self.ru_stime.tv_sec) + static_cast<double>(self.ru_stime.tv_usec) / 1e6;
  usage.peak_rss_bytes = peak_rss_bytes();
  usage.current_rss_bytes = current_rss_bytes();
  return usage;
}

std::uint64_t peak_rss_bytes() {
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  return static_cast<std::uint64_t>(self.ru_maxrss) * 1024;  // Linux reports kilobytes
}

std::uint64_t current_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size_pages = 0, resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

std::string format_usage(const ResourceUsage& usage) {
  char buffer[160];
  std::snprintf(
      buffer, sizeof buffer, "wall %.2f s  cpu %.2f s (user %.2f, sys %.2f)  peak memory %.1f MB",
      usage.wall_seconds, usage.cpu_user_seconds + usage.cpu_system_seconds, usage.cpu_user_seconds,
      usage.cpu_system_seconds, static_cast<double>(usage.peak_rss_bytes) / 1e6);
  return buffer;
}

}  // namespace archml::core
