// ClusterManager: an actor that does what `redis-cli --cluster` 7.0.15 does,
// talking to the nodes over the simulated network: create, add-node,
// del-node, check, fix, reshard and rebalance (clusterManagerCommand* in
// src/redis-cli.c), with the same commands in the same order, the same waits
// and the same printed lines (without colour escapes).
//
// It runs one command and stops. The planning arithmetic comes from the pure
// planners in model/cli_*.h (PlanCreate, PlanReshard, PlanRebalance,
// PlanFixOpenSlot, PlanFixSlotsCoverage, PlanFixMultipleSlotOwners); this
// actor does the I/O around them: loading the cluster view
// (clusterManagerLoadInfoFromNode), the checks, and every command.
//
// redis-cli is synchronous; here each command's continuation runs when the
// reply arrives, so at most one command is in flight. Differences from
// redis-cli, all forced by simulation or documented choices:
//  - Replies: redis-cli waits forever; here a command without a reply within
//    options.command_timeout (MIGRATE: its own timeout + command_timeout)
//    counts as hiredis's NULL reply, and that connection stays unusable
//    (hiredis keeps its error: every later command on it returns NULL), as a
//    reset connection does. A connection that never got established reports
//    "Could not connect to Redis at ip:port: Connection refused" (or
//    "Connection timed out").
//  - Waiting for the join polls forever in redis-cli; here it gives up after
//    options.join_timeout with "Timed out waiting for the cluster to join".
//  - Questions: --cluster-yes is assumed where redis-cli honours it
//    (options.yes); the fix questions that ignore it are printed with the
//    answer "yes" appended.
//  - The fix planners take one snapshot of key counts per slot:
//    CLUSTER COUNTKEYSINSLOT of every master is asked first, where redis-cli
//    asks some of them while deciding (same commands, earlier).
//  - Random choices (anti-affinity, random master) draw from ctx.rng().
//  - redis-cli 7.0.15 has no check against the same address given twice to
//    create; neither has this actor (the node is planned twice, as redis-cli
//    does).
// The result says whether the command succeeded (redis-cli's exit status),
// with the last error line and the step that was running.

#ifndef SLOTSIM_SCENARIOS_CLUSTER_MANAGER_H_
#define SLOTSIM_SCENARIOS_CLUSTER_MANAGER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "model/cli_node.h"
#include "model/cli_step.h"
#include "model/reply.h"
#include "scenarios/cli_nodes.h"
#include "scenarios/command_links.h"
#include "scenarios/world.h"
#include "sim/time.h"

namespace slotsim::scenarios {

// `--cluster create host:port... --cluster-replicas R`.
struct CliCreate {
  std::vector<NodeAddress> nodes;
  int replicas = 0;
};
// `--cluster add-node new existing [--cluster-slave [--cluster-master-id id]]`.
struct CliAddNode {
  NodeAddress new_node;
  NodeAddress existing;
  bool slave = false;
  std::string master_id;  // "" = the master with fewest replicas
};
// `--cluster del-node host:port node_id`.
struct CliDelNode {
  NodeAddress via;
  std::string node_id;
};
// `--cluster check host:port [--cluster-search-multiple-owners]`.
struct CliCheck {
  NodeAddress via;
  bool search_multiple_owners = false;
};
// `--cluster fix host:port [...]`.
struct CliFix {
  NodeAddress via;
  bool fix_with_unreachable_masters = false;
  bool search_multiple_owners = false;
};
// `--cluster reshard host:port --cluster-from F --cluster-to T --cluster-slots N`.
struct CliReshard {
  NodeAddress via;
  std::string from;  // comma-separated ids, or "all"
  std::string to;
  int slots = 0;
};
// `--cluster rebalance host:port [--cluster-weight id=w...] ...`.
struct CliRebalance {
  NodeAddress via;
  std::vector<std::string> weights;  // "<id prefix>=<weight>"
  float threshold = 2.0f;
  bool use_empty_masters = false;
  bool simulate = false;
};
using CliCommand = std::variant<CliCreate, CliAddNode, CliDelNode, CliCheck, CliFix,
                                CliReshard, CliRebalance>;

struct ClusterManagerOptions {
  int pipeline = 10;                   // --cluster-pipeline
  int64_t migrate_timeout_ms = 60000;  // --cluster-timeout
  bool replace = false;                // --cluster-replace
  bool verbose = false;                // --verbose
  bool yes = true;                     // --cluster-yes
  // Simulation bounds (see the file comment).
  sim::Duration command_timeout = sim::Duration::Seconds(10);
  sim::Duration join_timeout = sim::Duration::Seconds(120);
};

struct ClusterManagerResult {
  bool finished = false;
  bool ok = false;    // redis-cli's exit status 0
  std::string error;  // the last error printed, when !ok
  std::string step;   // what was running when it ended
  // create / add-node / reshard: whether the last cluster check passed
  // (create ignores it, as redis-cli does).
  bool check_ok = false;
  sim::Time started;
  sim::Time ended;
};

class ClusterManager : public Actor {
 public:
  using OnDone = std::function<void(const ClusterManagerResult&)>;

