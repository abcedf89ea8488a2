// nodes.conf: writing a node's view to its cluster config file and parsing it
// back.
//
// Writing (clusterSaveConfig): the CLUSTER NODES lines of every node except
// those in HANDSHAKE (see cluster_text.h for the line format), then
//   vars currentEpoch <u64> lastVoteEpoch <u64>\n
//
// Parsing (clusterLoadConfig) turns the text into a LoadedNodesConf: plain
// data, as Redis's node table would hold it right after the parse loop, before
// any of the load-time rewrites. The node applies it with clusterLoadConfig's
// semantics; the accessors below give the rules that depend only on the file
// (ping/pong "set to now if non-zero", replica configEpoch loaded as 0). Still
// the node's job: fail_time = now for FAIL nodes, binding slots through its own
// clusterAddSlot (MIGRATE_TO side effect), currentEpoch = max(currentEpoch,
// every loaded configEpoch).
//
// Accepted and rejected as Redis 7.0.15 does:
//  - lines are split like sdssplitargs (blanks, "double" and 'single' quotes
//    with escapes); a line that is empty or starts with NUL is skipped; a
//    line of blanks only is rejected (Redis reads an unset argv[0] there);
//  - "vars" (any case) lines may appear anywhere and repeat; they need an odd
//    number of fields; currentEpoch / lastVoteEpoch (any case) are read with
//    strtoull, unknown variables are skipped;
//  - a node line needs at least 8 fields; the id and a master id are 40
//    characters of [a-z0-9] (verifyClusterNodeId, wider than getRandomHexChars'
//    [0-9a-f]); a master field starting with '-' means none;
//  - address ip:port[@cport][,hostname], split at the first ',' and the last
//    ':'; no "@cport" means port + 10000; ports and slots read with atoi;
//  - flags: myself, master, slave, fail?, fail, handshake, noaddr, nofailover,
//    noflags (any case); anything else is an error (Redis panics), as is a
//    second node with "myself" (Redis asserts);
//  - the 8th field (link state) is ignored;
//  - slot tokens "a", "a-b" (both ends in 0..16383, a > b adds nothing),
//    "[s->-id]" migrating, "[s-<-id]" importing (any line, not only myself's);
//    a slot claimed twice stays with its first claimer (clusterAddSlot fails);
//  - a node id met twice merges into one node (flags OR'ed, later fields win);
//    a master or open-slot peer not described by its own line is still created
//    (createClusterNode with no flags);
//  - no node with "myself" is an error.
// Errors carry the 1-based line number. Deviations: an ip longer than 45
// characters is rejected (Redis copies it into a 46-byte buffer); a "[" token
// too short to hold "->-" is rejected (Redis reads past its end).
//
// An empty text is NotFound: Redis treats a missing or zero-length file as "no
// config" and starts fresh (clusterInit), which is the caller's business.

#ifndef SLOTSIM_MODEL_NODES_CONF_H_
#define SLOTSIM_MODEL_NODES_CONF_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "model/bus_message.h"
#include "model/cluster_state.h"
#include "model/cluster_text.h"
#include "model/types.h"

namespace slotsim::model {

// One node as the parse leaves it.
struct LoadedNode {
  NodeName name;
  bool has_line = false;  // false: only named as a master or open-slot peer
  std::string ip;
  int port = 0;
  int cport = 0;
  std::string hostname;
  uint16_t flags = 0;
  NodeName master;  // empty = none ("-")
  // As written, kept only when Redis would act on it (atoi(field) != 0: the
  // low 32 bits are non-zero); a later zero does not reset it.
  int64_t ping_sent_ms = 0;
  int64_t pong_received_ms = 0;
  Epoch config_epoch;      // as written (for a replica: its master's)
  std::string link_state;  // the 8th field as written; Redis ignores it
  SlotRanges slots;        // slots bound to this node (first claim wins)

  // Whether Redis sets ping_sent / pong_received (to mstime(), not to the
  // stored value) when it loads this node.
  bool ping_sent_set() const { return ping_sent_ms != 0; }
  bool pong_received_set() const { return pong_received_ms != 0; }
  // The configEpoch Redis loads: 0 for a replica with a master (7.0 #10798).
  Epoch loaded_config_epoch() const {
    return (flags & flags::kSlave) && !master.empty() ? Epoch(0) : config_epoch;
  }
};

struct LoadedNodesConf {
  // Nodes with a line of their own in the order of their first line, then
  // nodes only referred to, in the order of first mention.
  std::vector<LoadedNode> nodes;
  NodeName myself;
  std::map<int, NodeName> migrating_to;    // slot -> target
  std::map<int, NodeName> importing_from;  // slot -> source
  Epoch current_epoch;                     // from "vars"; 0 if absent
  Epoch last_vote_epoch;                   // from "vars"; 0 if absent

  // The node named `name`, or null.
  const LoadedNode* Find(const NodeName& name) const;
};

// nodes.conf text for `state` (clusterSaveConfig's payload, without padding).
std::string NodesConfText(const ClusterState& state);

// Parses nodes.conf text (clusterLoadConfig). NotFound for empty text,
// InvalidArgument "nodes.conf line N: ..." for a file Redis refuses.
absl::StatusOr<LoadedNodesConf> ParseNodesConf(std::string_view text);

// Renders a parsed file back in the same format: its nodes in order, the open
// slots on myself's line, then the vars line. A node without a line renders as
// Redis would save it (":0@0 noflags ... disconnected"). For text written by
// NodesConfText whose masters and open-slot peers all have lines,
// RenderNodesConf(*ParseNodesConf(text)) == text.
std::string RenderNodesConf(const LoadedNodesConf& conf);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_NODES_CONF_H_
