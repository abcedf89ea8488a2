#include "scenarios/world_config.h"

#include <algorithm>

namespace slotsim::scenarios {

model::NodeConfig NodeConfigFor(const NodeLayout& node) {
  const Knobs& k = node.knobs;
  model::NodeConfig c;
  c.ip = node.host;
  c.port = node.port;
  c.cport = node.cport;
  c.hostname = k.cluster_announce_hostname();
  c.cluster_node_timeout_ms = k.cluster_node_timeout();
  c.cluster_replica_validity_factor = k.cluster_replica_validity_factor();
  c.cluster_migration_barrier = k.cluster_migration_barrier();
  c.cluster_allow_replica_migration = k.cluster_allow_replica_migration();
  c.cluster_require_full_coverage = k.cluster_require_full_coverage();
  c.cluster_replica_no_failover = k.cluster_replica_no_failover();
  c.cluster_allow_reads_when_down = k.cluster_allow_reads_when_down();
  c.cluster_allow_pubsubshard_when_down = k.cluster_allow_pubsubshard_when_down();
  c.cluster_link_sendbuf_limit_bytes = static_cast<int64_t>(k.cluster_link_sendbuf_limit());
  c.cluster_preferred_endpoint_type = k.cluster_preferred_endpoint_type();
  c.repl_ping_replica_period_s = k.repl_ping_replica_period();
  c.repl_timeout_s = k.repl_timeout();
  c.repl_backlog_size_bytes = k.repl_backlog_size();
  c.min_replicas_to_write = k.min_replicas_to_write();
  c.min_replicas_max_lag_s = k.min_replicas_max_lag();
  c.repl_full_sync_fixed_ms = k.full_sync_setup_ms();
  c.repl_full_sync_bytes_per_ms = k.full_sync_bytes_per_ms();
  c.clock_base_ms = k.clock_base_ms();
  return c;
}

sim::DelayModel DelayModelOf(const Delay& d) {
  const sim::Duration mean = sim::Duration::Micros(d.mean_us());
  switch (d.kind()) {
    case Delay::FIXED:
      return sim::DelayModel::Fixed(mean);
    case Delay::UNIFORM: {
      const int64_t lo = std::max<int64_t>(0, d.mean_us() - d.jitter_us());
      const int64_t hi = std::max<int64_t>(lo, d.mean_us() + d.jitter_us());
      return sim::DelayModel::Uniform(sim::Duration::Micros(lo), sim::Duration::Micros(hi));
    }
    case Delay::EXPONENTIAL: {
      const int64_t base = std::max<int64_t>(0, d.min_us());
      const int64_t extra = std::max<int64_t>(0, d.mean_us() - base);
      return sim::DelayModel::Exponential(sim::Duration::Micros(base),
                                          sim::Duration::Micros(extra));
    }
  }
  return sim::DelayModel::Fixed(mean);
}

namespace {
sim::Ratio Ppm(uint32_t ppm) { return sim::Ratio{ppm, 1000000}; }
}  // namespace

sim::LinkOptions DefaultLinkOptions(const NetworkModel& network) {
  sim::LinkOptions o;
  o.delay = DelayModelOf(network.delay());
  o.loss = Ppm(network.loss_ppm());
  o.duplicate = Ppm(network.duplicate_ppm());
  o.reorder = Ppm(network.reorder_ppm());
  o.capacity = static_cast<uint32_t>(network.queue_capacity());
  return o;
}

sim::FaultMode FaultModeOf(const NetworkModel& network, bool has_mode, PartitionMode mode) {
  const PartitionMode m = has_mode ? mode : network.partition_mode();
  switch (m) {
    case HOLD: return sim::FaultMode::kHold;
    case REJECT: return sim::FaultMode::kReject;
    case DROP: return sim::FaultMode::kDrop;
  }
  return sim::FaultMode::kDrop;
}

WorldOptions MakeWorldOptions(const Scenario& scenario, const Layout& layout,
                              uint64_t seed) {
  WorldOptions o;
  o.seed = seed;
  for (const NodeLayout& n : layout.nodes) {
    NodeSpec s;
    s.name = n.name;
    s.config = NodeConfigFor(n);
    o.nodes.push_back(std::move(s));
  }
  o.network.default_link = DefaultLinkOptions(scenario.network());
  o.cron_period = sim::Duration::Millis(scenario.knobs().cron_period_ms());
  return o;
}

std::vector<std::string> UnmodelledKnobs(const Knobs& k) {
  std::vector<std::string> out;
  if (k.has_cluster_announce_ip()) out.push_back("cluster_announce_ip");
  if (k.has_cluster_announce_port()) out.push_back("cluster_announce_port");
  if (k.has_cluster_announce_tls_port()) out.push_back("cluster_announce_tls_port");
  if (k.has_cluster_announce_bus_port()) out.push_back("cluster_announce_bus_port");
  if (k.has_repl_diskless_sync()) out.push_back("repl_diskless_sync");
  if (k.has_repl_diskless_sync_delay()) out.push_back("repl_diskless_sync_delay");
  if (k.has_repl_link_delay_us()) out.push_back("repl_link_delay_us");
  return out;
}

}  // namespace slotsim::scenarios
