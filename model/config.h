// NodeConfig: the redis.conf options a cluster node reads, with Redis 7.0.15's
// defaults (config.c), plus the model's own settings.
//
// Names follow the redis.conf option with dashes as underscores and the unit
// last, in the option's own unit (cluster-node-timeout is milliseconds,
// repl-ping-replica-period is seconds).

#ifndef SLOTSIM_MODEL_CONFIG_H_
#define SLOTSIM_MODEL_CONFIG_H_

#include <cstdint>
#include <string>

namespace slotsim::model {

struct NodeConfig {
  // Address (announced in headers and shown in CLUSTER NODES).
  std::string ip = "127.0.0.1";
  int port = 7000;
  int cport = 17000;  // cluster-port; 0 in redis.conf means port + 10000
  std::string hostname;  // cluster-announce-hostname

  // cluster-* options.
  int64_t cluster_node_timeout_ms = 15000;
  int cluster_replica_validity_factor = 10;
  int cluster_migration_barrier = 1;
  bool cluster_allow_replica_migration = true;
  bool cluster_require_full_coverage = true;
  bool cluster_replica_no_failover = false;
  bool cluster_allow_reads_when_down = false;
  bool cluster_allow_pubsubshard_when_down = true;
  int64_t cluster_link_sendbuf_limit_bytes = 0;
  std::string cluster_preferred_endpoint_type = "ip";

  // Replication options that enter cluster behaviour.
  int64_t repl_ping_replica_period_s = 10;
  int64_t repl_timeout_s = 60;
  int64_t repl_backlog_size_bytes = 1024 * 1024;
  int min_replicas_to_write = 0;
  int64_t min_replicas_max_lag_s = 10;

  // Full resynchronization cost (model settings). A full sync takes
  // repl_full_sync_fixed_ms + snapshot bytes / repl_full_sync_bytes_per_ms of
  // simulated time on the replica (RDB produced, sent and loaded), during
  // which its master link is down and its offset is 0 (the cached master is
  // discarded on +FULLRESYNC); it keeps serving its old data until the load
  // (replica-serve-stale-data yes). 100000 bytes/ms (~100 MB/s) is the order
  // of an RDB load of small strings on one core together with a local
  // network transfer; Redis's own diskless-sync delay
  // (repl-diskless-sync-delay 5 s) is not added by default (fixed_ms 0).
  int64_t repl_full_sync_bytes_per_ms = 100000;
  int64_t repl_full_sync_fixed_ms = 0;

  // Model settings (not Redis options).
  // Unix milliseconds at the node's local time zero: mstime() = base + now.
  // Only changes how times print (CLUSTER NODES ping/pong fields).
  int64_t clock_base_ms = 1700000000000;
};

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CONFIG_H_
