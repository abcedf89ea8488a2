#include "sim/simulator.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace slotsim::sim {
namespace {

EventTag Tag(uint64_t a) { return EventTag{1, a, 0}; }

TEST(SimulatorTest, RunsEventsInTimeThenInsertionOrder) {
  Simulator sim;
  std::vector<std::string> log;
  sim.Schedule(Time::FromMillis(20), Tag(1),
               [&] { log.push_back("b@" + sim.now().ToString()); });
  sim.Schedule(Time::FromMillis(10), Tag(2), [&] { log.push_back("a1"); });
  sim.Schedule(Time::FromMillis(10), Tag(3), [&] { log.push_back("a2"); });
  sim.Schedule(Time::FromMillis(10), Tag(4), [&] {
    log.push_back("a3");
    // Scheduled "now" from inside an event: runs after what is already due.
    sim.ScheduleAfter(Duration::Zero(), Tag(5), [&] { log.push_back("a4"); });
  });
  while (sim.Step()) {
  }
  EXPECT_EQ(log, (std::vector<std::string>{"a1", "a2", "a3", "a4", "b@0.020s"}));
  EXPECT_EQ(sim.events_dispatched(), 5u);
  EXPECT_EQ(sim.now(), Time::FromMillis(20));
  EXPECT_FALSE(sim.Step());
}

TEST(SimulatorTest, RunUntilStopsAtTheDeadlineInclusive) {
  Simulator sim;
  int ran = 0;
  sim.Schedule(Time::FromMillis(10), Tag(1), [&] { ++ran; });
  sim.Schedule(Time::FromMillis(11), Tag(2), [&] { ++ran; });
  sim.RunUntil(Time::FromMillis(10));
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(sim.now(), Time::FromMillis(10));
  sim.RunFor(Duration::Millis(5));
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(sim.now(), Time::FromMillis(15));
  EXPECT_EQ(sim.pending_events(), 0u);
}

TEST(SimulatorTest, RunUntilPredicateStopsAfterTheEventThatSatisfiesIt) {
  Simulator sim;
  int count = 0;
  for (int i = 1; i <= 10; ++i) {
    sim.Schedule(Time::FromMillis(i), Tag(i), [&] { ++count; });
  }
  EXPECT_TRUE(sim.RunUntil([&] { return count == 3; }, Time::FromMillis(100)));
  EXPECT_EQ(sim.now(), Time::FromMillis(3));
  EXPECT_EQ(count, 3);
  // Already true: returns at once without running anything.
  EXPECT_TRUE(sim.RunUntil([&] { return count >= 3; }, Time::FromMillis(100)));
  EXPECT_EQ(count, 3);
  EXPECT_FALSE(sim.RunUntil([&] { return count > 100; }, Time::FromMillis(50)));
  EXPECT_EQ(count, 10);
  EXPECT_EQ(sim.now(), Time::FromMillis(50));
}

TEST(SimulatorTest, CancelledEventsDoNotRun) {
  Simulator sim;
  bool ran = false;
  const TimerId t = sim.ScheduleAfter(Duration::Millis(1), Tag(1), [&] { ran = true; });
  EXPECT_TRUE(sim.IsPending(t));
  EXPECT_TRUE(sim.Cancel(t));
  EXPECT_FALSE(sim.Cancel(t));
  sim.RunFor(Duration::Millis(2));
  EXPECT_FALSE(ran);
  EXPECT_EQ(sim.events_dispatched(), 0u);
}

TEST(SimulatorTest, AnEventMayCancelAnother) {
  Simulator sim;
  bool second_ran = false;
  TimerId second;
  sim.Schedule(Time::FromMillis(1), Tag(1), [&] { EXPECT_TRUE(sim.Cancel(second)); });
  second = sim.Schedule(Time::FromMillis(1), Tag(2), [&] { second_ran = true; });
  sim.RunUntil(Time::FromMillis(5));
  EXPECT_FALSE(second_ran);
}

TEST(SimulatorTest, HooksRunAfterEveryDispatchedEvent) {
  Simulator sim;
  std::vector<std::string> log;
  sim.AddAfterEventHook([&] { log.push_back("hook1"); });
  sim.AddAfterEventHook([&] { log.push_back("hook2"); });
  sim.Schedule(Time::FromMillis(1), Tag(1), [&] { log.push_back("e1"); });
  sim.Schedule(Time::FromMillis(2), Tag(2), [&] { log.push_back("e2"); });
  sim.RunUntil(Time::FromMillis(3));
  EXPECT_EQ(log,
            (std::vector<std::string>{"e1", "hook1", "hook2", "e2", "hook1", "hook2"}));
}

uint64_t HashOfSchedule(const std::vector<std::pair<int, uint64_t>>& events) {
  Simulator sim;
  for (auto [ms, a] : events) sim.Schedule(Time::FromMillis(ms), Tag(a), [] {});
  sim.RunUntil(Time::FromMillis(1000));
  return sim.trace_hash();
}

TEST(SimulatorTest, TraceHashDependsOnTimesTagsAndOrder) {
  const uint64_t h = HashOfSchedule({{1, 1}, {2, 2}});
  EXPECT_EQ(h, HashOfSchedule({{1, 1}, {2, 2}}));
  EXPECT_EQ(h, HashOfSchedule({{2, 2}, {1, 1}}));  // same dispatch order
  EXPECT_NE(h, HashOfSchedule({{1, 1}, {3, 2}}));
  EXPECT_NE(h, HashOfSchedule({{1, 1}, {2, 3}}));
  EXPECT_NE(HashOfSchedule({{1, 1}, {1, 2}}), HashOfSchedule({{1, 2}, {1, 1}}));
  Simulator empty;
  EXPECT_EQ(empty.trace_hash(), TraceHash().value());
}

TEST(SimulatorTest, TraceHashMatchesTheDocumentedEncoding) {
  Simulator sim;
  const ProcessId p = sim.AddProcess("p");
  sim.Schedule(Time::FromMicros(5), EventTag{7, 8, 9}, [] {});
  sim.ScheduleFor(p, Time::FromMicros(6), EventTag{1, 2, 3}, [] {});
  sim.RunUntil(Time::FromMicros(10));
  sim.AbsorbTraceWord(99);
  TraceHash expected;
  expected.AbsorbEvent(Time::FromMicros(5), ProcessId(), EventTag{7, 8, 9});
  expected.AbsorbEvent(Time::FromMicros(6), p, EventTag{1, 2, 3});
  expected.AbsorbWord(99);
  EXPECT_EQ(sim.trace_hash(), expected.value());
}

TEST(SimulatorTest, TraceRecordsGoToTheSinkStampedWithNow) {
  Simulator sim;
  const ProcessId p = sim.AddProcess("p");
  sim.Trace(p, "ignored");  // no sink yet: a no-op
  VectorTraceSink sink;
  sim.set_trace_sink(&sink);
  EXPECT_TRUE(sim.tracing());
  sim.Schedule(Time::FromMillis(7), Tag(1),
               [&] { sim.Trace(p, "hello", {TraceField("n", 1)}); });
  sim.RunUntil(Time::FromMillis(10));
  ASSERT_EQ(sink.records().size(), 1u);
  EXPECT_EQ(sink.records()[0].ToString(), "0.007000s p0 hello n=1");
}

TEST(SimulatorDeathTest, SchedulingInThePastFails) {
  Simulator sim;
  sim.RunUntil(Time::FromMillis(10));
  EXPECT_DEATH(sim.Schedule(Time::FromMillis(5), Tag(1), [] {}), "in the past");
  EXPECT_DEATH(sim.ScheduleFor(ProcessId(3), Time::FromMillis(20), Tag(1), [] {}),
               "unknown process");
}

}  // namespace
}  // namespace slotsim::sim
