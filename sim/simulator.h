// Simulator: simulated time, the event loop, processes and the running hash.
//
// One Simulator drives one run. It owns the EventQueue (event_queue.h), the
// process records (process.h) and the TraceHash (trace.h). Everything that
// happens in a run is an event: a Callback scheduled at a Time with an EventTag.
//
// Dispatch of one event (Step):
//   1. pop the earliest (time, sequence) entry; now = its time;
//   2. if it is process-scoped: drop it if the process crashed since it was
//      scheduled (state crashed or incarnation changed); park it if the process
//      is paused (it runs after Resume, late, in the order it fell due);
//   3. otherwise absorb (time, process, tag) into the trace hash, count it, run
//      the callback, then run every after-event hook (invariant checkers).
// Dropped and parked events are not dispatched: they are neither hashed nor
// counted, and the hooks do not run for them.
//
// Invariants: now() never decreases; events at equal times run in the order
// they were scheduled (a parked event is rescheduled when its process resumes,
// so it runs after the events already scheduled for that instant); an event
// is never scheduled in the past (CHECKed).
//
// Process transitions (Crash, Restart, Pause, Resume, clock changes) apply at
// once and then notify the listeners in registration order. They return false
// (and do nothing) when the transition does not apply (crashing a crashed
// process, resuming a running one, ...), so fault plans need not track state.
//
// Example:
//   Simulator sim;
//   ProcessId p = sim.AddProcess("n1");
//   sim.ScheduleFor(p, Time::FromMillis(100), EventTag{1, 0, 0}, [&] { ... });
//   sim.RunUntil(Time::FromMillis(1000));

#ifndef SLOTSIM_SIM_SIMULATOR_H_
#define SLOTSIM_SIM_SIMULATOR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sim/callback.h"
#include "sim/check.h"
#include "sim/event_queue.h"
#include "sim/ids.h"
#include "sim/process.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace slotsim::sim {

// Tag kinds used by the simulator itself.
inline constexpr uint32_t kTagRestart = kKernelTagBit | 0x01;

class Simulator {
 public:
  Simulator() = default;
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  Time now() const { return now_; }

  // --- Events -------------------------------------------------------------

  // A kernel event (not tied to a process). `cb` is any void() callable (a
  // lambda, a Callback); it is constructed in place in the queue.
  // REQUIRES: at >= now().
  template <typename F>
  TimerId Schedule(Time at, const EventTag& tag, F&& cb) {
    CHECK_GE(at, now_) << "event scheduled in the past";
    return queue_.Emplace(at, tag, EventQueue::Scope{}, std::forward<F>(cb));
  }
  template <typename F>
  TimerId ScheduleAfter(Duration delay, const EventTag& tag, F&& cb) {
    return Schedule(now_ + delay, tag, std::forward<F>(cb));
  }
  // An event of process `p`'s current incarnation (see the file comment).
  // REQUIRES: at >= now().
  template <typename F>
  TimerId ScheduleFor(ProcessId p, Time at, const EventTag& tag, F&& cb) {
    CHECK_GE(at, now_) << "event scheduled in the past";
    return queue_.Emplace(at, tag, EventQueue::Scope{p, record(p).incarnation},
                          std::forward<F>(cb));
  }
  template <typename F>
  TimerId ScheduleForAfter(ProcessId p, Duration delay, const EventTag& tag, F&& cb) {
    return ScheduleFor(p, now_ + delay, tag, std::forward<F>(cb));
  }
  // Cancels a pending (queued or parked) event; false if it is not pending.
  bool Cancel(TimerId id) { return queue_.Cancel(id); }
  bool IsPending(TimerId id) const { return queue_.IsPending(id); }
  // Events scheduled and not yet dispatched, dropped or cancelled.
  std::size_t pending_events() const { return queue_.pending(); }

  // --- Running --------------------------------------------------------------

