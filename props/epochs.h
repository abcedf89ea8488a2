// epochs: currentEpoch only grows, configEpoch never passes currentEpoch, and
// masters end with distinct configEpochs.
//
// Redis behaviour encoded (docs/redis-cluster-7.0-behaviour.md, section 10):
//   - currentEpoch is raised to a sender's greater currentEpoch, incremented by
//     an election, a configEpoch bump or a collision, raised by CLUSTER
//     SET-CONFIG-EPOCH, and set to 0 only by CLUSTER RESET HARD (10.1); it is
//     saved in nodes.conf ("vars currentEpoch") and reloaded on restart
//     (clusterLoadConfig, 4.2), and every change is saved before the step's
//     replies leave (clusterBeforeSleep, 4.3);
//   - a configEpoch is only ever set from currentEpoch (election win, bump,
//     collision) or adopted from a header or UPDATE whose sender's currentEpoch
//     was adopted first, so no node knows a configEpoch greater than its own
//     currentEpoch (10.1-10.2; replicas' configEpochs load as 0);
//   - the collision rule (clusterHandleConfigEpochCollision, 10.2) makes
//     masters' configEpochs distinct once they exchange PING/PONG.
//
// Statement:
//   step     for every node, at every event: (a) currentEpoch did not decrease
//            within a step unless the step ran CLUSTER RESET HARD; (b) after a
//            restart, the loaded currentEpoch is at least the one in the
//            nodes.conf it restarted from (what was persisted). It may be
//            below the value before the crash: 7.0.15 raises currentEpoch from
//            a header without saving nodes.conf (clusterProcessPacket flags a
//            save only for a configEpoch change), so such restarts are
//            counted (current_epoch_regressions), not reported; (c)
//            every configEpoch the node knows is <= its currentEpoch (checked
//            for every kConfigEpoch event and for its own entry; in full after
//            a restart).
//   final    if the members agree at the end (props/agreement.h) and the run
//            had been converged for at least one node timeout
//            (RunRecord.converged_at), member masters have pairwise distinct
//            configEpochs.

#ifndef SLOTSIM_PROPS_EPOCHS_H_
#define SLOTSIM_PROPS_EPOCHS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/types.h"
#include "props/cluster_view.h"
#include "scenarios/checker.h"

namespace slotsim::props {

// A node `cs` knows whose configEpoch exceeds cs.current_epoch (null if none).
const model::ClusterNode* EpochAboveCurrent(const model::ClusterState& cs);

// Pairs of member masters (indexes into view.nodes) sharing a configEpoch in
// their own views.
std::vector<std::pair<int, int>> DuplicateMasterEpochs(const ClusterView& view);

// currentEpoch from nodes.conf text (0 if unparsable or absent).
uint64_t PersistedCurrentEpoch(const std::string& nodes_conf);

class EpochsChecker : public scenarios::Checker {
 public:
  std::string_view name() const override { return "epochs"; }

  void OnPhase(const scenarios::World& world, scenarios::RunPhase phase,
               const scenarios::RunRecord& record) override;
  void AfterEvent(const scenarios::World& world, int touched) override;
  void OnNodeEvent(const scenarios::World& world,
                   const scenarios::WorldEvent& event) override;
  void OnFault(const scenarios::World& world,
               const scenarios::FaultEvent& fault) override;
  void Finish(const scenarios::World& world, const scenarios::RunRecord& record) override;

  // Restarts that came back with a lower currentEpoch than before the crash
  // (allowed, see (b)).
  int current_epoch_regressions() const { return regressions_; }

 private:
  enum class Down { kNo, kProcess, kPowerLoss };
  struct NodeState {
    const model::ClusterState* cs = nullptr;
    uint64_t current = 0;
    Down down = Down::kNo;
    bool reset_hard = false;              // in this step
    std::vector<uint64_t> config_epochs;  // kConfigEpoch values in this step
  };
  void Init(const scenarios::World& world);
  void CheckNode(const scenarios::World& world, int i);

  bool active_ = false;
  ClusterView view_;
  std::vector<NodeState> nodes_;
  std::vector<int> dirty_;
  int regressions_ = 0;
};

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_EPOCHS_H_
