#include "archml/core/resources.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>

namespace archml::core {
namespace {

TEST(Resources, PeakMemoryGrowsWithTouchedPages) {
  std::uint64_t before = peak_rss_bytes();
  constexpr std::size_t kBytes = 64 << 20;
  auto block = std::make_unique<char[]>(kBytes);
  std::memset(block.get(), 1, kBytes);  // only touched pages count as resident
  EXPECT_GE(peak_rss_bytes(), before);
  EXPECT_GE(peak_rss_bytes(), kBytes);
  EXPECT_GE(current_rss_bytes(), kBytes);
  EXPECT_EQ(block[kBytes - 1], 1);
}

TEST(Resources, UsageReportsWallAndFormats) {
  ResourceMeter meter;
  volatile double sink = 0;
  for (int i = 0; i < 1000000; ++i) sink = sink + i;
  ResourceUsage usage = meter.usage();
  EXPECT_GT(usage.wall_seconds, 0);
  EXPECT_GT(usage.peak_rss_bytes, 0u);
  std::string line = format_usage(usage);
  EXPECT_NE(line.find("peak memory"), std::string::npos);
  EXPECT_NE(line.find("wall"), std::string::npos);
}

}  // namespace
}  // namespace archml::core
