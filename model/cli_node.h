// CliNode: the cluster manager's (redis-cli --cluster) view of one node, and how
// redis-cli prints it.
//
// Redis: struct clusterManagerNode in src/redis-cli.c, filled by
// clusterManagerNodeLoadInfo from CLUSTER NODES; printed by
// clusterManagerNodeInfo / clusterManagerShowNodes / clusterManagerNodeSlotsString.
//
// The planning functions (cli_create_plan.h, cli_reshard_plan.h,
// cli_rebalance_plan.h, cli_fix_plan.h) take a std::vector<CliNode> in
// redis-cli's node-list order (cluster_manager.nodes: the entry node first, then
// the others as its CLUSTER NODES lists them) and refer to nodes by index into it.
//
// Two "is a replica" tests exist in redis-cli and both are kept: `slave`
// (CLUSTER_MANAGER_FLAG_SLAVE, from the flags field) and a non-empty `replicate`
// (the master-id field). Some paths skip nodes with either, some only slaves.
//
// `slots_count` is a separate field because redis-cli keeps it separately:
// clusterManagerMoveSlot with OPT_UPDATE edits `slots` but not `slots_count`.

#ifndef SLOTSIM_MODEL_CLI_NODE_H_
#define SLOTSIM_MODEL_CLI_NODE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/types.h"

namespace slotsim::model {

struct CliNode {
  NodeName name;
  std::string ip;
  int port = 0;
  // CLUSTER NODES flags in their printed order, e.g. {"myself", "master"}.
  std::vector<std::string> flags;
  bool slave = false;  // CLUSTER_MANAGER_FLAG_SLAVE
  NodeName replicate;  // the master it replicates (empty: none)
  SlotBitmap slots;
  int slots_count = 0;
  int replicas_count = 0;
  // A pending configuration from `create` (printed differently: see NodeInfo).
  bool dirty = false;
  float weight = 1.0f;  // rebalance --cluster-weight
  // Open slots as listed by CLUSTER NODES on the node itself, in listed order:
  // [slot->-target] and [slot-<-source].
  std::vector<std::pair<int, NodeName>> migrating;
  std::vector<std::pair<int, NodeName>> importing;

  // Neither flagged slave nor replicating anyone (the stricter master test).
  bool IsPlainMaster() const { return !slave && replicate.empty(); }
  // The target of `slot` in `migrating`, or nullopt.
  std::optional<NodeName> MigratingTo(int slot) const;
  // The source of `slot` in `importing`, or nullopt.
  std::optional<NodeName> ImportingFrom(int slot) const;
  // "ip:port".
  std::string Addr() const;
};

// Builds a CliNode for a master owning `slots` (slots_count = slots.Count()).
CliNode MakeCliMaster(NodeName name, std::string ip, int port, const SlotBitmap& slots);
// Builds a CliNode for a replica of `master`.
CliNode MakeCliReplica(NodeName name, std::string ip, int port, NodeName master);

// clusterManagerNodeSlotsString: "[0-5460],[5462],[6000-6001]" ("" if none).
std::string CliSlotsString(const SlotBitmap& slots);

// clusterManagerNodeInfo(node, indent): two or three lines joined by "\n", no
// trailing newline. A dirty node with `replicate` set prints as
//   "S: <name> <ip>:<port>\n   replicates <master>"
// anything else as
//   "<M|S>: <name> <ip>:<port>\n   slots:<slots> (<n> slots) <flags>"
// plus "\n   replicates <master>" or "\n   <k> additional replica(s)".
// Flags are printed without "myself", comma-separated.
std::string CliNodeInfo(const CliNode& node, int indent);

// clusterManagerShowNodes: NodeInfo(node, 0) + "\n" for each node, in order.
std::string CliShowNodes(const std::vector<CliNode>& nodes);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLI_NODE_H_
