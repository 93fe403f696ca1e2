// Data parallelism without a resident pool: long jobs split their work into
// independent tasks and run them on a few threads. The thread count comes from
// --threads / ARCHML_THREADS, defaulting to the cores of the machine.
#pragma once

#include <cstddef>
#include <functional>

namespace archml::core {

// Threads that parallel work may use (always >= 1).
unsigned thread_count();
// Overrides thread_count() for this process; 0 restores the default.
void set_thread_count(unsigned threads);

// Runs task(i) for i in [0, tasks) on up to `threads` threads (0 = thread_count()),
// handing out indices in order. The first exception thrown by a task is rethrown
// after all threads stop; remaining tasks are skipped.
void parallel_for(std::size_t tasks, const std::function<void(std::size_t)>& task,
                  unsigned threads = 0);

}  // namespace archml::core
