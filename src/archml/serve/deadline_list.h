// Deadlines kept in time order in an intrusive doubly linked list: the endpoint's
// connection timers. Scheduling inserts from the back, so when every entry of a list
// gets "now + the same timeout" (one list per kind of timeout) an insert, a cancel and
// finding the earliest deadline all cost O(1), with no allocation; a deadline earlier
// than the back still lands in order. The owner embeds a DeadlineEntry (or derives from
// it) and must cancel it before the entry goes away. An entry is in one list at a time.
#pragma once

#include <chrono>

namespace archml::serve {

class DeadlineList;

struct DeadlineEntry {
  DeadlineEntry* previous = nullptr;
  DeadlineEntry* next = nullptr;
  std::chrono::steady_clock::time_point deadline;
  DeadlineList* list = nullptr;  // where it is scheduled, or null
};

class DeadlineList {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  DeadlineList() = default;
  DeadlineList(const DeadlineList&) = delete;
  DeadlineList& operator=(const DeadlineList&) = delete;

  // Schedules `entry` at `deadline`, first taking it out of the list it was in (this one
  // or another).
  void schedule(DeadlineEntry& entry, TimePoint deadline);
  // Takes `entry` out if it is scheduled in this list; otherwise nothing.
  void cancel(DeadlineEntry& entry);
  // The earliest scheduled entry, or null.
  DeadlineEntry* earliest() const { return front_; }
  // Takes out and returns the earliest entry whose deadline is at or before `now`, or null.
  DeadlineEntry* pop_due(TimePoint now);
  bool empty() const { return front_ == nullptr; }

 private:
  DeadlineEntry* front_ = nullptr;
  DeadlineEntry* back_ = nullptr;
};

}  // namespace archml::serve
