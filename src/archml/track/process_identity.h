// Which process a job runs in, told apart from a later process that reuses its PID: the
// host name, the PID and the start time in clock ticks since boot (field 22 of
// /proc/PID/stat), the pair that identifies a process on Linux until the next reboot.
#pragma once

#include <string>

namespace archml::track {

struct ProcessIdentity {
  std::string host;
  long pid = 0;
  std::string start;  // empty when /proc is unavailable
};

ProcessIdentity current_process();

// The start token of process `pid`, or empty when no such process runs (a zombie has
// ended). Linux only: archml reads /proc.
std::string process_start(long pid);

// True when `identity` (of this host) still names a running process.
bool is_running(const ProcessIdentity& identity);

}  // namespace archml::track
