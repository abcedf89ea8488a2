// Process semantics of the Simulator: process-scoped events, crash, restart,
// pause/resume and local clocks.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/simulator.h"

namespace slotsim::sim {
namespace {

EventTag Tag(uint64_t a) { return EventTag{2, a, 0}; }

class ProcessTest : public ::testing::Test {
 protected:
  ProcessTest() : p_(sim_.AddProcess("p")), q_(sim_.AddProcess("q")) {
    sim_.AddProcessListener([this](const ProcessEvent& e) {
      events_.push_back(std::string(ProcessEventKindName(e.kind)) + ":" +
                        sim_.process_name(e.process) + ":" +
                        std::to_string(e.incarnation));
    });
  }

  // Schedules a process event that logs "<name>@<ms>".
  TimerId Log(ProcessId p, int at_ms, std::string name) {
    return sim_.ScheduleFor(p, Time::FromMillis(at_ms), Tag(at_ms), [this, name] {
      log_.push_back(name + "@" + std::to_string(sim_.now().millis()));
    });
  }

  Simulator sim_;
  ProcessId p_;
  ProcessId q_;
  std::vector<std::string> log_;
  std::vector<std::string> events_;
};

TEST_F(ProcessTest, NewProcessesRunWithIncarnationOne) {
  EXPECT_EQ(sim_.process_count(), 2u);
  EXPECT_EQ(sim_.process_name(q_), "q");
  EXPECT_EQ(sim_.state(p_), ProcessState::kRunning);
  EXPECT_EQ(sim_.incarnation(p_), 1u);
  EXPECT_TRUE(sim_.IsAlive(p_));
  EXPECT_TRUE(sim_.HostUp(p_));
}

TEST_F(ProcessTest, CrashDropsPendingEventsEvenAfterRestart) {
  Log(p_, 10, "p-timer");
  Log(q_, 10, "q-timer");
  Log(p_, 30, "p-late");
  sim_.RunUntil(Time::FromMillis(5));
  EXPECT_TRUE(sim_.Crash(p_, CrashKind::kProcess));
  EXPECT_FALSE(sim_.Crash(p_, CrashKind::kProcess));
  EXPECT_FALSE(sim_.IsAlive(p_));
  sim_.RunUntil(Time::FromMillis(20));
  EXPECT_TRUE(sim_.Restart(p_));
  EXPECT_EQ(sim_.incarnation(p_), 2u);
  Log(p_, 40, "p-new");
  sim_.RunUntil(Time::FromMillis(50));
  EXPECT_EQ(log_, (std::vector<std::string>{"q-timer@10", "p-new@40"}));
  EXPECT_EQ(sim_.events_dropped(), 2u);
  EXPECT_EQ(events_, (std::vector<std::string>{"crashed:p:1", "restarted:p:2"}));
}

TEST_F(ProcessTest, EventsScheduledWhileCrashedAreDropped) {
  sim_.Crash(p_, CrashKind::kProcess);
  Log(p_, 10, "while-crashed");
  sim_.RunUntil(Time::FromMillis(20));
  EXPECT_TRUE(log_.empty());
  EXPECT_FALSE(sim_.Restart(q_));  // q is running
}

TEST_F(ProcessTest, PausedProcessTimersFireLateAndInOrderOnResume) {
  Log(p_, 10, "a");
  Log(p_, 20, "b");
  Log(q_, 15, "q");
  Log(p_, 60, "c");
  sim_.RunUntil(Time::FromMillis(5));
  EXPECT_TRUE(sim_.Pause(p_));
  EXPECT_FALSE(sim_.Pause(p_));
  sim_.RunUntil(Time::FromMillis(50));
  EXPECT_EQ(log_, (std::vector<std::string>{"q@15"}));
  EXPECT_EQ(sim_.pending_events(), 3u);  // two parked, one queued
  EXPECT_TRUE(sim_.Resume(p_));
  EXPECT_FALSE(sim_.Resume(p_));
  sim_.RunUntil(Time::FromMillis(100));
  EXPECT_EQ(log_, (std::vector<std::string>{"q@15", "a@50", "b@50", "c@60"}));
  EXPECT_EQ(events_, (std::vector<std::string>{"paused:p:1", "resumed:p:1"}));
}

TEST_F(ProcessTest, ParkedTimersCanBeCancelled) {
  const TimerId a = Log(p_, 10, "a");
  Log(p_, 20, "b");
  sim_.Pause(p_);
  sim_.RunUntil(Time::FromMillis(30));
  EXPECT_TRUE(sim_.IsPending(a));
  EXPECT_TRUE(sim_.Cancel(a));
  sim_.Resume(p_);
  sim_.RunUntil(Time::FromMillis(40));
  EXPECT_EQ(log_, (std::vector<std::string>{"b@30"}));
}

TEST_F(ProcessTest, CrashWhilePausedDropsParkedEvents) {
  Log(p_, 10, "a");
  sim_.Pause(p_);
  sim_.RunUntil(Time::FromMillis(30));
  sim_.Crash(p_, CrashKind::kProcess);
  EXPECT_EQ(sim_.pending_events(), 0u);
  EXPECT_FALSE(sim_.Resume(p_));
  sim_.Restart(p_);
  sim_.RunUntil(Time::FromMillis(40));
  EXPECT_TRUE(log_.empty());
  EXPECT_EQ(sim_.events_dropped(), 1u);
}

TEST_F(ProcessTest, ResumedEventsRunAfterEventsAlreadyDueAtThatInstant) {
  Log(p_, 10, "parked");
  sim_.Pause(p_);
  sim_.RunUntil(Time::FromMillis(20));
  Log(q_, 30, "q-first");  // queued before the resume, same instant
  sim_.Schedule(Time::FromMillis(30), Tag(0), [this] { sim_.Resume(p_); });
  sim_.RunUntil(Time::FromMillis(40));
  EXPECT_EQ(log_, (std::vector<std::string>{"q-first@30", "parked@30"}));
}

TEST_F(ProcessTest, RestartAfterRestartsOnlyTheSameCrash) {
  sim_.Crash(p_, CrashKind::kPowerLoss);
  EXPECT_FALSE(sim_.HostUp(p_));
  sim_.RestartAfter(p_, Duration::Millis(10));
  sim_.RunUntil(Time::FromMillis(5));
  EXPECT_EQ(sim_.state(p_), ProcessState::kCrashed);
  sim_.RunUntil(Time::FromMillis(10));
  EXPECT_EQ(sim_.state(p_), ProcessState::kRunning);
  EXPECT_TRUE(sim_.HostUp(p_));
  // A delayed restart armed for one crash does not revive a later one.
  sim_.Crash(p_, CrashKind::kProcess);
  const TimerId t = sim_.RestartAfter(p_, Duration::Millis(10));
  sim_.Restart(p_);
  sim_.Crash(p_, CrashKind::kProcess);
  sim_.RunUntil(Time::FromMillis(30));
  EXPECT_FALSE(sim_.IsPending(t));
  EXPECT_EQ(sim_.state(p_), ProcessState::kCrashed);
  EXPECT_TRUE(sim_.HostUp(p_));  // a process crash leaves the host up
}

TEST_F(ProcessTest, LocalClockOffsetsAndJumps) {
  sim_.RunUntil(Time::FromMillis(100));
  EXPECT_EQ(sim_.LocalNow(p_), Time::FromMillis(100));
  sim_.SetClockOffset(p_, Duration::Millis(-30));
  EXPECT_EQ(sim_.LocalNow(p_), Time::FromMillis(70));
  EXPECT_EQ(sim_.LocalNow(q_), Time::FromMillis(100));
  sim_.JumpClock(p_, Duration::Seconds(5));
  EXPECT_EQ(sim_.clock_offset(p_), Duration::Millis(4970));
  sim_.RunUntil(Time::FromMillis(200));
  EXPECT_EQ(sim_.LocalNow(p_), Time::FromMillis(5170));
  // Jumps change what the process reads, never when its timers fire.
  Log(p_, 250, "t");
  sim_.JumpClock(p_, Duration::Seconds(-100));
  sim_.RunUntil(Time::FromMillis(300));
  EXPECT_EQ(log_, (std::vector<std::string>{"t@250"}));
  EXPECT_EQ(events_, (std::vector<std::string>{"clock-changed:p:1", "clock-changed:p:1",
                                               "clock-changed:p:1"}));
}

TEST_F(ProcessTest, TransitionsAreTraced) {
  VectorTraceSink sink;
  sim_.set_trace_sink(&sink);
  sim_.Crash(p_, CrashKind::kPowerLoss);
  ASSERT_EQ(sink.records().size(), 1u);
  EXPECT_EQ(sink.records()[0].ToString(),
            "0.000000s p0 process.crashed incarnation=1 crash=power-loss");
}

}  // namespace
}  // namespace slotsim::sim
