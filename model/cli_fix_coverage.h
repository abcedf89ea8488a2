// `redis-cli --cluster check/fix`: slot coverage, open-slot detection and
// multiple owners, as pure decisions over the manager's view.
//
// Redis (src/redis-cli.c, 7.0.15): clusterManagerGetCoveredSlots,
// clusterManagerFixSlotsCoverage, clusterManagerNodeMasterRandom,
// clusterManagerFixMultipleSlotOwners and the open-slot / multiple-owner scans of
// clusterManagerCheckCluster. Key counts are given as one snapshot per slot: a
// vector with one entry per node (CLUSTER COUNTKEYSINSLOT; for coverage redis-cli
// only asks GETKEYSINSLOT s 1, i.e. whether the count is non-zero).
//
// Uncovered slots (owned by no node in the view) fall in three groups, handled in
// this order, each after its own yes/no question (asked even with --cluster-yes):
//   no keys anywhere   -> SetSlotOwner on a random master;
//   keys on one master -> SetSlotOwner on it;
//   keys on several    -> SetSlotOwner(clear) on the one with most keys (first on
//                         ties), then each other one: SETSLOT NODE <owner>,
//                         SETSLOT IMPORTING <owner>, cold move into the owner,
//                         SETSLOT STABLE.
// Random master: clusterManagerNodeMasterRandom reseeds the C library's
// generator with the current second on every call, so within one second every slot of the first group goes to the
// same master. We draw once per plan (rng.Uniform over the non-slave nodes).
// Redis walks the slots of each group in dict order; we use ascending order.

#ifndef SLOTSIM_MODEL_CLI_FIX_COVERAGE_H_
#define SLOTSIM_MODEL_CLI_FIX_COVERAGE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/cli_node.h"
#include "model/cli_step.h"
#include "sim/rng.h"

namespace slotsim::model {

// Per slot, one key count per node (missing slots count as no keys anywhere).
using SlotKeyCounts = std::map<int, std::vector<int64_t>>;

// clusterManagerGetCoveredSlots: slots that no node (masters or replicas) lists.
std::vector<int> UncoveredSlots(const std::vector<CliNode>& nodes);

// The open-slot part of clusterManagerCheckCluster: ascending slots that any node
// lists as migrating or importing, and the warning lines
//   "[WARNING] Node ip:port has slots in migrating state 5,7."
//   "[WARNING] Node ip:port has slots in importing state 9."
//   "[WARNING] The following slots are open: 5,7,9."
// (Redis lists the last line's slots in dict order; we list them ascending.)
struct OpenSlotsReport {
  std::vector<int> slots;
  std::vector<std::string> lines;
};
OpenSlotsReport FindOpenSlots(const std::vector<CliNode>& nodes);

struct CoverageGroup {
  enum class Kind { kNoKeys, kOneNode, kManyNodes };
  Kind kind = Kind::kNoKeys;
  std::vector<int> slots;           // ascending
  std::vector<std::string> header;  // description line + slot list ("[1-3],[7]")
  std::string question;             // asked as "<question> (type 'yes' to accept): "
  std::vector<CliStep> steps;       // run only on "yes"
};

struct FixCoveragePlan {
  std::vector<int> uncovered;
  std::vector<CoverageGroup> groups;  // non-empty groups, in redis-cli's order
};

// clusterManagerFixSlotsCoverage, after ">>> Fixing slots coverage...".
FixCoveragePlan PlanFixSlotsCoverage(const std::vector<CliNode>& nodes,
                                     const SlotKeyCounts& keys, sim::Rng& rng);

// The multiple-owner scan of clusterManagerCheckCluster: masters (not slave)
// that own the slot or hold keys in it.
std::vector<int> SlotClaimants(const std::vector<CliNode>& nodes, int slot,
                               const std::vector<int64_t>& keys_in_slot);

// clusterManagerFixMultipleSlotOwners: the claimant with most keys (first if
// none is a plain master) becomes the owner via SetSlotOwner; every other master
// gets DelSlot (result ignored), SETSLOT node <owner>, and a cold move of its
// keys into the owner if it has any. REQUIRES: claimants.size() >= 2.
std::vector<CliStep> PlanFixMultipleSlotOwners(const std::vector<CliNode>& nodes,
                                               int slot,
                                               const std::vector<int>& claimants,
                                               const std::vector<int64_t>& keys_in_slot);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLI_FIX_COVERAGE_H_
