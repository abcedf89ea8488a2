// Process: the kernel's view of one simulated process (a Redis server).
//
// A process is running, paused (SIGSTOP: its events wait and run, late and in
// order, when it resumes) or crashed (its pending events are dropped; a restart
// begins a new incarnation). Each process has a local clock, LocalNow =
// now + clock offset, which the world hands to the process's code; a clock jump
// changes the offset, never simulated time itself.
//
// A crash is of one of two kinds. kProcess: the process dies but its host (the
// OS) lives on: completed disk writes survive in the page cache and the host
// answers packets for dead connections with a reset. kPowerLoss: the host dies
// too: writes since the last fsync are lost and the host is silent until the
// process restarts.
//
// The Simulator (simulator.h) owns the records and performs the transitions;
// this file holds the vocabulary shared with listeners (the network, the disk
// and the world).

#ifndef SLOTSIM_SIM_PROCESS_H_
#define SLOTSIM_SIM_PROCESS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/ids.h"
#include "sim/time.h"

namespace slotsim::sim {

enum class ProcessState : uint8_t { kRunning, kPaused, kCrashed };
enum class CrashKind : uint8_t { kProcess, kPowerLoss };

const char* ProcessStateName(ProcessState s);  // "running", "paused", "crashed"
const char* CrashKindName(CrashKind k);        // "process", "power-loss"

// What listeners hear, after the transition has been applied.
struct ProcessEvent {
  enum class Kind : uint8_t { kCrashed, kRestarted, kPaused, kResumed, kClockChanged };
  Kind kind = Kind::kCrashed;
  ProcessId process;
  CrashKind crash_kind = CrashKind::kProcess;  // meaningful for kCrashed
  uint32_t incarnation = 0;                    // the process's incarnation now
};
const char* ProcessEventKindName(ProcessEvent::Kind k);

using ProcessListener = std::function<void(const ProcessEvent&)>;

// Bookkeeping for one process (owned by the Simulator).
struct ProcessRecord {
  std::string name;
  ProcessState state = ProcessState::kRunning;
  CrashKind last_crash = CrashKind::kProcess;
  // Starts at 1; incremented by each restart. Process-scoped events remember
  // the incarnation they were scheduled in.
  uint32_t incarnation = 1;
  Duration clock_offset;
  // Event slots that fell due while paused, in the order they fell due.
  std::vector<uint32_t> parked;

  // False only between a power-loss crash and the next restart.
  bool host_up() const {
    return state != ProcessState::kCrashed || last_crash == CrashKind::kProcess;
  }
};

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_PROCESS_H_
