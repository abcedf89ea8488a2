// The Knobs message against Redis 7.0.15: every cluster-* option of
// config.c is a field named after it (dashes as underscores) with Redis's
// default, the replication options likewise, and model knobs carry a unit
// suffix. Also checks that model::NodeConfig starts from the same defaults.

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "model/config.h"
#include "scenarios/scenario.pb.h"

namespace slotsim::scenarios {
namespace {

using google::protobuf::FieldDescriptor;

struct RedisOption {
  const char* name;      // as in redis.conf
  const char* default_;  // as config.c prints it (CONFIG GET)
};

// config.c of Redis 7.0.15 (createBoolConfig / createIntConfig / ...).
const std::vector<RedisOption>& RedisOptions() {
  static const auto* options = new std::vector<RedisOption>{
      // cluster-* (every one in config.c at 7.0.15)
      {"cluster-enabled", "yes"},  // Redis default "no"; slotsim requires yes (see proto)
      {"cluster-config-file", "nodes.conf"},
      {"cluster-node-timeout", "15000"},
      {"cluster-port", "0"},
      {"cluster-replica-validity-factor", "10"},
      {"cluster-migration-barrier", "1"},
      {"cluster-allow-replica-migration", "yes"},
      {"cluster-require-full-coverage", "yes"},
      {"cluster-replica-no-failover", "no"},
      {"cluster-allow-reads-when-down", "no"},
      {"cluster-allow-pubsubshard-when-down", "yes"},
      {"cluster-link-sendbuf-limit", "0"},
      {"cluster-announce-hostname", ""},
      {"cluster-preferred-endpoint-type", "ip"},
      {"cluster-announce-ip", ""},
      {"cluster-announce-port", "0"},
      {"cluster-announce-tls-port", "0"},
      {"cluster-announce-bus-port", "0"},
      // replication options that enter cluster behaviour
      {"repl-ping-replica-period", "10"},
      {"repl-timeout", "60"},
      {"repl-backlog-size", "1048576"},
      {"min-replicas-to-write", "0"},
      {"min-replicas-max-lag", "10"},
      {"repl-diskless-sync", "yes"},
      {"repl-diskless-sync-delay", "5"},
  };
  return *options;
}

std::string DefaultText(const FieldDescriptor* f) {
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_BOOL:
      return f->default_value_bool() ? "yes" : "no";
    case FieldDescriptor::CPPTYPE_INT32:
      return std::to_string(f->default_value_int32());
    case FieldDescriptor::CPPTYPE_INT64:
      return std::to_string(f->default_value_int64());
    case FieldDescriptor::CPPTYPE_UINT64:
      return std::to_string(f->default_value_uint64());
    case FieldDescriptor::CPPTYPE_STRING:
      return f->default_value_string();
    default:
      return "?";
  }
}

TEST(KnobsTest, EveryRedisOptionIsAFieldWithRedisDefault) {
  const auto* d = Knobs::descriptor();
  for (const RedisOption& o : RedisOptions()) {
    SCOPED_TRACE(o.name);
    const std::string field = absl::StrReplaceAll(o.name, {{"-", "_"}});
    const FieldDescriptor* f = d->FindFieldByName(field);
    ASSERT_NE(f, nullptr);
    EXPECT_TRUE(f->has_default_value()) << "Redis options state their default explicitly";
    EXPECT_EQ(DefaultText(f), o.default_);
  }
}

TEST(KnobsTest, EveryOtherFieldIsAModelKnobWithAUnit) {
  const auto* d = Knobs::descriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    bool redis = false;
    for (const RedisOption& o : RedisOptions()) {
      redis |= absl::StrReplaceAll(o.name, {{"-", "_"}}) == f->name();
    }
    if (redis) {
      EXPECT_LT(f->number(), 50) << f->name();
      continue;
    }
    EXPECT_GE(f->number(), 50) << f->name() << ": model knobs are numbered from 50";
    const bool unit = absl::EndsWith(f->name(), "_ms") ||
                      absl::EndsWith(f->name(), "_us") ||
                      absl::EndsWith(f->name(), "_bytes_per_ms");
    EXPECT_TRUE(unit) << f->name() << " needs a unit suffix";
  }
}

TEST(KnobsTest, ModelNodeConfigStartsFromTheSameDefaults) {
  const model::NodeConfig c;
  const Knobs k;
  EXPECT_EQ(c.cluster_node_timeout_ms, k.cluster_node_timeout());
  EXPECT_EQ(c.cluster_replica_validity_factor, k.cluster_replica_validity_factor());
  EXPECT_EQ(c.cluster_migration_barrier, k.cluster_migration_barrier());
  EXPECT_EQ(c.cluster_allow_replica_migration, k.cluster_allow_replica_migration());
  EXPECT_EQ(c.cluster_require_full_coverage, k.cluster_require_full_coverage());
  EXPECT_EQ(c.cluster_replica_no_failover, k.cluster_replica_no_failover());
  EXPECT_EQ(c.cluster_allow_reads_when_down, k.cluster_allow_reads_when_down());
  EXPECT_EQ(c.cluster_allow_pubsubshard_when_down,
            k.cluster_allow_pubsubshard_when_down());
  EXPECT_EQ(static_cast<uint64_t>(c.cluster_link_sendbuf_limit_bytes),
            k.cluster_link_sendbuf_limit());
  EXPECT_EQ(c.cluster_preferred_endpoint_type, k.cluster_preferred_endpoint_type());
  EXPECT_EQ(c.repl_ping_replica_period_s, k.repl_ping_replica_period());
  EXPECT_EQ(c.repl_timeout_s, k.repl_timeout());
  EXPECT_EQ(c.repl_backlog_size_bytes, k.repl_backlog_size());
  EXPECT_EQ(c.min_replicas_to_write, k.min_replicas_to_write());
  EXPECT_EQ(c.min_replicas_max_lag_s, k.min_replicas_max_lag());
  EXPECT_EQ(c.clock_base_ms, k.clock_base_ms());
}

}  // namespace
}  // namespace slotsim::scenarios
