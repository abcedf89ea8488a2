// RunRecord: what the runner records about one run, for checkers, summaries,
// timelines and sweeps. Times are simulated; `start` is the scenario's time
// zero (every *_ms in reports is measured from it).

#ifndef SLOTSIM_SCENARIOS_RUN_RECORD_H_
#define SLOTSIM_SCENARIOS_RUN_RECORD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/history.h"
#include "sim/time.h"

namespace slotsim::scenarios {

// One fault or admin action the runner applied.
struct FaultRecord {
  sim::Time at;
  std::string kind;                // crash, restart, pause, partition, failover, ...
  std::vector<std::string> nodes;
  std::string detail;
  std::string id;                  // the action's id in the scenario, if any
};

// One master replaced by one of its replicas (or by a TAKEOVER).
struct FailoverRecord {
  std::string failed_node;         // the master that was replaced
  // First time any node flagged it PFAIL / FAIL (Max if never).
  sim::Time pfail_at = sim::Time::Max();
  sim::Time fail_at = sim::Time::Max();
  std::string promoted_node;
  sim::Time election_started_at = sim::Time::Max();
  sim::Time promoted_at = sim::Time::Max();
  uint64_t config_epoch = 0;
  bool manual = false;             // CLUSTER FAILOVER (any mode)
};

// One redis-cli --cluster run (the cluster-manager actor).
struct CliRunRecord {
  std::string actor;    // its process name, redis-cli-<n>
  std::string command;  // create, reshard, rebalance, add_node, del_node, fix
  bool ok = false;      // redis-cli's exit status 0
  std::string error;
  std::string step;
  std::string output;   // what redis-cli printed
};

struct RunRecord {
  uint64_t seed = 0;
  std::vector<std::string> nodes;  // node names, world order
  sim::Time start;                 // scenario time zero
  sim::Time safety_end = sim::Time::Max();
  sim::Time heal_start = sim::Time::Max();
  sim::Time end = sim::Time::Max();
  // The heal phase's convergence bound and outcome.
  sim::Duration converge_bound;
  bool converged = false;
  sim::Time converged_at = sim::Time::Max();

  // Trace hash after all events up to each multiple of checkpoint_interval
  // since the start (element k: at (k + 1) * interval).
  sim::Duration checkpoint_interval = sim::Duration::Seconds(1);
  std::vector<uint64_t> checkpoints;

  std::vector<FaultRecord> faults;
  std::vector<FailoverRecord> failovers;
  std::vector<CliRunRecord> cli_runs;
  History history;

  // Milliseconds of `t` since the scenario's start.
  int64_t ms(sim::Time t) const { return (t - start).millis(); }
};

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_RUN_RECORD_H_
