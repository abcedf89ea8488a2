// WorkloadDriver: starts a scenario's client workload (scenarios/workload.h)
// when the runner does not.
//
// The runner (scenarios/runner.cc) does not start `workload` clients yet, so
// RunRecord::history stays empty and nothing measures writes. A sweep needs
// client writes for unavailability and lost writes, so this checker-shaped
// hook adds the workload's clients (c1..cN, seeded with every cluster node's
// client address) at the start of the safety phase and records their
// operations in its own History. If the runner already started clients (an
// actor named c1 exists), it does nothing and the runner's history is used.
// Remove it once the runner drives the workload itself.
//
// Determinism: the clients start inside kernel events scheduled at time zero
// of the safety phase, with random streams forked from the run seed by the
// world, so the run stays a function of (scenario, seed, build).

#ifndef SLOTSIM_TOOLS_SWEEP_WORKLOAD_DRIVER_H_
#define SLOTSIM_TOOLS_SWEEP_WORKLOAD_DRIVER_H_

#include <string_view>

#include "scenarios/checker.h"
#include "scenarios/history.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.pb.h"

namespace slotsim::tools::sweep {

class WorkloadDriver : public scenarios::Checker {
 public:
  explicit WorkloadDriver(const scenarios::Scenario& scenario) : scenario_(scenario) {}

  // The runner this driver is registered with (RunOptions::checkers); it must
  // be attached before Run() and outlive the driver's use.
  void Attach(scenarios::Runner* runner) { runner_ = runner; }

  std::string_view name() const override { return "sweep_workload"; }
  void OnPhase(const scenarios::World& world, scenarios::RunPhase phase,
               const scenarios::RunRecord& record) override;

  // Whether this driver started the clients.
  bool started() const { return started_; }
  const scenarios::History& history() const { return history_; }

 private:
  const scenarios::Scenario& scenario_;
  scenarios::Runner* runner_ = nullptr;
  bool started_ = false;
  scenarios::History history_;
};

// The history of the run's client operations: the runner's if it recorded
// any, else the driver's.
const scenarios::History& ClientHistory(const scenarios::RunRecord& record,
                                        const WorkloadDriver& driver);

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_WORKLOAD_DRIVER_H_