  explicit ClusterManager(CliCommand command, ClusterManagerOptions options = {},
                          OnDone on_done = nullptr);

  void OnStart(ActorContext& ctx) override;
  void OnConnected(ActorContext& ctx, sim::ConnId conn) override;
  void OnConnectFailed(ActorContext& ctx, sim::ConnId conn) override;
  void OnClosed(ActorContext& ctx, sim::ConnId conn) override;
  void OnMessage(ActorContext& ctx, sim::ConnId conn, model::Wire&& msg) override;

  // Everything printed, stdout and stderr interleaved as written.
  const std::string& output() const { return out_; }
  // output() split into lines (a last unterminated line included).
  std::vector<std::string> OutputLines() const;
  const ClusterManagerResult& result() const { return result_; }
  bool finished() const { return result_.finished; }
  // The commands sent, "ip:port ARG ARG..." in order (for tests and timelines).
  const std::vector<std::string>& commands_sent() const { return sent_; }

 private:
  // One entry of cluster_manager.nodes (clusterManagerNode).
  struct MNode {
    model::CliNode cli;  // name, ip, port, flags, slots, replicas, open slots...
    int bus_port = 0;
    uint32_t flag_bits = 0;  // kCliFlag*
    int context = 0;         // hiredis context id; 0 = none yet
  };
  using K = std::function<void(bool ok)>;
  // nullptr = hiredis's NULL reply (no answer; see last_failure_).
  using OnReply = std::function<void(const model::Reply*)>;

  // --- plumbing (cluster_manager.cc) ---
  void Print(const std::string& text);
  void Err(const std::string& text);  // printed, and remembered as the error
  void PrintReplyError(const MNode& n, const std::string& err);
  void Step(std::string step) { result_.step = std::move(step); }
  void Finish(bool ok);
  NodeAddress Addr(const MNode& n) const { return {n.cli.ip, n.cli.port}; }
  MNode NewNode(const NodeAddress& a);
  void Send(const MNode& n, std::vector<std::string> argv, OnReply k,
            sim::Duration timeout = sim::Duration::Zero());
  void Send(int i, std::vector<std::string> argv, OnReply k,
            sim::Duration timeout = sim::Duration::Zero()) {
    Send(nodes_[static_cast<size_t>(i)], std::move(argv), std::move(k), timeout);
  }
  // Whether the last NULL reply was a failed connect; prints redis-cli's
  // "Could not connect" line if so.
  bool ReportConnectFailure(const MNode& n);
  void Later(sim::Duration d, std::function<void()> fn);
  // Runs body(0..n-1) in order, each ending with next(ok); done(false) at the
  // first failure, done(true) after the last.
  void Loop(int n, std::function<void(int, K)> body, K done);
  std::vector<model::CliNode> View() const;
  int NodeByName(const std::string& name) const;  // -1 if none
  int NodeWithLeastReplicas() const;

  // --- loading the view (cluster_manager.cc) ---
  void PrintNotClusterNodeError(const MNode& n, const std::string& err);
  void PrintNotEmptyNodeError(const MNode& n, const std::string& err);
  // clusterManagerNodeIsCluster: INFO, cluster_enabled.
  void NodeIsCluster(const MNode& n, std::function<void(bool ok, std::string err)> k);
  // clusterManagerNodeIsEmpty: INFO db0, CLUSTER INFO cluster_known_nodes.
  void NodeIsEmpty(const MNode& n, std::function<void(bool ok, std::string err)> k);
  // CLUSTER NODES, parsed; nullopt on no reply / an error (its text) / a bad reply.
  void FetchNodes(
      const MNode& n,
      std::function<void(std::optional<std::vector<CliNodesLine>>, std::string)> k);
  // The body of clusterManagerNodeLoadInfo; with getfriends, the other lines
  // become *friends.
  void ApplyLoadInfo(MNode* node, const std::vector<CliNodesLine>& lines, bool getfriends,
                     std::vector<MNode>* friends);
  // clusterManagerLoadInfoFromNode: nodes_ = entry + reachable friends.
  void LoadInfoFromNode(MNode entry, K k);
  void LoadFriends(std::shared_ptr<std::vector<MNode>> friends, size_t i, K k);
  void CountReplicas();
  // clusterManagerFlushNodeConfig: REPLICATE or ADDSLOTS for a dirty node.
  void FlushNodeConfig(int i, std::function<void(bool flushed, std::string err)> k);

