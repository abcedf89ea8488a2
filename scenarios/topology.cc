#include "scenarios/topology.h"

#include "absl/strings/str_cat.h"
#include "model/cli_create_plan.h"
#include "sim/check.h"

namespace slotsim::scenarios {

const NodeLayout* Layout::Find(std::string_view name) const {
  for (const NodeLayout& n : nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

std::vector<std::string> Layout::NodeNames() const {
  std::vector<std::string> out;
  out.reserve(nodes.size());
  for (const NodeLayout& n : nodes) out.push_back(n.name);
  return out;
}

std::string ReplicaName(int shard, int number, int replicas_per_master) {
  CHECK_GE(number, 1);
  CHECK_LE(number, kMaxReplicasPerMaster);
  if (replicas_per_master == 1) return absl::StrCat("r", shard);
  return absl::StrCat("r", shard, std::string(1, static_cast<char>('a' + number - 1)));
}

std::vector<SlotRange> CreateSlotSplit(int masters) {
  CHECK_LE(masters, kSlotCount);
  std::vector<SlotRange> out;
  for (const auto& [first, last] : model::CreateSlotSplit(masters)) {
    out.push_back(SlotRange{first, last});
  }
  return out;
}

Layout ExpandTopology(const Scenario& scenario) {
  const Topology& t = scenario.topology();
  const int m = t.masters(), r = t.replicas_per_master(), k = t.spares();
  CHECK_GE(m, 0);
  CHECK_GE(r, 0);
  CHECK_GE(k, 0);
  CHECK_LE(r, kMaxReplicasPerMaster);
  CHECK_LE(m * (1 + r) + k, kMaxNodes);
  const int clients = scenario.workload().clients();
  CHECK_GE(clients, 0);
  CHECK_LE(clients, kMaxClients);

  Layout layout;
  layout.formed = t.bootstrap_size() == 0;
  for (int i = 1; i <= m; ++i) {
    NodeLayout n;
    n.name = absl::StrCat("m", i);
    n.role = RoleIntent::kMaster;
    n.shard = i;
    layout.nodes.push_back(n);
  }
  for (int i = 1; i <= m; ++i) {
    for (int j = 1; j <= r; ++j) {
      NodeLayout n;
      n.name = ReplicaName(i, j, r);
      n.role = RoleIntent::kReplica;
      n.master = absl::StrCat("m", i);
      n.shard = i;
      n.replica_number = j;
      layout.nodes.push_back(n);
    }
  }
  for (int i = 1; i <= k; ++i) {
    NodeLayout n;
    n.name = absl::StrCat("s", i);
    n.role = RoleIntent::kSpare;
    layout.nodes.push_back(n);
  }

  // Addresses: hosts by canonical index with the anti-affinity shift (see
  // scenario.proto), ports by canonical index; then per-node entries.
  std::vector<std::string> hosts(t.hosts().begin(), t.hosts().end());
  if (hosts.empty()) hosts.push_back(kDefaultHost);
  const int h = static_cast<int>(hosts.size());
  std::vector<int> host_of(layout.nodes.size());
  for (size_t idx = 0; idx < layout.nodes.size(); ++idx) {
    NodeLayout& n = layout.nodes[idx];
    int host = static_cast<int>(idx % h);
    if (n.role == RoleIntent::kReplica) {
      // Taken: the master's host and those of earlier replicas of the shard.
      std::vector<bool> taken(h, false);
      taken[host_of[n.shard - 1]] = true;  // masters come first: index shard-1
      for (size_t j = m; j < idx; ++j) {
        if (layout.nodes[j].shard == n.shard) taken[host_of[j]] = true;
      }
      for (int tries = 0; tries < h && taken[host]; ++tries) host = (host + 1) % h;
    }
    host_of[idx] = host;
    n.host = hosts[host];
    n.port = t.base_port() + static_cast<int>(idx);
    n.knobs = scenario.knobs();
  }
  for (const NodeEntry& e : t.node()) {
    for (NodeLayout& n : layout.nodes) {
      if (n.name != e.name()) continue;
      if (e.has_host()) n.host = e.host();
      if (e.has_port()) n.port = e.port();
      n.knobs.MergeFrom(e.knobs());
    }
  }
  for (NodeLayout& n : layout.nodes) {
    n.cport =
        n.knobs.cluster_port() != 0 ? n.knobs.cluster_port() : n.port + kClusterPortIncr;
    for (const NodeEntry& e : t.node()) {
      if (e.name() == n.name && e.has_cport()) n.cport = e.cport();
    }
  }

  if (layout.formed && m > 0) {
    const std::vector<SlotRange> split = CreateSlotSplit(m);
    uint64_t epoch = 0;
    for (NodeLayout& n : layout.nodes) {
      if (n.role == RoleIntent::kSpare) continue;
      n.config_epoch = ++epoch;
      if (n.role == RoleIntent::kMaster) n.slots.push_back(split[n.shard - 1]);
    }
    layout.current_epoch = epoch;
  }
  for (int i = 1; i <= clients; ++i) layout.clients.push_back(absl::StrCat("c", i));
  return layout;
}

}  // namespace slotsim::scenarios
