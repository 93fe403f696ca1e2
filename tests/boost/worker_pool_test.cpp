#include "archml/boost/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

namespace archml::boost {
namespace {

TEST(BoostWorkerPool, RunsEveryIndexOnceStepAfterStep) {
  WorkerPool pool(2);
  for (std::size_t tasks : {1u, 2u, 7u, 1000u}) {
    std::vector<std::atomic<int>> seen(tasks);
    pool.run(tasks, [&](std::size_t i) { seen[i].fetch_add(1); });
    for (std::size_t i = 0; i < tasks; ++i) ASSERT_EQ(seen[i].load(), 1) << tasks << " " << i;
  }
}

TEST(BoostWorkerPool, RethrowsATasksExceptionAndStaysUsable) {
  WorkerPool pool(2);
  EXPECT_THROW(pool.run(100,
                        [](std::size_t i) {
                          if (i == 37) throw std::runtime_error("task 37");
                        }),
               std::runtime_error);
  std::atomic<int> count{0};
  pool.run(50, [&](std::size_t) { count.fetch_add(1); });
  EXPECT_EQ(count.load(), 50);
}

TEST(BoostWorkerPool, OneThreadRunsOnTheCaller) {
  WorkerPool pool(1);
  std::vector<int> order;
  pool.run(4, [&](std::size_t i) { order.push_back(static_cast<int>(i)); });
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
}

}  // namespace
}  // namespace archml::boost
