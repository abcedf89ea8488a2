#include "scenarios/validate.h"

#include <climits>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scenarios/suggest.h"
#include "scenarios/topology.h"
#include "scenarios/validate_context.h"

namespace slotsim::scenarios {
namespace {

constexpr int64_t kMaxDurationMs = int64_t{7} * 24 * 3600 * 1000;  // a simulated week
constexpr int64_t kMaxDelayUs = int64_t{3600} * 1000 * 1000;       // an hour
constexpr int kMaxPort = 65535;
constexpr int kMaxHostnameLen = 255;  // NET_HOST_STR_LEN - 1

bool ValidHostnameChars(const std::string& s) {
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Ranges are config.c's for Redis options (INT_MAX / LLONG_MAX bounds), and
// slotsim's own for model knobs.
void ValidateKnobs(const Cursor& c, Validator* ck) {
  const Knobs& k = c.Get<Knobs>();
  if (!k.cluster_enabled()) {
    ck->Error(c.At("cluster_enabled"),
              "slotsim simulates cluster mode only; must be true");
  }
  if (k.cluster_config_file().empty())
    ck->Error(c.At("cluster_config_file"), "must not be empty");
  ck->InRange(c, "cluster_node_timeout", 0, kNoLimit);
  ck->InRange(c, "cluster_port", 0, kMaxPort);
  ck->InRange(c, "cluster_replica_validity_factor", 0, INT_MAX);
  ck->InRange(c, "cluster_migration_barrier", 0, INT_MAX);
  const std::string& host = k.cluster_announce_hostname();
  if (host.size() > kMaxHostnameLen) {
    ck->Error(c.At("cluster_announce_hostname"),
              "hostnames must be less than 256 characters");
  } else if (!ValidHostnameChars(host)) {
    ck->Error(c.At("cluster_announce_hostname"),
              "hostnames may only contain alphanumeric characters, hyphens or dots");
  }
  const std::string& ept = k.cluster_preferred_endpoint_type();
  if (ept != "ip" && ept != "hostname" && ept != "unknown-endpoint") {
    ck->Error(
        c.At("cluster_preferred_endpoint_type"),
        absl::StrCat("\"", ept,
                     "\" is not one of \"ip\", \"hostname\", \"unknown-endpoint\""));
  }
  ck->InRange(c, "cluster_announce_port", 0, kMaxPort);
  ck->InRange(c, "cluster_announce_tls_port", 0, kMaxPort);
  ck->InRange(c, "cluster_announce_bus_port", 0, kMaxPort);
  ck->InRange(c, "repl_ping_replica_period", 1, INT_MAX);
  ck->InRange(c, "repl_timeout", 1, INT_MAX);
  ck->InRange(c, "repl_backlog_size", 1, kNoLimit);
  ck->InRange(c, "min_replicas_to_write", 0, INT_MAX);
  ck->InRange(c, "min_replicas_max_lag", 0, INT_MAX);
  ck->InRange(c, "repl_diskless_sync_delay", 0, INT_MAX);
  ck->InRange(c, "cron_period_ms", 1, 10000);
  ck->InRange(c, "repl_link_delay_us", 0, kMaxDelayUs);
  ck->InRange(c, "full_sync_setup_ms", 0, kMaxDurationMs);
  ck->InRange(c, "full_sync_bytes_per_ms", 1, kNoLimit);
  ck->InRange(c, "clock_base_ms", 0, kNoLimit);
  // Accepted so that real redis.conf values load, but the model does not act
  // on them (docs/redis-fidelity.md): say so rather than ignore them quietly.
  ck->Unused(c, "repl_diskless_sync",
             "not modelled: a full sync costs full_sync_setup_ms + dataset bytes / "
             "full_sync_bytes_per_ms whatever the transfer mode");
  ck->Unused(c, "repl_diskless_sync_delay",
             "not modelled: put the wait into full_sync_setup_ms");
  ck->Unused(c, "repl_link_delay_us",
             "not modelled yet: the replication stream takes the network's delay of its link");
}

// Topology counts and names; on success the checker learns the layout and
// addresses are checked for collisions.
void ValidateTopology(const Cursor& root, Validator* ck) {
  const Cursor c = root.Child("topology");
  const Topology& t = c.Get<Topology>();
  bool ok = ck->InRange(c, "masters", t.bootstrap_size() > 0 ? 0 : 1, kMaxNodes);
  ok &= ck->InRange(c, "replicas_per_master", 0, kMaxReplicasPerMaster);
  ok &= ck->InRange(c, "spares", 0, kMaxNodes);
  ok &= ck->InRange(c, "base_port", 1, kMaxPort);
  const int64_t total =
      int64_t{t.masters()} * (int64_t{1} + t.replicas_per_master()) + t.spares();
  if (ok && total > kMaxNodes) {
    ck->Error(c.At("masters"),
              absl::StrCat("the topology has ", total, " nodes; at most ", kMaxNodes,
                           " are supported"));
    ok = false;
  }
  if (ok && total == 0) {
    ck->Error(c.At("masters"), "the topology has no nodes");
    ok = false;
  }
  const Cursor workload = root.Child("workload");
  ok &= ck->InRange(workload, "clients", 0, kMaxClients);
  std::set<std::string> hosts;
  for (int i = 0; i < t.hosts_size(); ++i) {
    if (t.hosts(i).empty()) ck->Error(c.At("hosts", i), "empty host");
    if (!hosts.insert(t.hosts(i)).second) {
      ck->Error(c.At("hosts", i),
                absl::StrCat("host \"", t.hosts(i), "\" is listed twice"));
    }
  }
  if (!ok) return;  // names depend on the counts
  ck->SetLayout(ExpandTopology(root.Get<Scenario>()));

  std::map<std::string, int> entry_of;  // node name -> index in topology.node
  for (int i = 0; i < t.node_size(); ++i) {
    const Cursor e = c.Child("node", i);
    const NodeEntry& n = e.Get<NodeEntry>();
    if (!ck->Required(e, "name") || !ck->CheckName(e, "name", -1, Endpoints::kNodes))
      continue;
    if (!entry_of.emplace(n.name(), i).second) {
      ck->Error(e.At("name"),
                absl::StrCat("node \"", n.name(), "\" already has an entry at ",
                             c.At("node", entry_of[n.name()]).path));
    }
    if (n.has_host() && n.host().empty()) ck->Error(e.At("host"), "empty host");
    if (n.has_port()) ck->InRange(e, "port", 1, kMaxPort);
    if (n.has_cport()) ck->InRange(e, "cport", 1, kMaxPort);
    ValidateKnobs(e.Child("knobs"), ck);
  }

  // Addresses: ports in range and no two listeners on one host:port.
  auto site = [&](const NodeLayout& n, const char* field) {
    const auto it = entry_of.find(n.name);
    if (it != entry_of.end()) {
      const Cursor e = c.Child("node", it->second);
      const bool has = std::string(field) == "port" ? e.Get<NodeEntry>().has_port()
                                                    : e.Get<NodeEntry>().has_cport();
      if (has) return e.At(field);
      return e.Here();
    }
    return c.At("base_port");
  };
  std::map<std::pair<std::string, int>, std::string> used;  // (host, port) -> "m1 port"
  for (const NodeLayout& n : ck->layout().nodes) {
    if (n.port > kMaxPort) {
      ck->Error(site(n, "port"), absl::StrCat("node ", n.name, " gets port ", n.port,
                                              ", above ", kMaxPort));
      continue;
    }
    if (n.cport > kMaxPort) {
      // An explicit cport out of range is reported with the entry.
      const auto it = entry_of.find(n.name);
      if (it == entry_of.end() || !t.node(it->second).has_cport()) {
        ck->Error(site(n, "cport"),
                  absl::StrCat("node ", n.name, " gets bus port ", n.cport,
                               " = port + 10000, above ", kMaxPort,
                               " (Redis refuses to start: port number too high)"));
      }
      continue;
    }
    // One error per node: a port clash usually brings a bus port clash along.
    for (const auto& [port, what, field] :
         {std::tuple<int, const char*, const char*>{n.port, "port", "port"},
          {n.cport, "bus port", "cport"}}) {
      const auto [it, fresh] =
          used.emplace(std::make_pair(n.host, port), absl::StrCat(n.name, " ", what));
      if (!fresh) {
        ck->Error(site(n, field),
                  absl::StrCat("node ", n.name, " ", what, " ", n.host, ":", port,
                               " is already used by ", it->second));
        break;
      }
    }
  }
}

}  // namespace

void ValidateDelay(const Cursor& c, Validator* ck) {
  const Delay& d = c.Get<Delay>();
  ck->InRange(c, "mean_us", 0, kMaxDelayUs);
  ck->InRange(c, "jitter_us", 0, kMaxDelayUs);
  ck->InRange(c, "min_us", 0, kMaxDelayUs);
  ck->InRange(c, "max_us", 0, kMaxDelayUs);
  switch (d.kind()) {
    case Delay::FIXED:
      ck->Unused(c, "jitter_us", "kind is FIXED (only UNIFORM uses it)");
      ck->Unused(c, "min_us", "kind is FIXED (only EXPONENTIAL uses it)");
      ck->Unused(c, "max_us", "kind is FIXED (only EXPONENTIAL uses it)");
      break;
    case Delay::UNIFORM:
      if (d.jitter_us() > d.mean_us()) {
        ck->Error(
            c.At("jitter_us"),
            absl::StrCat("jitter_us (", d.jitter_us(), ") must not exceed mean_us (",
                         d.mean_us(), "): delays would be negative"));
      }
      ck->Unused(c, "min_us", "kind is UNIFORM (only EXPONENTIAL uses it)");
      ck->Unused(c, "max_us", "kind is UNIFORM (only EXPONENTIAL uses it)");
      break;
    case Delay::EXPONENTIAL:
      ck->Unused(c, "jitter_us", "kind is EXPONENTIAL (only UNIFORM uses it)");
      if (d.min_us() > d.mean_us()) {
        ck->Error(c.At("min_us"),
                  absl::StrCat("min_us (", d.min_us(), ") must not exceed mean_us (",
                               d.mean_us(), ")"));
      }
      if (d.max_us() != 0 && d.max_us() < d.mean_us()) {
        ck->Error(c.At("max_us"),
                  absl::StrCat("max_us (", d.max_us(), ") must be 0 or >= mean_us (",
                               d.mean_us(), ")"));
      }
      break;
  }
}

void ValidateLinkEnds(const Cursor& c, Validator* ck) {
  if (ck->Required(c, "from")) ck->CheckNames(c, "from", Endpoints::kNodesAndClients);
  ck->CheckNames(c, "to", Endpoints::kNodesAndClients);
  const std::vector<std::string> from = Validator::Strings(c, "from");
  const std::set<std::string> from_set(from.begin(), from.end());
  const std::vector<std::string> to = Validator::Strings(c, "to");
  for (int i = 0; i < static_cast<int>(to.size()); ++i) {
    if (from_set.count(to[i]) > 0) {
      ck->Error(c.At("to", i), absl::StrCat("\"", to[i], "\" is in both from and to"));
    }
  }
}

namespace {

void ValidateNetwork(const Cursor& root, Validator* ck) {
  const Cursor c = root.Child("network");
  ValidateDelay(c.Child("delay"), ck);
  for (const char* f : {"loss_ppm", "duplicate_ppm", "reorder_ppm"})
    ck->InRange(c, f, 0, kMillion);
  ck->InRange(c, "queue_capacity", 1, kMillion);
  for (int i = 0; i < c.Get<NetworkModel>().link_size(); ++i) {
    const Cursor l = c.Child("link", i);
    ValidateLinkEnds(l, ck);
    ValidateDelay(l.Child("delay"), ck);
    for (const char* f : {"loss_ppm", "duplicate_ppm", "reorder_ppm"}) {
      ck->InRange(l, f, 0, kMillion);
    }
  }
}

void ValidateWorkload(const Cursor& root, Validator* ck) {
  const Cursor c = root.Child("workload");
  const Workload& w = c.Get<Workload>();
  ck->InRange(c, "keys", 1, int64_t{1} << 32);
  ck->InRange(c, "hash_tags", 0, w.keys());
  ck->InRange(c, "read_ppm", 0, kMillion);
  ck->InRange(c, "ops_per_s", 1, kMillion);
  if (ck->InRange(c, "start_ms", 0, ck->duration_ms) && w.has_stop_ms()) {
    ck->InRange(c, "stop_ms", w.start_ms(), ck->duration_ms);
  }
  ck->InRange(c, "request_timeout_ms", 1, kMaxDurationMs);
  ck->InRange(c, "max_redirects", 0, 1000);
  ck->InRange(c, "value_bytes", 0, 512 << 20);
  if (w.has_wait()) {
    const Cursor wc = c.Child("wait");
    ck->InRange(wc, "numreplicas", 0, kMaxNodes);
    ck->InRange(wc, "timeout_ms", 0, kMaxDurationMs);
    ck->InRange(wc, "ppm", 0, kMillion);
    if (w.wait().numreplicas() > ck->replicas_per_master) {
      ck->Warning(
          wc.At("numreplicas"),
          absl::StrCat("WAIT ", w.wait().numreplicas(), " with ", ck->replicas_per_master,
                       " replica(s) per master always waits the full timeout"));
    }
  }
}

void ValidateProperties(const Cursor& root, const ValidateOptions& options, Validator* ck) {
  const std::vector<std::string> names = Validator::Strings(root, "properties");
  std::set<std::string> seen;
  for (int i = 0; i < static_cast<int>(names.size()); ++i) {
    if (!seen.insert(names[i]).second) {
      ck->Warning(root.At("properties", i),
                  absl::StrCat("\"", names[i], "\" is listed twice"));
    }
    if (options.known_properties.empty()) continue;
    bool known = false;
    for (const std::string& k : options.known_properties) known |= k == names[i];
    if (!known) {
      std::string hint = DidYouMean(names[i], options.known_properties);
      if (hint.empty())
        hint = absl::StrCat("known properties: ", QuotedList(options.known_properties));
      ck->Error(root.At("properties", i),
                absl::StrCat("unknown property \"", names[i], "\"; ", hint));
    }
  }
}

void ValidateSeedFields(const Cursor& root, Validator* ck) {
  const Scenario& s = root.Get<Scenario>();
  if (s.has_expected_trace_hash() && !s.has_seed()) {
    ck->Error(root.At("expected_trace_hash"),
              "a trace hash needs the seed that produced it");
  }
  if (s.has_violated_at_ms()) ck->InRange(root, "violated_at_ms", 0, kNoLimit);
}

}  // namespace

void ValidateScenario(const Cursor& root, const ValidateOptions& options,
                      Diagnostics* diags) {
  Validator ck(options, diags);
  const Scenario& s = root.Get<Scenario>();
  // With a bad duration, times cannot be checked against it: no cascade.
  ck.duration_ms = ck.InRange(root, "duration_ms", 1, kMaxDurationMs) ? s.duration_ms()
                                                                      : kMaxDurationMs;
  ck.node_timeout_ms = s.knobs().cluster_node_timeout();
  ck.replicas_per_master = s.topology().replicas_per_master();
  ck.clients = s.workload().clients();
  ValidateKnobs(root.Child("knobs"), &ck);
  ValidateTopology(root, &ck);
  ValidateNetwork(root, &ck);
  ValidateWorkload(root, &ck);
  ValidateSchedule(root, &ck);
  ValidateProperties(root, options, &ck);
  ValidateSeedFields(root, &ck);
}

absl::Status ValidateScenario(const Scenario& scenario, const ValidateOptions& options) {
  Diagnostics diags("");
  ValidateScenario(Cursor::Root(nullptr, nullptr, scenario), options, &diags);
  return diags.ToStatus();
}

}  // namespace slotsim::scenarios
