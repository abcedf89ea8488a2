#include "scenarios/override.h"

#include "gtest/gtest.h"
#include "scenarios/sweep.pb.h"

namespace slotsim::scenarios {
namespace {

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST(OverrideTest, SetsScalarsByDottedPath) {
  Scenario s;
  ASSERT_TRUE(ApplyOverride(&s, "knobs.cluster_node_timeout=5000").ok());
  ASSERT_TRUE(ApplyOverride(&s, "network.delay.mean_us = 2000").ok());
  ASSERT_TRUE(ApplyOverride(&s, "duration_ms=60000").ok());
  ASSERT_TRUE(ApplyOverride(&s, "knobs.cluster_allow_reads_when_down=yes").ok());
  ASSERT_TRUE(ApplyOverride(&s, "network.delay.kind=exponential").ok());
  ASSERT_TRUE(ApplyOverride(&s, "network.loss_ppm=4294967295").ok());
  ASSERT_TRUE(ApplyOverride(&s, "knobs.cluster_preferred_endpoint_type=hostname").ok());
  ASSERT_TRUE(ApplyOverride(&s, "name=\"a \\\"quoted\\\" name\"").ok());
  ASSERT_TRUE(ApplyOverride(&s, "seed=18446744073709551615").ok());
  EXPECT_EQ(s.knobs().cluster_node_timeout(), 5000);
  EXPECT_TRUE(s.knobs().has_cluster_node_timeout());
  EXPECT_EQ(s.network().delay().mean_us(), 2000);
  EXPECT_EQ(s.duration_ms(), 60000);
  EXPECT_TRUE(s.has_duration_ms()) << "an override sets presence even at the default";
  EXPECT_TRUE(s.knobs().cluster_allow_reads_when_down());
  EXPECT_EQ(s.network().delay().kind(), Delay::EXPONENTIAL);
  EXPECT_EQ(s.network().loss_ppm(), 4294967295u);
  EXPECT_EQ(s.knobs().cluster_preferred_endpoint_type(), "hostname");
  EXPECT_EQ(s.name(), "a \"quoted\" name");
  EXPECT_EQ(s.seed(), 18446744073709551615u);
}

TEST(OverrideTest, IndexesRepeatedFields) {
  Scenario s;
  s.add_faults()->mutable_crash()->set_node("m1");
  s.add_faults()->mutable_partition()->add_group()->add_nodes("m2");
  s.mutable_topology()->add_hosts("h1");
  ASSERT_TRUE(ApplyOverride(&s, "faults[0].at_ms=100").ok());
  ASSERT_TRUE(ApplyOverride(&s, "faults[1].partition.group[0].nodes[0]=r2").ok());
  ASSERT_TRUE(ApplyOverride(&s, "topology.hosts[0]=10.0.0.7").ok());
  ASSERT_TRUE(ApplyOverride(&s, "faults[0].crash.lose_unsynced=true").ok());
  EXPECT_EQ(s.faults(0).at_ms(), 100);
  EXPECT_EQ(s.faults(1).partition().group(0).nodes(0), "r2");
  EXPECT_EQ(s.topology().hosts(0), "10.0.0.7");
  EXPECT_TRUE(s.faults(0).crash().lose_unsynced());
}

TEST(OverrideTest, UnknownPathsSuggestNames) {
  Scenario s;
  EXPECT_EQ(Message(ApplyOverride(&s, "knobs.cluster_node_timout=1")),
            "bad path \"knobs.cluster_node_timout\": no field \"cluster_node_timout\" in "
            "Knobs; "
            "did you mean \"cluster_node_timeout\"?");
  EXPECT_EQ(Message(ApplyOverride(&s, "netwrk.loss_ppm=1")),
            "bad path \"netwrk.loss_ppm\": no field \"netwrk\" in Scenario; did you mean "
            "\"network\"?");
  EXPECT_EQ(
      Message(ApplyOverride(&s, "heal.zzz=1")),
      "bad path \"heal.zzz\": no field \"zzz\" in HealPhase; its fields are enabled, "
      "converge_node_timeouts, converge_ms, restart_crashed, resume_paused");
}

TEST(OverrideTest, PathShapeErrors) {
  Scenario s;
  s.add_faults()->mutable_crash()->set_node("m1");
  EXPECT_EQ(
      Message(ApplyOverride(&s, "faults.at_ms=1")),
      "bad path \"faults.at_ms\": \"faults\" is repeated; give an index, e.g. faults[0]");
  EXPECT_EQ(
      Message(ApplyOverride(&s, "faults[3].at_ms=1")),
      "bad path \"faults[3].at_ms\": faults has 1 element; index 3 is out of range");
  EXPECT_EQ(
      Message(ApplyOverride(&s, "knobs[0].cron_period_ms=1")),
      "bad path \"knobs[0].cron_period_ms\": \"knobs\" is not repeated; drop the index");
  EXPECT_EQ(Message(ApplyOverride(&s, "faults[x].at_ms=1")),
            "bad path \"faults[x].at_ms\": index \"x\" is not a number >= 0");
  EXPECT_EQ(
      Message(ApplyOverride(&s, "duration_ms.x=1")),
      "bad path \"duration_ms.x\": \"duration_ms\" is a scalar; nothing comes after it");
  EXPECT_EQ(
      Message(ApplyOverride(&s, "faults[0].partition.mode=HOLD")),
      "bad path \"faults[0].partition.mode\": \"partition\" is in oneof \"kind\", which "
      "already holds \"crash\"");
  EXPECT_EQ(Message(ApplyOverride(&s, "duration_ms")),
            "bad override \"duration_ms\": expected PATH=VALUE");
  EXPECT_EQ(Message(ApplyOverride(&s, "=5")), "bad path \"\": empty path");
  EXPECT_EQ(Message(ApplyOverride(&s, "heal=5")),
            "bad value for heal: heal is a message (HealPhase); set one of its fields: "
            "enabled, "
            "converge_node_timeouts, converge_ms, restart_crashed, resume_paused");
  EXPECT_EQ(s.faults(0).crash().node(), "m1") << "a refused override changes nothing";
}

TEST(OverrideTest, BadValuesNameTheTypeAndRange) {
  Scenario s;
  EXPECT_EQ(
      Message(ApplyOverride(&s, "knobs.cluster_node_timeout=abc")),
      "bad value for knobs.cluster_node_timeout: cluster_node_timeout takes an integer "
      "(int64); got \"abc\"");
  EXPECT_EQ(
      Message(ApplyOverride(&s, "topology.masters=3000000000")),
      "bad value for topology.masters: 3000000000 is out of range for masters (int32: "
      "-2147483648..2147483647)");
  EXPECT_EQ(Message(ApplyOverride(&s, "network.loss_ppm=-1")),
            "bad value for network.loss_ppm: loss_ppm is unsigned (uint32); got \"-1\"");
  EXPECT_EQ(Message(ApplyOverride(&s, "knobs.cluster_enabled=maybe")),
            "bad value for knobs.cluster_enabled: cluster_enabled takes a boolean (true, "
            "false, "
            "yes, no, 1, 0); got \"maybe\"");
  EXPECT_EQ(
      Message(ApplyOverride(&s, "network.partition_mode=DISCARD")),
      "bad value for network.partition_mode: partition_mode takes one of DROP, HOLD, "
      "REJECT; got \"DISCARD\"");
  EXPECT_EQ(
      Message(ApplyOverride(&s, "knobs.cluster_node_timeout=1.5")),
      "bad value for knobs.cluster_node_timeout: cluster_node_timeout takes an integer "
      "(int64); got \"1.5\"");
  EXPECT_FALSE(ApplyOverride(&s, "knobs.cron_period_ms=").ok());
  EXPECT_FALSE(s.knobs().has_cluster_node_timeout());
}

TEST(OverrideTest, FloatsAndEnumNumbers) {
  Scenario s;
  s.add_faults()->mutable_rebalance();
  ASSERT_TRUE(ApplyOverride(&s, "faults[0].rebalance.threshold=2.5").ok());
  EXPECT_FLOAT_EQ(s.faults(0).rebalance().threshold(), 2.5f);
  EXPECT_FALSE(ApplyOverride(&s, "faults[0].rebalance.threshold=nan").ok());
  EXPECT_FALSE(ApplyOverride(&s, "faults[0].rebalance.threshold=1e300").ok());
  ASSERT_TRUE(ApplyOverride(&s, "network.partition_mode=3").ok());
  EXPECT_EQ(s.network().partition_mode(), REJECT);
  EXPECT_FALSE(ApplyOverride(&s, "network.partition_mode=9").ok());
}

TEST(OverrideTest, CheckOverrideNeedsNoMessage) {
  EXPECT_TRUE(CheckOverride(Scenario::descriptor(), "faults[4].crash.node=m1").ok());
  EXPECT_TRUE(CheckOverride(Scenario::descriptor(), "topology.hosts[2]=h").ok());
  EXPECT_FALSE(CheckOverride(Scenario::descriptor(), "faults[4].at_ms=soon").ok());
  EXPECT_TRUE(CheckOverridePath(Scenario::descriptor(), "network.delay.mean_us").ok());
  EXPECT_EQ(Message(CheckOverridePath(Scenario::descriptor(), "network.delay")),
            "bad path \"network.delay\": \"delay\" is a message (Delay); name one of its "
            "fields: kind, mean_us, jitter_us, min_us, max_us");
  EXPECT_EQ(OverridePath(" knobs.repl_timeout = 5"), "knobs.repl_timeout");
  EXPECT_EQ(OverridePath("nothing"), "");
}

TEST(OverrideTest, WorksOnAnyMessage) {
  Sweep sw;
  ASSERT_TRUE(ApplyOverride(&sw, "seeds_per_point=3").ok());
  ASSERT_TRUE(SetFieldByPath(&sw, "combine", "zip").ok());
  EXPECT_EQ(sw.seeds_per_point(), 3);
  EXPECT_EQ(sw.combine(), Sweep::ZIP);
}

}  // namespace
}  // namespace slotsim::scenarios