  // --- showing, checking and waiting (cluster_manager.cc, cli_check.cc) ---
  void ShowNodes();
  void ShowClusterInfo(K k);
  void IsConfigConsistent(std::function<void(bool)> k);
  void WaitForClusterJoin(K k);
  void WaitJoinRound(int counter, sim::Time deadline, K k);
  void PrintLinkStatus(K k);
  // clusterManagerOnError: printed and listed in errors_.
  void OnError(const std::string& text);
  void CheckCluster(bool quiet, K k);
  void CheckOpenSlots(K k);
  void CheckCoverage(K k);
  void CheckMultipleOwners(K k);

  // --- fixing (cli_fix.cc) ---
  void FixOpenSlot(int slot, K k);
  // k(fixed): slots fixed, or -1 on a failure.
  void FixSlotsCoverage(std::function<void(int fixed)> k);
  void FixMultipleSlotOwners(int slot, std::vector<int> owners, K k);
  // COUNTKEYSINSLOT of every non-slave node (0 for slaves); false on an error.
  void CountKeys(int slot, std::function<void(bool ok, std::vector<int64_t>)> k);
  // Executes planner steps in order; stops at the first failed one.
  void RunSteps(std::shared_ptr<std::vector<model::CliStep>> steps, K k);
  void SetSlotOwner(int node, int slot, bool clear, K k);
  void DelSlot(int node, int slot, bool ignore_unassigned, K k);
  // clusterManagerGetSlotOwner: owner index via CLUSTER SLOTS, -1 if none;
  // `err` set when the reply was an error.
  void GetSlotOwner(int node, int slot,
                    std::function<void(int owner, std::string err)> k);

  // --- moving slots (cli_move.cc) ---
  // clusterManagerSetSlot(node, other, slot, status, err).
  void SetSlot(int node, int other, int slot, const std::string& status, bool want_err,
               std::function<void(bool ok, std::string err)> k);
  void MoveSlot(int src, int dst, int slot, int opts, bool want_err,
                std::function<void(bool ok, std::string err)> k);
  void MoveSlotFinish(int src, int dst, int slot, int opts, bool want_err,
                      std::function<void(bool ok, std::string err)> k);
  void MigrateKeysInSlot(int src, int dst, int slot, bool verbose, bool want_err,
                         std::function<void(bool ok, std::string err)> k);
  void MigrateBatch(int src, int dst, std::vector<std::string> keys, bool replace,
                    OnReply k);
  void HandleMigrateError(int src, int dst, int slot, std::vector<std::string> keys,
                          std::string error, bool want_err,
                          std::function<void(bool ok, std::string err)> k);
  void CompareKeysValues(int n1, int n2, const std::vector<std::string>& keys,
                         std::function<void(bool ok, std::vector<std::string> diffs)> k);

  // --- the commands ---
  void RunCreate(const CliCreate& c);  // cli_create.cc
  void CreateCheckNode(std::shared_ptr<CliCreate> c, size_t i);
  void CreatePlanAndFlush(std::shared_ptr<CliCreate> c);
  void CreateJoin();
  void RunAddNode(const CliAddNode& c);  // cli_add_del.cc
  void AddNodeJoin(const CliAddNode& c, int master);
  void AddNodeFunctions(int added, K k);
  void AddNodeMeet(int added, int master);
  void RunDelNode(const CliDelNode& c);
  void RunCheck(const CliCheck& c);  // cli_reshard.cc
  void RunFix(const CliFix& c);
  void RunReshard(const CliReshard& c);
  void RunRebalance(const CliRebalance& c);

  CliCommand command_;
  ClusterManagerOptions options_;
  OnDone on_done_;
  ActorContext* ctx_ = nullptr;
  CommandLinks links_;

  // cluster_manager state
  std::vector<MNode> nodes_;
  std::vector<std::string> errors_;  // cluster_manager.errors
  int unreachable_masters_ = 0;
  bool do_fix_ = false;
  bool fix_with_unreachable_ = false;
  bool search_multiple_owners_ = false;
  bool check_result_ = false;  // CheckCluster's running result
  std::string move_error_;     // the last SETSLOT NODE error of a move

  int next_context_ = 1;
  std::set<int> broken_contexts_;
  struct Failure {
    CallResult::Status status = CallResult::Status::kReply;
    bool established = false;
    bool broken_context = false;
  };
  Failure last_failure_;

  std::string out_;
  std::string last_error_;
  std::vector<std::string> sent_;
  ClusterManagerResult result_;
};

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_CLUSTER_MANAGER_H_
