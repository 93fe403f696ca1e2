#include "archml/core/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

namespace archml::core {
namespace {

TEST(ParallelFor, RunsEveryTaskExactlyOnce) {
  std::vector<std::atomic<int>> hits(1000);
  parallel_for(
      hits.size(), [&](std::size_t i) { hits[i].fetch_add(1); }, 4);
  for (const auto& hit : hits) EXPECT_EQ(hit.load(), 1);
}

TEST(ParallelFor, RethrowsTheFirstFailure) {
  EXPECT_THROW(parallel_for(
                   100,
                   [](std::size_t i) {
                     if (i == 7) throw std::runtime_error("task 7 failed");
                   },
                   3),
               std::runtime_error);
}

TEST(ParallelFor, ThreadCountOverrideWins) {
  set_thread_count(3);
  EXPECT_EQ(thread_count(), 3u);
  set_thread_count(0);
  EXPECT_GE(thread_count(), 1u);
}

}  // namespace
}  // namespace archml::core
