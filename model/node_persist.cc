// Node: nodes.conf (clusterSaveConfig's payload, clusterLoadConfig's
// semantics on top of the parsed file).

#include <algorithm>
#include <memory>

#include "model/marks.h"
#include "model/node.h"
#include "model/nodes_conf.h"

namespace slotsim::model {

std::string Node::NodesConfText() const { return ::slotsim::model::NodesConfText(cs_); }

absl::Status Node::LoadConfig(const std::string& text) {
  absl::StatusOr<LoadedNodesConf> parsed = ParseNodesConf(text);
  if (!parsed.ok()) return parsed.status();
  const LoadedNodesConf& conf = *parsed;

  // Every node first, so masters and open-slot peers exist.
  for (const LoadedNode& ln : conf.nodes) {
    if (cs_.Find(ln.name) == nullptr) CreateNode(&ln.name, 0);
  }
  for (const LoadedNode& ln : conf.nodes) {
    ClusterNode* n = cs_.Find(ln.name);
    n->flags = ln.flags;
    n->ip = ln.ip;
    n->port = ln.port;
    n->cport = ln.cport;
    n->hostname = ln.hostname;
    if (n->failed()) n->fail_time_ms = now_ms_;
    if (!ln.master.empty()) {
      ClusterNode* master = cs_.Find(ln.master);
      n->replica_of = master;
      cs_.AddReplica(master, n);
    }
    // Stored ping/pong times are not trusted: non-zero means "now".
    if (ln.ping_sent_set()) n->ping_sent_ms = now_ms_;
    if (ln.pong_received_set()) n->pong_received_ms = now_ms_;
    n->config_epoch = ln.loaded_config_epoch();
    if ((ln.flags & flags::kSlave) && !ln.master.empty() &&
        ln.config_epoch != Epoch(0)) {
      MARK("load: replica configEpoch loaded as 0");
    }
    for (const auto& [first, last] : ln.slots) {
      for (int j = first; j <= last; ++j) cs_.AddSlot(n, j);
    }
  }
  for (const auto& [slot, to] : conf.migrating_to) {
    cs_.migrating_slots_to[slot] = cs_.Find(to);
  }
  for (const auto& [slot, from] : conf.importing_from) {
    cs_.importing_slots_from[slot] = cs_.Find(from);
  }
  cs_.myself = cs_.Find(conf.myself);
  ++cs_.topology_version;
  for (const auto& n : cs_.nodes) {
    CronForget(n.get());
    CronTrack(n.get());
  }
  cs_.current_epoch = conf.current_epoch;
  cs_.last_vote_epoch = conf.last_vote_epoch;
  const Epoch max_epoch = cs_.MaxEpoch();
  if (max_epoch > cs_.current_epoch) {
    MARK("load: currentEpoch raised to the max configEpoch");
    cs_.current_epoch = max_epoch;
  }
  for (const auto& n : cs_.nodes) {
    Emit(EventKind::kNodeAdded, n.get(), nullptr, 0, "loaded: " + FlagsToString(n->flags));
  }
  return absl::OkStatus();
}

}  // namespace slotsim::model
