// Harness: drives checkers on a World the way the runner does, for tests.
//
// The runner (scenarios/runner.h) owns phases, fault schedules and the run
// record; props tests need only its checker plumbing: an after-event hook that
// hands every checker World::TakeTouched(), listeners that forward node events
// and faults, the phase calls and a RunRecord (faults, failovers from kPromoted
// events, heal and convergence times).
//
// Example:
//   Harness h(Harness::Options(3, 1, /*node_timeout_ms=*/1000));
//   SingleWriterChecker sw(false);
//   h.Add(&sw);
//   ASSERT_TRUE(h.FormCluster());   // kSetup, then kSafety
//   h.world().Crash("m1");
//   h.RunFor(sim::Duration::Seconds(10));
//   h.Heal();                        // kHeal: heal, restart, resume
//   h.Finish();                      // kEnd + Finish
//   EXPECT_TRUE(sw.ok());

#ifndef SLOTSIM_PROPS_TESTING_HARNESS_H_
#define SLOTSIM_PROPS_TESTING_HARNESS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "props/convergence.h"
#include "scenarios/checker.h"
#include "scenarios/cluster_setup.h"
#include "scenarios/run_record.h"
#include "scenarios/world.h"
#include "sim/time.h"

namespace slotsim::props::testing {

class Harness {
 public:
  // M masters, R replicas each, `spares` spare nodes, on a quiet network.
  static scenarios::WorldOptions Options(int masters, int replicas,
                                         int64_t node_timeout_ms, uint64_t seed = 1,
                                         int spares = 0);

  explicit Harness(scenarios::WorldOptions options);

  scenarios::World& world() { return *world_; }
  scenarios::RunRecord& record() { return record_; }
  scenarios::RunPhase phase() const { return phase_; }
  // Checkers are not owned; add them before FormCluster.
  void Add(scenarios::Checker* checker) { checkers_.push_back(checker); }

  // Starts the formed cluster (DefaultLayout of the options' shape), waits for
  // convergence in kSetup, then enters kSafety. False if it never converged.
  bool FormCluster(int masters, int replicas);
  // Enters a phase (OnPhase on every checker).
  void EnterPhase(scenarios::RunPhase phase);

  void RunFor(sim::Duration d) { world_->RunFor(d); }
  bool RunUntil(const std::function<bool()>& pred, sim::Duration limit) {
    return world_->RunUntil(pred, world_->now() + limit);
  }
  // An admin command as the runner issues it: a "command" fault, then the
  // command on the node.
  model::Reply Command(const std::string& node, const std::vector<std::string>& argv);

  // kHeal: heals the network, restarts crashed and resumes paused nodes, sets
  // the convergence bound (10 NT) and runs until the harness's own
  // convergence checker says converged, or the bound passes. Returns whether
  // it converged.
  bool Heal();
  // kEnd, then Finish on every checker.
  void Finish();

  // Violations of every checker, one line each.
  std::vector<std::string> Violations() const;

 private:
  std::unique_ptr<scenarios::World> world_;
  std::vector<scenarios::Checker*> checkers_;
  scenarios::RunRecord record_;
  scenarios::RunPhase phase_ = scenarios::RunPhase::kSetup;
  ConvergenceChecker convergence_;
  int64_t node_timeout_ms_ = 15000;
};

}  // namespace slotsim::props::testing

#endif  // SLOTSIM_PROPS_TESTING_HARNESS_H_
