#include "archml/core/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
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

// The thread count is the caller's alone: calls side by side with different counts
// each keep theirs (no process-wide setting leaks from one to the other).
TEST(ParallelFor, UsesNoMoreThreadsThanItsCallerAsked) {
  auto threads_used = [](unsigned threads) {
    std::mutex mutex;
    std::set<std::thread::id> seen;
    parallel_for(
        64,
        [&](std::size_t) {
          std::lock_guard<std::mutex> lock(mutex);
          seen.insert(std::this_thread::get_id());
        },
        threads);
    return seen.size();
  };
  EXPECT_EQ(threads_used(1), 1u);
  EXPECT_LE(threads_used(3), 3u);
  EXPECT_EQ(threads_used(1), 1u);
  EXPECT_GE(hardware_threads(), 1u);
  EXPECT_LE(threads_used(0), hardware_threads());
}

}  // namespace
}  // namespace archml::core
