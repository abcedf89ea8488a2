// The cluster manager's "config signature" and agreement check.
//
// Redis: clusterManagerGetConfigSignature and clusterManagerIsConfigConsistent in
// src/redis-cli.c; used by `create`/`add-node` to wait for the join
// (clusterManagerWaitForClusterJoin) and by `check` ("[OK] All nodes agree about
// slots configuration." / "[ERR] Nodes don't agree about configuration!").
//
// Signature of one node's CLUSTER NODES text:
//  - only lines terminated by "\n" are read (a trailing unterminated line is
//    ignored);
//  - a line needs at least 8 space-terminated fields (id, addr, flags, master,
//    ping-sent, pong-recv, config-epoch, link-state); the rest of the line after
//    the 8th field is its slot part, and a line with an empty slot part is
//    skipped (replicas, masters without slots);
//  - the slot part is split on single spaces; tokens starting with '[' (open
//    slots) are dropped; the rest ("0-5460", "5462") are sorted with strcmp
//    (byte order, not numeric) and joined with ',';
//  - each contributing line gives "<id>:<tokens>"; these are sorted with strcmp
//    and joined with '|'.
//  - no contributing line at all gives no signature (nullopt; redis-cli's NULL).
//
// Agreement: one node or none always agrees; otherwise every node must have a
// signature and all must be equal. So a multi-node cluster with no slots
// assigned anywhere never "agrees".

#ifndef SLOTSIM_MODEL_CLI_SIGNATURE_H_
#define SLOTSIM_MODEL_CLI_SIGNATURE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slotsim::model {

// clusterManagerGetConfigSignature over the text of a CLUSTER NODES reply.
std::optional<std::string> ConfigSignature(std::string_view cluster_nodes);

// clusterManagerIsConfigConsistent over each node's signature (nullopt where
// CLUSTER NODES failed or gave no signature), in node-list order.
bool ConfigConsistent(const std::vector<std::optional<std::string>>& signatures);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLI_SIGNATURE_H_
