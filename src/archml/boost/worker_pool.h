// A fixed set of worker threads for the engine's many short parallel steps (a dozen or
// more per round): threads are started once, not per step, so a round costs no thread
// creation, stack faults or exits, and the workers stay ready between steps.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace archml::boost {

class WorkerPool {
 public:
  // `threads` counts the caller: threads - 1 workers are started (none for 0 or 1).
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs task(i) for every i in [0, tasks) on the workers and the calling thread, each
  // index once, and returns when all are done; rethrows the first exception a task threw
  // (the remaining indices are then skipped). Not reentrant.
  void run(std::size_t tasks, const std::function<void(std::size_t)>& task);

 private:
  void work();
  void worker_loop();

  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  const std::function<void(std::size_t)>* task_ = nullptr;
  std::size_t tasks_ = 0;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> failed_{false};
  std::exception_ptr error_;
  unsigned busy_ = 0;
  std::uint64_t generation_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace archml::boost