  // Dispatches one event; false if no event is left.
  bool Step() { return StepUntil(Time::Max()); }
  // Dispatches every event with time <= deadline, then sets now = deadline
  // (if later). REQUIRES: deadline >= now().
  void RunUntil(Time deadline);
  void RunFor(Duration d) { RunUntil(now_ + d); }
  // Checks pred() first and then after every dispatched event with time <=
  // deadline, stopping as soon as it holds (now stays at that event's time).
  // If it never holds, now = deadline. Returns whether it held.
  bool RunUntil(const std::function<bool()>& pred, Time deadline);

  // Runs after every dispatched event, in registration order.
  void AddAfterEventHook(std::function<void()> hook) {
    hooks_.push_back(std::move(hook));
  }

  uint64_t events_dispatched() const { return dispatched_; }
  // Process-scoped events dropped because their process crashed.
  uint64_t events_dropped() const { return dropped_; }

  // --- Trace ------------------------------------------------------------------

  // The running hash over every dispatched event (trace.h says what is hashed).
  uint64_t trace_hash() const { return hash_.value(); }
  // Mixes an extra word (e.g. a digest of state) into the running hash.
  void AbsorbTraceWord(uint64_t word) { hash_.AbsorbWord(word); }

  // Records go to `sink` (not owned; nullptr turns tracing off, the default).
  void set_trace_sink(TraceSink* sink) { sink_ = sink; }
  bool tracing() const { return sink_ != nullptr; }
  // Emits a record stamped with now(). A no-op when tracing is off; hot paths
  // should test tracing() before building fields.
  void Trace(ProcessId p, std::string kind, std::vector<TraceField> fields = {});

  // --- Processes --------------------------------------------------------------

  ProcessId AddProcess(std::string name);
  std::size_t process_count() const { return processes_.size(); }
  const std::string& process_name(ProcessId p) const { return record(p).name; }
  ProcessState state(ProcessId p) const { return record(p).state; }
  uint32_t incarnation(ProcessId p) const { return record(p).incarnation; }
  // Running or paused (not crashed).
  bool IsAlive(ProcessId p) const { return state(p) != ProcessState::kCrashed; }
  // False only between a power-loss crash and the next restart.
  bool HostUp(ProcessId p) const { return record(p).host_up(); }

  // Running or paused -> crashed: drops the process's pending events.
  bool Crash(ProcessId p, CrashKind kind);
  // Crashed -> running, as a new incarnation.
  bool Restart(ProcessId p);
  // Restarts `p` after `delay` if it is then still in the incarnation that is
  // current now and still crashed. Returns the timer (cancellable).
  TimerId RestartAfter(ProcessId p, Duration delay);
  // Running -> paused.
  bool Pause(ProcessId p);
  // Paused -> running: reschedules the parked events at now(), in order.
  bool Resume(ProcessId p);

  // The process's local clock: now() + offset.
  Time LocalNow(ProcessId p) const { return now_ + record(p).clock_offset; }
  Duration clock_offset(ProcessId p) const { return record(p).clock_offset; }
  void SetClockOffset(ProcessId p, Duration offset);
  // Adds `delta` (may be negative) to the process's clock offset.
  void JumpClock(ProcessId p, Duration delta) {
    SetClockOffset(p, record(p).clock_offset + delta);
  }

  void AddProcessListener(ProcessListener listener) {
    listeners_.push_back(std::move(listener));
  }

 private:
  const ProcessRecord& record(ProcessId p) const;
  ProcessRecord& record(ProcessId p);
  bool StepUntil(Time limit);
  void Notify(ProcessEvent::Kind kind, ProcessId p, CrashKind crash_kind);

  Time now_;
  EventQueue queue_;
  TraceHash hash_;
  uint64_t dispatched_ = 0;
  uint64_t dropped_ = 0;
  std::vector<std::function<void()>> hooks_;
  std::vector<ProcessRecord> processes_;
  std::vector<ProcessListener> listeners_;
  TraceSink* sink_ = nullptr;
};

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_SIMULATOR_H_
