#include "archml/serve/deadline_list.h"

namespace archml::serve {

void DeadlineList::schedule(DeadlineEntry& entry, TimePoint deadline) {
  if (entry.list != nullptr) entry.list->cancel(entry);
  entry.deadline = deadline;
  entry.list = this;
  // The last entry not later than this one: usually the back.
  DeadlineEntry* before = back_;
  while (before != nullptr && before->deadline > deadline) before = before->previous;
  entry.previous = before;
  entry.next = before != nullptr ? before->next : front_;
  if (entry.next != nullptr)
    entry.next->previous = &entry;
  else
    back_ = &entry;
  if (before != nullptr)
    before->next = &entry;
  else
    front_ = &entry;
}

void DeadlineList::cancel(DeadlineEntry& entry) {
  if (entry.list != this) return;
  if (entry.previous != nullptr)
    entry.previous->next = entry.next;
  else
    front_ = entry.next;
  if (entry.next != nullptr)
    entry.next->previous = entry.previous;
  else
    back_ = entry.previous;
  entry.previous = entry.next = nullptr;
  entry.list = nullptr;
}

DeadlineEntry* DeadlineList::pop_due(TimePoint now) {
  DeadlineEntry* due = front_;
  if (due == nullptr || due->deadline > now) return nullptr;
  cancel(*due);
  return due;
}

}  // namespace archml::serve
