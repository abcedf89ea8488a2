// CliStep: one step of a cluster-manager plan, for the actor to execute in order.
//
// The `fix` planners (cli_fix_open_slot.h, cli_fix_coverage.h) decide what
// redis-cli would do and return it as a list of steps; the cluster-manager actor
// performs them against the nodes. Unless a step says otherwise, redis-cli stops
// the whole fix at the first failed step. Node fields are indexes into the
// planner's node list.
//
// Composite steps stand for redis-cli helper functions (src/redis-cli.c):
//  - kSetSlotOwner = clusterManagerSetSlotOwner(node, slot, clear): MULTI;
//    CLUSTER DELSLOTS slot (its error is ignored when the slot is unassigned);
//    CLUSTER ADDSLOTS slot; [CLUSTER SETSLOT slot STABLE if clear];
//    CLUSTER BUMPEPOCH; EXEC.
//  - kDelSlot = clusterManagerDelSlot(node, slot, ignore_unassigned_err=1):
//    CLUSTER DELSLOTS slot; an error counts as success if the node then reports
//    the slot unassigned.
//  - kMoveSlot = clusterManagerMoveSlot(node -> target, slot, move_opts): unless
//    kMoveCold, SETSLOT IMPORTING on the target and MIGRATING on the source;
//    GETKEYSINSLOT/MIGRATE batches until empty; unless kMoveCold, SETSLOT NODE
//    target on the target, the source (tolerating "ERR Please use SETSLOT only
//    with masters.") and every other master. kMoveUpdate: the manager's view
//    moves the slot too.

#ifndef SLOTSIM_MODEL_CLI_STEP_H_
#define SLOTSIM_MODEL_CLI_STEP_H_

#include <string>
#include <utility>
#include <vector>

namespace slotsim::model {

// CLUSTER_MANAGER_OPT_* values of redis-cli.
inline constexpr int kMoveCold = 1 << 1;
inline constexpr int kMoveUpdate = 1 << 2;
inline constexpr int kMoveQuiet = 1 << 6;
inline constexpr int kMoveVerbose = 1 << 7;

struct CliStep {
  enum class Kind { kLog, kCommand, kSetSlotOwner, kDelSlot, kMoveSlot };

  Kind kind = Kind::kLog;
  std::string text;               // kLog: one printed line
  int node = -1;                  // the node addressed; kMoveSlot: the source
  int target = -1;                // kMoveSlot: the destination
  int slot = -1;                  // kSetSlotOwner, kDelSlot, kMoveSlot
  std::vector<std::string> argv;  // kCommand
  bool clear = false;             // kSetSlotOwner: include SETSLOT STABLE
  int move_opts = 0;              // kMoveSlot
  bool ignore_failure = false;    // redis-cli ignores this step's result

  static CliStep Log(std::string line);
  static CliStep Command(int node, std::vector<std::string> argv);
  static CliStep SetSlotOwner(int node, int slot, bool clear);
  static CliStep DelSlot(int node, int slot, bool ignore_failure);
  static CliStep MoveSlot(int source, int target, int slot, int move_opts);

  // Compact text for tests and timelines, e.g. "cmd 2 CLUSTER SETSLOT 5 STABLE",
  // "owner 1 slot 5 clear", "move 0->3 slot 5 cold", "log >>> ...".
  std::string ToString() const;

  bool operator==(const CliStep& o) const;
};

// Renders each step with ToString(), for comparing whole plans in tests.
std::vector<std::string> CliStepStrings(const std::vector<CliStep>& steps);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLI_STEP_H_
