#include "sim/process.h"

namespace slotsim::sim {

const char* ProcessStateName(ProcessState s) {
  switch (s) {
    case ProcessState::kRunning:
      return "running";
    case ProcessState::kPaused:
      return "paused";
    case ProcessState::kCrashed:
      return "crashed";
  }
  return "?";
}

const char* CrashKindName(CrashKind k) {
  switch (k) {
    case CrashKind::kProcess:
      return "process";
    case CrashKind::kPowerLoss:
      return "power-loss";
  }
  return "?";
}

const char* ProcessEventKindName(ProcessEvent::Kind k) {
  switch (k) {
    case ProcessEvent::Kind::kCrashed:
      return "crashed";
    case ProcessEvent::Kind::kRestarted:
      return "restarted";
    case ProcessEvent::Kind::kPaused:
      return "paused";
    case ProcessEvent::Kind::kResumed:
      return "resumed";
    case ProcessEvent::Kind::kClockChanged:
      return "clock-changed";
  }
  return "?";
}

}  // namespace slotsim::sim
