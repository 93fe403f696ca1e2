#include "archml/serve/deadline_list.h"

#include <gtest/gtest.h>

#include <vector>

namespace archml::serve {
namespace {

using std::chrono::seconds;
const DeadlineList::TimePoint kStart{};

std::vector<DeadlineEntry*> pop_all_due(DeadlineList& list, DeadlineList::TimePoint now) {
  std::vector<DeadlineEntry*> due;
  while (DeadlineEntry* entry = list.pop_due(now)) due.push_back(entry);
  return due;
}

TEST(ServeDeadlineList, PopsOnlyWhatIsDueInDeadlineOrder) {
  DeadlineList list;
  DeadlineEntry a, b, c, d;
  list.schedule(a, kStart + seconds(10));
  list.schedule(b, kStart + seconds(12));
  list.schedule(c, kStart + seconds(5));  // earlier than the back: still in order
  list.schedule(d, kStart + seconds(11));
  EXPECT_EQ(list.earliest(), &c);
  EXPECT_TRUE(pop_all_due(list, kStart + seconds(4)).empty());
  EXPECT_EQ(pop_all_due(list, kStart + seconds(11)), (std::vector<DeadlineEntry*>{&c, &a, &d}));
  EXPECT_EQ(c.list, nullptr);
  EXPECT_EQ(list.earliest(), &b);
  EXPECT_EQ(pop_all_due(list, kStart + seconds(100)), (std::vector<DeadlineEntry*>{&b}));
  EXPECT_TRUE(list.empty());
}

TEST(ServeDeadlineList, RescheduleAndCancelMoveAndRemoveAnEntry) {
  DeadlineList list;
  DeadlineEntry a, b, c;
  list.schedule(a, kStart + seconds(1));
  list.schedule(b, kStart + seconds(2));
  list.schedule(c, kStart + seconds(3));
  list.schedule(a, kStart + seconds(4));  // a's deadline moved: now last
  list.cancel(b);
  list.cancel(b);  // twice is harmless
  EXPECT_EQ(pop_all_due(list, kStart + seconds(10)), (std::vector<DeadlineEntry*>{&c, &a}));
  DeadlineEntry lone;
  list.cancel(lone);  // never scheduled: nothing happens
  list.schedule(lone, kStart);
  list.cancel(lone);
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.pop_due(kStart + seconds(100)), nullptr);
}

TEST(ServeDeadlineList, AnEntryIsInOneListAtATimeAndOnlyItsListCancelsIt) {
  DeadlineList first, second;
  DeadlineEntry a, b, c;
  first.schedule(a, kStart + seconds(1));
  second.schedule(b, kStart + seconds(1));
  second.schedule(c, kStart + seconds(2));
  first.cancel(c);  // not first's: both lists stay whole
  EXPECT_EQ(first.earliest(), &a);
  EXPECT_EQ(second.earliest(), &b);
  second.schedule(a, kStart + seconds(3));  // moves from first to second
  EXPECT_TRUE(first.empty());
  EXPECT_EQ(pop_all_due(second, kStart + seconds(9)), (std::vector<DeadlineEntry*>{&b, &c, &a}));
}

}  // namespace
}  // namespace archml::serve
