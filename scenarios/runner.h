// Runner: executes one scenario with one seed, from an empty world to a
// verdict.
//
// Phases (checker.h):
//   setup    the topology is expanded (topology.h) and the world built
//            (world_config.h). A formed cluster starts every node from the
//            nodes.conf redis-cli create would have left (cluster_setup.h);
//            otherwise nodes start empty and the bootstrap admin actions run.
//            Workload.preload keys are written to each master once it is ok.
//            Scenario time zero is simulated time zero: nodes start then.
//   safety   from 0 to duration_ms: the explicit fault schedule plus what the
//            generators drew (fault_plan.h), the workload, checkers after
//            every event, timed expectations.
//   heal     (unless heal.enabled is false) every network fault is healed,
//            crashed nodes restart, paused ones resume; the run goes on until
//            the cluster converges (all views agree on slot owners, roles and
//            replica-of, cluster_state ok everywhere) or the bound
//            converge_node_timeouts x cluster_node_timeout + converge_ms
//            passes.
//   end      checkers finish; expectations without a time are checked.
//
// Actions: an action's at_ms is scenario time. Network and process faults
// apply at once; with duration_ms they are undone (heal/resume/restart) that
// much later, and an undo runs before other actions due at the same instant.
// Admin actions (failover, command, create, reshard, ...) run one at a time,
// each at its at_ms or when the previous admin action finished, whichever is
// later. Every action runs inside a kernel event, so it enters the trace hash.
//
// Determinism: the run is a function of (scenario, seed, build). The seed
// comes from RunOptions (which takes precedence) or the scenario's `seed`.

#ifndef SLOTSIM_SCENARIOS_RUNNER_H_
#define SLOTSIM_SCENARIOS_RUNNER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "scenarios/checker.h"
#include "scenarios/expectations.h"
#include "scenarios/failover_tracker.h"
#include "scenarios/run_record.h"
#include "scenarios/scenario.pb.h"
#include "scenarios/topology.h"
#include "scenarios/world.h"
#include "sim/trace.h"

namespace slotsim::scenarios {

struct RunOptions {
  // The run's seed; unset: the scenario's `seed`, else 1.
  std::optional<uint64_t> seed;
  // Checkers to drive (not owned).
  std::vector<Checker*> checkers;
  // Counts acknowledged writes lost so far (for writes_lost expectations).
  std::function<int64_t(const World&, const RunRecord&)> lost_writes;
  // Observers of node events and applied actions, as they happen.
  std::function<void(const WorldEvent&)> on_event;
  std::function<void(const FaultRecord&)> on_fault;
  // Kernel trace records (not owned; null: off).
  sim::TraceSink* trace_sink = nullptr;
  // End the safety phase at the first checker violation.
  bool stop_on_violation = false;
  // Stop at this scenario time (ms), skipping the rest of the safety phase
  // and the heal phase (slotsim nodes --at).
  std::optional<int64_t> stop_at_ms;
  // Called every simulated second with the fraction of the planned run done.
  std::function<void(double)> progress;
};

struct RunResult {
  RunRecord record;
  uint64_t seed = 0;
  uint64_t trace_hash = 0;
  uint64_t events = 0;
  int64_t sim_time_ms = 0;
  std::vector<ExpectationOutcome> expectations;
  std::vector<Violation> violations;  // every checker's, in time order
  std::vector<FailEpisode> fail_episodes;
  // A problem that stopped the run itself (setup failed), not a verdict.
  std::string error;

  bool expectations_held() const;
  bool ok() const { return error.empty() && violations.empty() && expectations_held(); }
};

class Runner {
 public:
  Runner(Scenario scenario, RunOptions options);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  RunResult Run();

  // Valid during and after Run().
  World& world() { return *world_; }
  const Layout& layout() const { return layout_; }

 private:
  struct Agenda;
  class AdminQueue;

  void Setup();
  void Preload();
  void PreloadStep();
  void ScheduleActions();
  void Schedule(int64_t at_ms, int priority, std::string tag, std::function<void()> fn);
  void ApplyFault(const Action& a);
  void StartAdmin(const Action& a, std::function<void()> done);
  void Undo(const Action& a);
  void RecordFault(const std::string& kind, std::vector<std::string> nodes,
                   std::string detail, const std::string& id);
  std::vector<std::string> AllEndpointNames() const;
  std::vector<std::string> Others(const std::vector<std::string>& names) const;
  std::string Substitute(const std::string& arg) const;
  void HealPhase();
  void CheckTimedExpectations(bool final_check);
  bool Converged() const;
  sim::Time At(int64_t ms) const { return record_.start + sim::Duration::Millis(ms); }

  Scenario scenario_;
  RunOptions options_;
  uint64_t seed_ = 1;
  Layout layout_;
  std::unique_ptr<World> world_;
  RunRecord record_;
  std::unique_ptr<FailoverTracker> failovers_;
  std::unique_ptr<Agenda> agenda_;
  std::unique_ptr<AdminQueue> admin_;
  std::map<std::string, std::vector<sim::FaultId>> fault_ids_;  // by action id
  // Workload.preload keys (indexes) not yet written, by master.
  std::map<std::string, std::vector<int64_t>> preload_;
  std::vector<ExpectationOutcome> outcomes_;
  std::vector<bool> decided_;
  int cli_runs_ = 0;
  RunPhase phase_ = RunPhase::kSetup;
  bool stop_ = false;
};

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_RUNNER_H_
