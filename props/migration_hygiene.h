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
//   (a) when a cluster-manager action finishes successfully (the runner's
//       FaultEvent "<action>-done", e.g. "reshard-done"), no up master has an
//       open (MIGRATING or IMPORTING) slot;
//   (b) at the end of the run, if the members agree (props/agreement.h), some
//       cluster-manager action finished successfully, none is unfinished or
//       failed without a later success, and no raw CLUSTER SETSLOT ...
//       MIGRATING/IMPORTING admin command ran outside cluster-manager actions
//       since the last success: no member has an open slot, and, if no replica
//       was promoted during the run, every key stored on a member is in a slot
//       whose owner (agreed view) is that member or its master. Replicas whose
//       replication link is not streaming are skipped (a full sync will
//       replace their data).
//
// Why promotions exempt the key check (7.0.15 behaviour, not a model bug): a
// replica that migrates to an orphaned master (clusterHandleSlaveMigration)
// frees its old master link, so replicationHandleMasterDisconnection sets
// repl_down_since = now; if the new master fails before the first sync, the
// replica's data age passes (clusterHandleSlaveFailover) and it is promoted
// holding its previous shard's keys, which then linger in slots it does not
// own (and replicate to its replicas). misplaced() counts them at the end of
// every run.
//
// The runner's records (scenarios/runner.cc): a cluster-manager action is a
// fault of kind create, reshard, rebalance, fix, add_node or del_node when it
// starts, then "<kind>-done" or "<kind>-failed"; an admin command is kind
// "command" with detail "<argv> -> <reply>". (b) replays RunRecord.faults;
// (a) needs the runner to forward its records to Checker::OnFault.

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
// One "key 'k' (slot j) on node, slot owner o" line per (member, slot) pair
// where the member holds keys of a slot outside its shard, at most `max`.
// REQUIRES: the members agree.
std::vector<std::string> MisplacedKeys(const ClusterView& view, int max);

// What the manager actions and admin commands of a run add up to.
struct ManagerStatus {
  int in_progress = 0;       // started and not finished
  bool any_success = false;  // some action finished successfully
  bool last_failed = false;  // the last finished action failed
  bool raw_open = false;     // raw SETSLOT MIGRATING/IMPORTING since the last success

  // Feeds one fault record (kind, detail) in run order.
  void Note(const std::string& kind, const std::string& detail);
  // The end-of-run check applies.
  bool Judged() const {
    return any_success && in_progress == 0 && !last_failed && !raw_open;
  }
};

class MigrationHygieneChecker : public scenarios::Checker {
 public:
  std::string_view name() const override { return "migration_hygiene"; }
  void OnFault(const scenarios::World& world,
               const scenarios::FaultEvent& fault) override;
  void OnNodeEvent(const scenarios::World& world,
                   const scenarios::WorldEvent& event) override;
  void Finish(const scenarios::World& world, const scenarios::RunRecord& record) override;

  // (node, slot) pairs holding keys outside their shard at the end (when the
  // members agree), judged or not.
  int misplaced() const { return misplaced_; }

 private:
  bool promoted_ = false;  // a kPromoted event happened
  int misplaced_ = 0;
};

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_MIGRATION_HYGIENE_H_
