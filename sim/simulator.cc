#include "sim/simulator.h"

#include <utility>

#include "sim/check.h"

namespace slotsim::sim {

const ProcessRecord& Simulator::record(ProcessId p) const {
  CHECK(p.valid() && p.value() < processes_.size()) << "unknown process " << p;
  return processes_[p.value()];
}

ProcessRecord& Simulator::record(ProcessId p) {
  CHECK(p.valid() && p.value() < processes_.size()) << "unknown process " << p;
  return processes_[p.value()];
}

bool Simulator::StepUntil(Time limit) {
  while (true) {
    Time at;
    const uint32_t slot = queue_.PopUntil(limit, &at);
    if (slot == EventQueue::kNoSlot) return false;
    now_ = at;
    EventQueue::Event& e = queue_.event(slot);
    const ProcessId p = e.scope.process;
    if (p.valid()) {
      ProcessRecord& rec = processes_[p.value()];
      if (rec.state == ProcessState::kCrashed || rec.incarnation != e.scope.incarnation) {
        queue_.Release(slot);
        ++dropped_;
        continue;
      }
      if (rec.state == ProcessState::kPaused) {
        queue_.Park(slot);
        rec.parked.push_back(slot);
        continue;
      }
    }
    hash_.AbsorbEvent(at, p, e.tag);
    ++dispatched_;
    e.callback();
    queue_.Release(slot);
    for (auto& hook : hooks_) hook();
    return true;
  }
}

void Simulator::RunUntil(Time deadline) {
  CHECK_GE(deadline, now_);
  while (StepUntil(deadline)) {
  }
  now_ = deadline;
}

bool Simulator::RunUntil(const std::function<bool()>& pred, Time deadline) {
  CHECK_GE(deadline, now_);
  if (pred()) return true;
  while (StepUntil(deadline)) {
    if (pred()) return true;
  }
  now_ = deadline;
  return false;
}

void Simulator::Trace(ProcessId p, std::string kind, std::vector<TraceField> fields) {
  if (sink_ == nullptr) return;
  sink_->Emit(TraceRecord{now_, p, std::move(kind), std::move(fields)});
}

ProcessId Simulator::AddProcess(std::string name) {
  const ProcessId p(static_cast<uint32_t>(processes_.size()));
  processes_.push_back(ProcessRecord{});
  processes_.back().name = std::move(name);
  return p;
}

void Simulator::Notify(ProcessEvent::Kind kind, ProcessId p, CrashKind crash_kind) {
  const ProcessEvent event{kind, p, crash_kind, record(p).incarnation};
  if (tracing()) {
    std::vector<TraceField> fields;
    fields.emplace_back("incarnation", event.incarnation);
    if (kind == ProcessEvent::Kind::kCrashed) {
      fields.emplace_back("crash", CrashKindName(crash_kind));
    }
    if (kind == ProcessEvent::Kind::kClockChanged) {
      fields.emplace_back("offset", record(p).clock_offset);
    }
    Trace(p, std::string("process.") + ProcessEventKindName(kind), std::move(fields));
  }
  // Index loop: a listener may add listeners.
  for (std::size_t i = 0; i < listeners_.size(); ++i) listeners_[i](event);
}

bool Simulator::Crash(ProcessId p, CrashKind kind) {
  ProcessRecord& rec = record(p);
  if (rec.state == ProcessState::kCrashed) return false;
  rec.state = ProcessState::kCrashed;
  rec.last_crash = kind;
  std::vector<uint32_t> parked = std::move(rec.parked);
  rec.parked.clear();
  for (uint32_t slot : parked) {
    queue_.DiscardParked(slot);
    ++dropped_;
  }
  Notify(ProcessEvent::Kind::kCrashed, p, kind);
  return true;
}

bool Simulator::Restart(ProcessId p) {
  ProcessRecord& rec = record(p);
  if (rec.state != ProcessState::kCrashed) return false;
  rec.state = ProcessState::kRunning;
  ++rec.incarnation;
  Notify(ProcessEvent::Kind::kRestarted, p, rec.last_crash);
  return true;
}

TimerId Simulator::RestartAfter(ProcessId p, Duration delay) {
  const uint32_t incarnation = record(p).incarnation;
  return ScheduleAfter(delay, EventTag{kTagRestart, p.value(), incarnation},
                       [this, p, incarnation] {
                         if (record(p).incarnation == incarnation) Restart(p);
                       });
}

bool Simulator::Pause(ProcessId p) {
  ProcessRecord& rec = record(p);
  if (rec.state != ProcessState::kRunning) return false;
  rec.state = ProcessState::kPaused;
  Notify(ProcessEvent::Kind::kPaused, p, rec.last_crash);
  return true;
}

bool Simulator::Resume(ProcessId p) {
  ProcessRecord& rec = record(p);
  if (rec.state != ProcessState::kPaused) return false;
  rec.state = ProcessState::kRunning;
  std::vector<uint32_t> parked = std::move(rec.parked);
  rec.parked.clear();
  for (uint32_t slot : parked) queue_.Unpark(slot, now_);
  Notify(ProcessEvent::Kind::kResumed, p, rec.last_crash);
  return true;
}

void Simulator::SetClockOffset(ProcessId p, Duration offset) {
  record(p).clock_offset = offset;
  Notify(ProcessEvent::Kind::kClockChanged, p, record(p).last_crash);
}

}  // namespace slotsim::sim
