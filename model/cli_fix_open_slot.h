// `redis-cli --cluster fix`, open slots: who owns the slot and which of the four
// cases applies.
//
// Redis: clusterManagerFixOpenSlot and clusterManagerGetNodeWithMostKeysInSlot in
// src/redis-cli.c (7.0.15). Input is the manager's view (node-list order) plus the
// CLUSTER COUNTKEYSINSLOT answer of every node for the slot, taken as one
// snapshot (redis-cli asks at several moments; the answers can only differ if
// clients write meanwhile). Output is the ordered steps (cli_step.h).
//
// Decisions, masters = nodes without the slave flag:
//  1. Owners: masters owning the slot, and masters with keys in it ("*** Found keys
//     about slot S in non-owner node ...!"). Exactly one: that is the owner.
//  2. Migrating list: masters with the slot in `migrating`. Importing list:
//     masters with it in `importing` (and not migrating), plus masters that are
//     neither, are not the owner and have keys ("*** Found keys about slot S in
//     node ...!").
//  3. No single owner: the owner becomes the first master (not slave, no
//     replicate) with the most keys - with no keys anywhere, simply the first
//     master in the list, even one that never claimed the slot. Steps: SETSLOT
//     STABLE and SetSlotOwner on it; it leaves both lists.
//  4. Several owners: every other owner gets DelSlot, SETSLOT node <owner>,
//     SETSLOT importing <owner>, and moves to the end of the importing list (and
//     out of the migrating list).
//  5. Case 1: one migrating and one importing node -> move the slot between
//     them (verbose|update).
//     Case 2: none migrating, some importing -> cold-move every importing node's
//     keys to the owner and SETSLOT STABLE there, then SETSLOT NODE <owner> on
//     every other master.
//     Case 3: one migrating, several importing, none of those with keys -> if
//     one of them is the migrating node's target, move the slot to it and
//     STABLE the others; else STABLE all of them and the migrating node.
//     Case 4: one migrating, none importing, and the migrating node is the owner
//     or has no keys -> SETSLOT STABLE on it.
//     Anything else is unfixable ("[ERR] Sorry, redis-cli can't fix this slot
//     yet ..."), including the case where step 3 already closed the only open
//     node and both lists are now empty.

#ifndef SLOTSIM_MODEL_CLI_FIX_OPEN_SLOT_H_
#define SLOTSIM_MODEL_CLI_FIX_OPEN_SLOT_H_

#include <cstdint>
#include <vector>

#include "model/cli_node.h"
#include "model/cli_step.h"

namespace slotsim::model {

enum class OpenSlotCase {
  kNoOwner,          // no master at all: "[ERR] Can't select a slot owner."
  kMoveToImporting,  // case 1
  kColdMoveToOwner,  // case 2
  kMoveToTarget,     // case 3, the migration target is among the importers
  kCloseAll,         // case 3, it is not
  kCloseMigrating,   // case 4
  kUnfixable,
};

struct FixOpenSlotPlan {
  int slot = -1;
  std::vector<int> owners;  // step 1
  int owner = -1;           // after step 3
  bool owner_chosen_by_keys = false;
  std::vector<int> migrating;  // after steps 3-4
  std::vector<int> importing;
  OpenSlotCase open_case = OpenSlotCase::kUnfixable;
  // false for kNoOwner and kUnfixable: redis-cli's fix returns failure after
  // the steps (which then end in the error line).
  bool ok = false;
  std::vector<CliStep> steps;
};

// clusterManagerGetNodeWithMostKeysInSlot over `candidates` (node indexes, in
// order): skips slaves and nodes with a master; the first with the strictly
// largest count. -1 if no candidate is a master.
int NodeWithMostKeys(const std::vector<CliNode>& nodes,
                     const std::vector<int>& candidates,
                     const std::vector<int64_t>& keys_in_slot);

// clusterManagerFixOpenSlot. REQUIRES: keys_in_slot.size() == nodes.size().
FixOpenSlotPlan PlanFixOpenSlot(const std::vector<CliNode>& nodes, int slot,
                                const std::vector<int64_t>& keys_in_slot);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLI_FIX_OPEN_SLOT_H_
