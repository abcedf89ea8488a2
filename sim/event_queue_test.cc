#include "sim/event_queue.h"

#include <map>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "sim/rng.h"

namespace slotsim::sim {
namespace {

// Pops and runs everything, returning the order of the values pushed.
std::vector<int> Drain(EventQueue& q, std::vector<int>& log) {
  Time at;
  uint32_t slot;
  while ((slot = q.PopUntil(Time::Max(), &at)) != EventQueue::kNoSlot) {
    q.event(slot).callback();
    q.Release(slot);
  }
  return log;
}

TimerId PushLog(EventQueue& q, int64_t at_us, int value, std::vector<int>& log) {
  return q.Push(Time::FromMicros(at_us), EventTag{1, static_cast<uint64_t>(value), 0}, {},
                [&log, value] { log.push_back(value); });
}

TEST(EventQueueTest, OrdersByTimeThenInsertion) {
  EventQueue q;
  std::vector<int> log;
  PushLog(q, 30, 1, log);
  PushLog(q, 10, 2, log);
  PushLog(q, 20, 3, log);
  PushLog(q, 10, 4, log);
  PushLog(q, 10, 5, log);
  EXPECT_EQ(q.pending(), 5u);
  EXPECT_EQ(q.NextTime(), Time::FromMicros(10));
  EXPECT_EQ(Drain(q, log), (std::vector<int>{2, 4, 5, 3, 1}));
  EXPECT_EQ(q.pending(), 0u);
  EXPECT_EQ(q.NextTime(), Time::Max());
}

TEST(EventQueueTest, PopUntilRespectsTheLimit) {
  EventQueue q;
  std::vector<int> log;
  PushLog(q, 10, 1, log);
  PushLog(q, 20, 2, log);
  Time at;
  EXPECT_EQ(q.PopUntil(Time::FromMicros(5), &at), EventQueue::kNoSlot);
  const uint32_t slot = q.PopUntil(Time::FromMicros(10), &at);
  ASSERT_NE(slot, EventQueue::kNoSlot);
  EXPECT_EQ(at, Time::FromMicros(10));
  EXPECT_EQ(q.event(slot).tag.a, 1u);
  q.Release(slot);
  EXPECT_EQ(q.PopUntil(Time::FromMicros(19), &at), EventQueue::kNoSlot);
}

TEST(EventQueueTest, CancelSkipsTheEventAndReleasesCaptures) {
  EventQueue q;
  std::vector<int> log;
  PushLog(q, 10, 1, log);
  const TimerId t = PushLog(q, 5, 2, log);
  PushLog(q, 10, 3, log);
  EXPECT_TRUE(q.IsPending(t));
  EXPECT_TRUE(q.Cancel(t));
  EXPECT_FALSE(q.IsPending(t));
  EXPECT_FALSE(q.Cancel(t));
  EXPECT_EQ(q.pending(), 2u);
  EXPECT_EQ(q.NextTime(), Time::FromMicros(10));
  EXPECT_EQ(Drain(q, log), (std::vector<int>{1, 3}));
}

TEST(EventQueueTest, StaleIdsDoNotCancelReusedSlots) {
  EventQueue q;
  std::vector<int> log;
  const TimerId old = PushLog(q, 1, 1, log);
  Drain(q, log);
  const TimerId fresh = PushLog(q, 2, 2, log);
  EXPECT_EQ(SlotOf(old), SlotOf(fresh));  // the slot was reused...
  EXPECT_NE(old, fresh);                  // ...under a new generation
  EXPECT_FALSE(q.Cancel(old));
  EXPECT_FALSE(q.Cancel(TimerId()));
  EXPECT_TRUE(q.IsPending(fresh));
  EXPECT_EQ(Drain(q, log), (std::vector<int>{1, 2}));
}

TEST(EventQueueTest, ParkedEventsKeepTheirIdAndComeBackInOrder) {
  EventQueue q;
  std::vector<int> log;
  const TimerId a = PushLog(q, 1, 1, log);
  PushLog(q, 2, 2, log);
  PushLog(q, 50, 3, log);
  Time at;
  const uint32_t s1 = q.PopUntil(Time::Max(), &at);
  q.Park(s1);
  const uint32_t s2 = q.PopUntil(Time::Max(), &at);
  q.Park(s2);
  EXPECT_TRUE(q.IsPending(a));
  EXPECT_EQ(q.pending(), 3u);
  // Unparked at 10: both run before the event at 50, in parked order.
  EXPECT_TRUE(q.Unpark(s1, Time::FromMicros(10)));
  EXPECT_TRUE(q.Unpark(s2, Time::FromMicros(10)));
  EXPECT_EQ(Drain(q, log), (std::vector<int>{1, 2, 3}));
}

TEST(EventQueueTest, CancellingAParkedEventFreesItOnUnpark) {
  EventQueue q;
  std::vector<int> log;
  const TimerId a = PushLog(q, 1, 1, log);
  const TimerId b = PushLog(q, 2, 2, log);
  Time at;
  const uint32_t s1 = q.PopUntil(Time::Max(), &at);
  q.Park(s1);
  const uint32_t s2 = q.PopUntil(Time::Max(), &at);
  q.Park(s2);
  EXPECT_TRUE(q.Cancel(a));
  EXPECT_TRUE(q.Cancel(b));
  EXPECT_EQ(q.pending(), 0u);
  EXPECT_FALSE(q.Unpark(s1, Time::FromMicros(3)));
  q.DiscardParked(s2);
  EXPECT_EQ(Drain(q, log), std::vector<int>{});
}

// A randomized comparison against an ordered reference model.
TEST(EventQueueTest, MatchesAReferenceUnderRandomOperations) {
  Rng rng(12345);
  EventQueue q;
  std::vector<int> log;
  std::map<std::pair<int64_t, int>, TimerId> reference;  // (time, push order)
  std::vector<int> expected;
  int next = 0;
  int64_t now = 0;
  for (int step = 0; step < 20000; ++step) {
    const uint64_t op = rng.Uniform(10);
    if (op < 5) {
      const int64_t at = now + static_cast<int64_t>(rng.Uniform(100));
      reference[{at, next}] = PushLog(q, at, next, log);
      ++next;
    } else if (op < 7 && !reference.empty()) {
      auto it = reference.begin();
      std::advance(it, rng.Uniform(reference.size()));
      ASSERT_TRUE(q.Cancel(it->second));
      reference.erase(it);
    } else if (!reference.empty()) {
      Time at;
      const uint32_t slot = q.PopUntil(Time::Max(), &at);
      ASSERT_NE(slot, EventQueue::kNoSlot);
      ASSERT_EQ(at.micros(), reference.begin()->first.first);
      now = at.micros();
      q.event(slot).callback();
      q.Release(slot);
      expected.push_back(reference.begin()->first.second);
      reference.erase(reference.begin());
    }
    ASSERT_EQ(q.pending(), reference.size());
  }
  EXPECT_EQ(log, expected);
}

}  // namespace
}  // namespace slotsim::sim
