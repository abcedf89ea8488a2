// no_lost_slot: slots are never lost, in any view, except on purpose.
//
// Redis behaviour encoded (docs/redis-cluster-7.0-behaviour.md):
//   - a slot changes owner only by rebinding (clusterUpdateSlotsConfigWith:
//     a greater configEpoch takes it, 10.3; clusterFailoverReplaceYourMaster,
//     11.5; CLUSTER SETSLOT ... NODE, 16); none of these leaves it unbound;
//   - a slot becomes unbound in a node's view only through CLUSTER DELSLOTS /
//     DELSLOTSRANGE / FLUSHSLOTS / RESET on that node, clusterDelNode (CLUSTER
//     FORGET of the owner), or clusterProcessPacket's "a master announced it
//     is now a replica" path, which calls clusterDelNodeSlots on the sender
//     (7.0.15: the slots stay unbound in that view until a PING/PONG or UPDATE
//     from the new owner rebinds them).
//
// Statement:
//   step   in each node's own view, the number of bound slots never drops
//          within one step unless that step ran one of the admin commands
//          above on that node, or processed a "master is now a replica"
//          announcement (a transient unbinding; counted, and the final check
//          below catches it if it is never repaired). A restart (new
//          ClusterState loaded from nodes.conf) starts a new baseline.
//   final  let S be the slots bound in some up node's view when the safety
//          phase starts, minus slots deleted by DELSLOTS/DELSLOTSRANGE and the
//          slots a node owned when it ran FLUSHSLOTS or RESET. At the end of
//          the run, if the members agree (props/agreement.h; otherwise the
//          convergence property reports), every slot of S is bound in the
//          agreed view to a member that is up, a master in its own view, and
//          binds the slot to itself.
//
// Cost: the step check recounts bound slots (O(nodes in the view)) only when
// a touched node's slot table changed; the final check is O(members x 16384).

#ifndef SLOTSIM_PROPS_NO_LOST_SLOT_H_
#define SLOTSIM_PROPS_NO_LOST_SLOT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/types.h"
#include "props/cluster_view.h"
#include "props/slot_claims.h"
#include "scenarios/checker.h"

namespace slotsim::props {

// Number of slots bound to some node in `cs` (sum of num_slots).
int BoundSlots(const model::ClusterState& cs);

// Slots of `expected` that the agreed view does not serve: unbound, or bound
// to a node that is down, not a master in its own view, or does not bind the
// slot to itself. REQUIRES: CheckAgreement(view).agreed with members.
model::SlotBitmap UnservedSlots(const ClusterView& view,
                                const model::SlotBitmap& expected);

// Slots bound in at least one up node's view.
model::SlotBitmap SlotsBoundSomewhere(const ClusterView& view);

// The slot numbers of "CLUSTER DELSLOTS a b" / "CLUSTER DELSLOTSRANGE a b c d"
// (case-insensitive, as the kCommand event prints argv); empty for anything
// else.
std::vector<int> DeletedSlotsOfCommand(std::string_view argv_text);

class NoLostSlotChecker : public scenarios::Checker {
 public:
  std::string_view name() const override { return "no_lost_slot"; }

  void OnPhase(const scenarios::World& world, scenarios::RunPhase phase,
               const scenarios::RunRecord& record) override;
  void AfterEvent(const scenarios::World& world, int touched) override;
  void OnNodeEvent(const scenarios::World& world,
                   const scenarios::WorldEvent& event) override;
  void OnFault(const scenarios::World& world,
               const scenarios::FaultEvent& fault) override;
  void Finish(const scenarios::World& world, const scenarios::RunRecord& record) override;

  // Unbindings through the "master is now a replica" path (7.0.15 behaviour).
  int transient_unbindings() const { return transient_; }

 private:
  struct Baseline {
    const model::ClusterState* cs = nullptr;
    uint64_t slots_version = 0;
    int bound = 0;
  };
  struct StepNote {
    bool admin = false;    // an admin command that may unbind
    bool demoted = false;  // a master-now-replica announcement
  };
  void Init(const scenarios::World& world);
  void Rebase(int i);

  bool active_ = false;
  ClusterView view_;
  SlotClaims claims_{0};
  std::vector<Baseline> base_;
  std::vector<StepNote> notes_;
  std::vector<int> noted_;
  std::vector<int> dirty_;
  model::SlotBitmap owned_before_;
  model::SlotBitmap exempt_;
  int transient_ = 0;
};

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_NO_LOST_SLOT_H_
