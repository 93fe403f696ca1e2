#include "archml/core/parallel.h"

#include <atomic>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace archml::core {
namespace {

std::atomic<unsigned> g_override{0};

unsigned default_threads() {
  if (const char* env = std::getenv("ARCHML_THREADS")) {
    char* end = nullptr;
    long value = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && value > 0) return static_cast<unsigned>(value);
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

}  // namespace

unsigned thread_count() {
  unsigned forced = g_override.load();
  return forced != 0 ? forced : default_threads();
}

void set_thread_count(unsigned threads) {
  g_override.store(threads);
}

void parallel_for(std::size_t tasks, const std::function<void(std::size_t)>& task,
                  unsigned threads) {
  if (tasks == 0) return;
  if (threads == 0) threads = thread_count();
  if (threads > tasks) threads = static_cast<unsigned>(tasks);
  if (threads <= 1) {
    for (std::size_t i = 0; i < tasks; ++i) task(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  auto worker = [&] {
    while (!failed.load(std::memory_order_relaxed)) {
      std::size_t i = next.fetch_add(1);
      if (i >= tasks) return;
      try {
        task(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed.store(true);
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace archml::core
