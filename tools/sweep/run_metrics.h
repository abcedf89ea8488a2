// RunMetrics: what a sweep measures in one run, and the collector that watches
// the run's node events to measure it.
//
// Times are milliseconds; "after the fault" means after F, the first fault the
// runner applied in the safety phase (crash, pause, partition, block, clog,
// delay, clock jump or failover; RunRecord::faults). The *target* is the first
// node that fault names. NaN means not measured (no fault, no such event).
//
//   fault_at_ms        F, scenario time
//   pfail_ms, fail_ms  first time any node flagged the target PFAIL / FAIL
//   election_start_ms  first election started by a replica of the target
//   election_won_ms    the vote that completed the winning election (the last
//                      vote the promoted replica received before promoting)
//   promoted_ms        the target's replica took over (kPromoted)
//   failovers          promotions in the whole run (automatic and manual)
//   false_fails        FAIL episodes (RunResult::fail_episodes) of a node that
//                      had not crashed or been paused by then: a failure
//                      detector firing on a live node (partitions count: the
//                      node was up, only unreachable)
//   false_failovers    automatic promotions replacing such a live master
//   elections          elections started (kElectionStarted), whole run
//   elections_failed   elections not followed by the candidate's promotion
//                      before its next election or the end of the run
//   votes_requested    vote requests a master decided on (granted + refused;
//                      replicas ignore requests silently, as in Redis)
//   votes_granted      kVoteGranted events
//   unavail_<m>_ms     write unavailability (unavailability.h) of the slots
//                      master <m> owned at the start, after the fault
//   unavail_max_ms     the largest of those
//   state_fail_ms      time in [W, end of the safety phase) during which at
//                      least one running cluster member reported
//                      cluster_state:fail; W = F, or without a fault the
//                      instant every member had first reported ok. Members are
//                      the nodes that had reported ok before W (so spares and
//                      never-joined nodes do not count).
//   writes_acked/lost  acknowledged SETs, and those lost (props/write_loss)
//   converge_ms        from the heal phase's start to convergence (NaN if the
//                      cluster did not converge within the bound)
//   bus_messages/bytes cluster-bus messages and bytes sent (all nodes)
//   messages/bytes     every message sent (bus, client, replication)

#ifndef SLOTSIM_TOOLS_SWEEP_RUN_METRICS_H_
#define SLOTSIM_TOOLS_SWEEP_RUN_METRICS_H_

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/checker.h"
#include "scenarios/history.h"
#include "scenarios/runner.h"
#include "scenarios/slot_ranges.h"
#include "scenarios/world.h"
#include "sim/net_stats.h"
#include "sim/time.h"

namespace slotsim::tools::sweep {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A master and the slots it owns at the start of the run.
struct MasterSlots {
  std::string name;
  std::vector<scenarios::SlotRange> ranges;
};

struct RunMetrics {
  double fault_at_ms = kNaN;
  double pfail_ms = kNaN;
  double fail_ms = kNaN;
  double election_start_ms = kNaN;
  double election_won_ms = kNaN;
  double promoted_ms = kNaN;
  double failovers = 0;
  double false_fails = 0;
  double false_failovers = 0;
  double elections = 0;
  double elections_failed = 0;
  double votes_requested = 0;
  double votes_granted = 0;
  std::map<std::string, double> unavailable_ms;  // by master name
  double unavailable_max_ms = kNaN;
  double state_fail_ms = kNaN;
  double writes_acked = 0;
  double writes_lost = 0;
  double converge_ms = kNaN;
  double bus_messages = 0;
  double bus_bytes = 0;
  double messages = 0;
  double bytes = 0;
};

// Column names of RunMetrics for a sweep whose masters (over all points) are
// `masters`, and the values in the same order (a master a run lacks is NaN).
std::vector<std::string> MetricNames(const std::vector<std::string>& masters);
std::vector<double> MetricValues(const RunMetrics& m, const std::vector<std::string>& masters);

// Watches a run through the checker interface (it never reports a violation).
class MetricsCollector : public scenarios::Checker {
 public:
  std::string_view name() const override { return "sweep_metrics"; }
  void OnNodeEvent(const scenarios::World& world, const scenarios::WorldEvent& e) override;
  void OnFault(const scenarios::World& world, const scenarios::FaultEvent& f) override;

  struct Inputs {
    const scenarios::RunResult* result = nullptr;
    const scenarios::History* history = nullptr;  // the clients' operations
    int64_t writes_lost = 0;
    const sim::NetStats* net = nullptr;
    std::vector<MasterSlots> masters;
  };
  // After the run.
  RunMetrics Compute(const Inputs& in) const;

 private:
  struct StateTrack {
    bool running = true;
    bool failing = true;  // a node starts in cluster_state:fail
    sim::Time since;      // start of the open fail interval
    sim::Time first_ok = sim::Time::Max();
    std::vector<std::pair<sim::Time, sim::Time>> fail;  // closed intervals
  };
  struct Election {
    sim::Time started;
    std::string candidate;
    std::string master;  // the candidate's master (the failed one)
    sim::Time last_vote = sim::Time::Max();
    sim::Time promoted = sim::Time::Max();
  };
  StateTrack& Track(const std::string& node);
  double StateFailMs(sim::Time from, sim::Time to) const;

  std::map<std::string, StateTrack> state_;
  std::map<std::string, sim::Time> down_at_;  // first crash or pause
  std::map<std::string, std::vector<sim::Time>> pfail_at_;  // newly flagged, by subject
  std::map<std::string, std::vector<sim::Time>> fail_at_;
  std::vector<Election> elections_;
  std::map<std::string, size_t> open_election_;  // candidate -> index
  int64_t votes_granted_ = 0;
  int64_t votes_refused_ = 0;
};

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_RUN_METRICS_H_
