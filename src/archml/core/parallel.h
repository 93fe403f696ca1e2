// Data parallelism without a resident pool: long jobs split their work into
// independent tasks and run them on a few threads. How many is the caller's choice,
// handed down as a plain value from the settings the command line built
// (jobs::JobContext: --threads, ARCHML_THREADS, or the cores of the machine); nothing
// here reads the environment or keeps a process-wide setting.
#pragma once

#include <cstddef>
#include <functional>

namespace archml::core {

// The cores of this machine (always >= 1): the default thread count. Asked once and kept,
// as the answer reads a sysfs file and cannot change while the process runs.
unsigned hardware_threads();

// Runs task(i) for i in [0, tasks) on up to `threads` threads (0 = hardware_threads()),
// handing out indices in order. The first exception thrown by a task is rethrown
// after all threads stop; remaining tasks are skipped.
void parallel_for(std::size_t tasks, const std::function<void(std::size_t)>& task,
                  unsigned threads);

}  // namespace archml::core
