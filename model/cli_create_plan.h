// The planning half of `redis-cli --cluster create`: which nodes become masters,
// their slot ranges, which replica follows which master, and the config epochs.
//
// Redis: clusterManagerCommandCreate (from the masters-count check to
// clusterManagerShowNodes), with clusterManagerNodeArrayInit/Add/Shift/Reset for
// the interleaving and clusterManagerOptimizeAntiAffinity (cli_anti_affinity.h).
// The I/O before (connect, INFO, emptiness checks) and after (ADDSLOTS,
// SET-CONFIG-EPOCH, MEET, wait for join, REPLICATE, check) belongs to the
// cluster-manager actor.
//
// Steps, all by node index in argument order:
//  1. masters_count = N / (R + 1); fewer than 3 is an error (exact redis-cli text).
//  2. Interleave by host: hosts in order of first appearance; repeatedly take the
//     next node of each host in turn. The first masters_count are the masters.
//  3. Slots: spn = 16384 / (float)masters_count; master i gets
//     [first, lround(cursor + spn - 1)] with single-precision float arithmetic,
//     the last master ending at 16383; cursor += spn.
//  4. The other nodes, rotated left by one, are handed out: each master in turn
//     takes R replicas, each the first remaining node on another host, else the
//     first remaining node. If nodes remain, "Adding extra replicas..." and one
//     more pass gives each master at most one more. Anything still left (possible
//     only when R > masters_count) stays an empty master.
//  5. OptimizeAntiAffinity with `rng` (redis-cli uses the C library's generator seeded by the clock).
//  6. Config epochs 1..N in argument order (CLUSTER SET-CONFIG-EPOCH, replicas
//     included).
//
// Invariants of a plan: masters' ranges partition 0..16383 in order; every
// replica's master is a master; config_epochs is a permutation of 1..N.

#ifndef SLOTSIM_MODEL_CLI_CREATE_PLAN_H_
#define SLOTSIM_MODEL_CLI_CREATE_PLAN_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "model/cli_node.h"
#include "model/types.h"
#include "sim/rng.h"

namespace slotsim::model {

struct CreateNode {
  std::string ip;
  int port = 0;
  NodeName name;  // the node's ID (redis-cli loads it before planning)
};

struct CreatePlan {
  int masters_count = 0;
  // All nodes interleaved by host; the first masters_count are the masters.
  std::vector<int> interleaved;
  std::vector<int> masters;
  // Inclusive slot range of masters[i].
  std::vector<std::pair<int, int>> master_slots;
  // Per node: the master index it replicates, or -1 (master / left unassigned).
  // `initial_master_of` is before anti-affinity (what "Adding replica" printed).
  std::vector<int> initial_master_of;
  std::vector<int> master_of;
  int initial_score = 0;  // anti-affinity score before / after optimisation
  int final_score = 0;
  // Per node (argument order): the CLUSTER SET-CONFIG-EPOCH value, 1..N.
  std::vector<int> config_epochs;
  // The manager's view after planning, argument order: masters dirty with their
  // slots, replicas dirty with `replicate` set. What clusterManagerFlushNodeConfig
  // turns into CLUSTER ADDSLOTS / CLUSTER REPLICATE.
  std::vector<CliNode> nodes;
  // redis-cli's stdout from ">>> Performing hash slots allocation..." through
  // clusterManagerShowNodes, one line per entry, without colour escapes.
  std::vector<std::string> lines;
};

// The slot split of step 3 alone. REQUIRES: masters_count >= 1.
std::vector<std::pair<int, int>> CreateSlotSplit(int masters_count);

// Steps 1-6. Errors (InvalidArgument) carry redis-cli's exact message, e.g.
//   "*** ERROR: Invalid configuration for cluster creation.\n"
//   "*** Redis Cluster requires at least 3 master nodes.\n"
//   "*** This is not possible with 5 nodes and 1 replicas per node.\n"
//   "*** At least 6 nodes are required.\n"
// A negative `replicas` is rejected too (redis-cli would divide by zero or
// misbehave).
absl::StatusOr<CreatePlan> PlanCreate(const std::vector<CreateNode>& nodes, int replicas,
                                      sim::Rng& rng);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLI_CREATE_PLAN_H_
