// Wall time, CPU time and peak memory of this process, for --stats and for the
// resource metrics that jobs record.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace archml::core {

struct ResourceUsage {
  double wall_seconds = 0;
  double cpu_user_seconds = 0;
  double cpu_system_seconds = 0;
  std::uint64_t peak_rss_bytes = 0;
  std::uint64_t current_rss_bytes = 0;
};

// Measures from construction; usage() may be called any number of times.
class ResourceMeter {
 public:
  ResourceMeter();
  ResourceUsage usage() const;

 private:
  std::chrono::steady_clock::time_point start_;
};

std::uint64_t current_rss_bytes();
std::uint64_t peak_rss_bytes();

// One line such as "wall 1.23 s  cpu 2.10 s  peak memory 412.5 MB".
std::string format_usage(const ResourceUsage& usage);

}  // namespace archml::core
