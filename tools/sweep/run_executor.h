// ExecuteRun: one run of a sweep, from a loaded scenario and a seed to the
// measured outcomes (run_metrics.h) and a verdict.
//
// The run is what `slotsim run FILE --seed N` does (same runner, same seed, so
// the same trace hash), with the sweep's observers added: the metrics
// collector and a write-loss accountant (props/write_loss.h). Property checkers are optional (ExecuteOptions); without them a
// run is faster and `violations` is 0.

#ifndef SLOTSIM_TOOLS_SWEEP_RUN_EXECUTOR_H_
#define SLOTSIM_TOOLS_SWEEP_RUN_EXECUTOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/scenario.pb.h"
#include "tools/sweep/run_metrics.h"

namespace slotsim::tools::sweep {

struct ExecuteOptions {
  // Drive the scenario's property checkers (props/registry.h).
  bool check_properties = true;
};

struct RunOutcome {
  RunMetrics metrics;
  int64_t violations = 0;
  uint64_t events = 0;
  int64_t sim_time_ms = 0;
  uint64_t trace_hash = 0;
  // "ok", "violation" (a property failed), "expectation" (an expectation
  // failed) or "error" (the run could not be carried out).
  std::string status;
  // For "violation": the first one ("property at 12.3s: message"); for
  // "expectation": the first that failed; for "error": what went wrong.
  std::string detail;
};

RunOutcome ExecuteRun(const scenarios::Scenario& scenario, uint64_t seed,
                      const ExecuteOptions& options);

// The masters that own slots at the start (formed clusters; none otherwise),
// in canonical order.
std::vector<MasterSlots> StartingMasters(const scenarios::Scenario& scenario);

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_RUN_EXECUTOR_H_
