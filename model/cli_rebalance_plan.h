// The planning half of `redis-cli --cluster rebalance`.
//
// Redis: clusterManagerCommandRebalance in src/redis-cli.c (after the cluster is
// loaded and before/around clusterManagerMoveSlot), with
// clusterManagerNodeByAbbreviatedName for --cluster-weight and
// clusterManagerComputeReshardTable (cli_reshard_plan.h) for each move. The
// `check` that must pass first ("*** Please fix your cluster problems before
// rebalancing") and the slot moves belong to the actor.
//
// Rules, nodes in redis-cli's node-list order:
//  1. --cluster-weight "<id prefix>=<w>": the first node whose name starts with
//     the (lowercased) prefix gets weight atof(w) (a replica can match and then
//     nothing happens). No '=' or no match is an error.
//  2. Involved: masters (not slave, no replicate). Without use_empty_masters a
//     master owning no slots gets weight 0 and is left out.
//  3. total_weight = float sum of weights; expected = (int)(16384f / total * w)
//     (float); balance = slots_count - expected.
//  4. Only if some node is over the threshold: |100 - 100.0*expected/slots| >
//     threshold (computed in double, compared as float), or 0 slots and
//     expected > 1. A threshold <= 0 never triggers, so never rebalances.
//  5. While the balances sum to > 0, walk the involved nodes in order and
//     decrement each balance <= 0 (one per node per walk).
//  6. Stable sort by balance ascending; dst from the front, src from the back;
//     move min(|b_dst|, |b_src|) slots from src to dst with a single-source
//     reshard table; advance an index when its balance hits 0; stop when they
//     meet. A table shorter than the count aborts ("*** Assertion failed:
//     Reshard table != number of slots").
// Slot lists are computed as a real run sees them: clusterManagerMoveSlot with
// OPT_UPDATE updates the source's and target's slot maps but not slots_count.
// With --cluster-simulate redis-cli prints the same lines and moves nothing.

#ifndef SLOTSIM_MODEL_CLI_REBALANCE_PLAN_H_
#define SLOTSIM_MODEL_CLI_REBALANCE_PLAN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/cli_node.h"

namespace slotsim::model {

struct RebalanceOptions {
  std::vector<std::string> weights;  // each "<id prefix>=<weight>"
  bool use_empty_masters = false;
  float threshold = 2.0f;  // CLUSTER_MANAGER_REBALANCE_THRESHOLD
  bool verbose = false;    // adds "<ip>:<port> balance is <n> slots" lines
};

struct RebalanceMove {
  int src = -1;  // node indexes
  int dst = -1;
  int numslots = 0;
  std::vector<int> slots;  // the reshard table, in move order
};

struct RebalanceNode {
  int node = -1;
  float weight = 0;
  int expected = 0;
  int balance = 0;  // after the rounding adjustment of step 5
};

struct RebalancePlan {
  bool needed = false;  // false: "*** No rebalancing needed! ..."
  float total_weight = 0;
  // Involved nodes sorted by balance (step 6 order).
  std::vector<RebalanceNode> nodes;
  std::vector<RebalanceMove> moves;
  bool table_assertion_failed = false;  // the run stops after the last move
  // "*** No rebalancing needed! All nodes are within the 2.00% threshold." or
  // ">>> Rebalancing across N nodes. Total weight = W.WW", the verbose lines,
  // then per move "Moving K slots from ip:port to ip:port" and a line of K '#'.
  std::vector<std::string> lines;
};

// Errors: "*** invalid input <arg>", "*** No such master node <prefix>", and
// (not in redis-cli, which would compute garbage) a zero total weight or an
// expected count that does not fit an int.
absl::StatusOr<RebalancePlan> PlanRebalance(const std::vector<CliNode>& nodes,
                                            const RebalanceOptions& options);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLI_REBALANCE_PLAN_H_
