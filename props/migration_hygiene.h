// migration_hygiene: after a reshard (or rebalance, fix, add-node, del-node)
// completes, no slot is left open and every key lives on its slot's shard.
//
// Redis behaviour encoded (docs/redis-cluster-7.0-behaviour.md, 16, 16.1, 18.3,
// 18.4): redis-cli moves a slot with SETSLOT IMPORTING on the target,
// SETSLOT MIGRATING on the source, MIGRATE of every key, then SETSLOT NODE on
// the target, the source and every other master (clusterManagerMoveSlot);
// SETSLOT NODE clears the open state (importing on the target, migrating on a
// source left without keys). `--cluster fix` closes open slots it finds
// (clusterManagerFixOpenSlot). A successful run therefore leaves every
// master's migrating_slots_to and importing_slots_from empty, and each key
// only on the owner of its slot (and that owner's replicas). An interrupted
// reshard legitimately leaves open slots and keys on both sides until a fix.
//
// Statement:
//   (a) when the runner reports a cluster-manager action finished successfully
//       (FaultEvent kind "admin-done", detail "<action> ok"), no up master has
//       an open (MIGRATING or IMPORTING) slot;
//   (b) at the end of the run, if the members agree (props/agreement.h), no
//       cluster-manager action is unfinished or failed without a later
//       successful one, and no raw CLUSTER SETSLOT ... MIGRATING/IMPORTING was
//       issued outside cluster-manager actions since the last success: no
//       member has an open slot, and every key stored on a member is in a slot
//       whose owner (agreed view) is that member or its master. Replicas whose
//       replication link is not streaming are skipped (a full sync will
//       replace their data).
//
// Cluster-manager actions are FaultEvents of kind reshard, rebalance, fix,
// add-node, del-node or create (also with '_' for '-'); their completion is
// kind "admin-done" with detail "<kind> ok" or "<kind> failed: ...".

#ifndef SLOTSIM_PROPS_MIGRATION_HYGIENE_H_
#define SLOTSIM_PROPS_MIGRATION_HYGIENE_H_

#include <string>
#include <string_view>
#include <vector>

#include "props/cluster_view.h"
#include "scenarios/checker.h"

namespace slotsim::props {

// "node: migrating 42 -> m2" lines for every up master with open slots.
std::vector<std::string> OpenSlots(const ClusterView& view);
// "key on node (slot j, owner o)" lines, at most `max` of them, for keys on
// members outside their shard. REQUIRES: the members agree.
std::vector<std::string> MisplacedKeys(const ClusterView& view, int max);

class MigrationHygieneChecker : public scenarios::Checker {
 public:
  std::string_view name() const override { return "migration_hygiene"; }
  void OnFault(const scenarios::World& world, const scenarios::FaultEvent& fault) override;
  void OnNodeEvent(const scenarios::World& world, const scenarios::WorldEvent& event) override;
  void Finish(const scenarios::World& world, const scenarios::RunRecord& record) override;

 private:
  int in_progress_ = 0;        // manager actions started and not finished
  bool last_failed_ = false;   // the last finished action failed
  bool raw_open_ = false;      // raw SETSLOT MIGRATING/IMPORTING since the last success
};

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_MIGRATION_HYGIENE_H_
