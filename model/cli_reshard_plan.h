// The planning half of `redis-cli --cluster reshard`: which slots move, from
// which sources, to which target.
//
// Redis: clusterManagerComputeReshardTable, clusterManagerShowReshardTable,
// clusterNodeForResharding and the argument handling of
// clusterManagerCommandReshard in src/redis-cli.c. Moving the slots
// (clusterManagerMoveSlot) and the prior `check` belong to the actor.
//
// Reshard table: sources are stably sorted by slots_count, largest first (redis-cli
// uses qsort, which glibc implements as a stable merge sort). Source i may give
//   n = (float)numslots / (float)total_source_slots * (float)slots_count_i
// rounded up for the first source and down for the others (single precision, as
// in redis-cli), taking its lowest-numbered slots in `slots`, and the table stops
// at numslots entries. The table can be shorter than numslots (rounding down, or
// sources with too few slots). All sources empty gives an empty table (redis-cli
// would compute 0/0 here).
//
// Nodes are given in redis-cli's node-list order and named by index.

#ifndef SLOTSIM_MODEL_CLI_RESHARD_PLAN_H_
#define SLOTSIM_MODEL_CLI_RESHARD_PLAN_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "model/cli_node.h"

namespace slotsim::model {

struct ReshardMove {
  int slot = 0;
  int source = 0;  // node index

  bool operator==(const ReshardMove& o) const {
    return slot == o.slot && source == o.source;
  }
};

// clusterManagerComputeReshardTable. REQUIRES: numslots >= 0, valid indexes.
std::vector<ReshardMove> ComputeReshardTable(const std::vector<CliNode>& nodes,
                                             const std::vector<int>& sources,
                                             int numslots);

// clusterManagerShowReshardTable: "    Moving slot <slot> from <source id>".
std::vector<std::string> ReshardTableLines(const std::vector<CliNode>& nodes,
                                           const std::vector<ReshardMove>& table);

struct ReshardPlan {
  int target = -1;
  std::vector<int> sources;
  std::vector<ReshardMove> table;
  // "", "Ready to move N slots.", "  Source nodes:", each source's NodeInfo
  // (indent 4), "  Destination node:", the target's, "  Resharding plan:", the
  // table lines; with any "*** It is not possible to use the target node as
  // source node." lines first.
  std::vector<std::string> lines;
};

// `reshard --cluster-from <from> --cluster-to <to> --cluster-slots <numslots>`.
// `from` is a comma-separated list of node IDs or "all" (every master except
// the target, in node-list order, empty ones included). IDs match whole names,
// case-insensitively. Errors carry redis-cli's text:
//   "*** The specified node (<id>) is not known or not a master, please retry."
//   "*** No source nodes given, operation aborted."
// Naming the target as a source only prints a line and skips it.
// REQUIRES: 1 <= numslots <= 16384 (redis-cli asks again otherwise).
absl::StatusOr<ReshardPlan> PlanReshard(const std::vector<CliNode>& nodes,
                                        std::string_view from, std::string_view to,
                                        int numslots);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLI_RESHARD_PLAN_H_
