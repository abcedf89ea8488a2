// CLUSTER FAILOVER: default (MFSTART, paused master, offset handshake),
// FORCE, TAKEOVER, the manual failover timeout, and the preconditions'
// error strings (clusterCommand "failover", clusterHandleManualFailover,
// manualFailoverCheckTimeout).

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/marks.h"
#include "model/node.h"
#include "model/testing/test_cluster.h"

namespace slotsim::model {
namespace {

using sim::Duration;
using testing::TestCluster;

void FastTimeouts(NodeConfig& c) {
  c.cluster_node_timeout_ms = 2000;
  c.repl_ping_replica_period_s = 1;
}

bool Swapped(TestCluster& tc, int new_master, int old_master) {
  const ClusterState& o = tc.node(old_master).cluster();
  return tc.node(new_master).is_master() && o.myself->is_replica() &&
         o.myself->replica_of != nullptr &&
         o.myself->replica_of->name == tc.node(new_master).name() && tc.Converged();
}

bool HasEvent(const TestCluster& tc, int i, EventKind kind) {
  for (const NodeEvent& e : tc.events(i)) {
    if (e.kind == kind) return true;
  }
  return false;
}

TEST(NodeManualFailoverTest, DefaultModeSwapsWithoutLosingWrites) {
  marks::Reset();
  TestCluster tc(31);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 1));
  for (int w = 0; w < 10; ++w) {
    ASSERT_EQ(tc.Command(0, {"SET", "bar", std::to_string(w)}).str(), "OK");
  }
  EXPECT_EQ(tc.Command(3, {"CLUSTER", "FAILOVER"}).str(), "OK");
  ASSERT_TRUE(tc.RunUntil([&] { return Swapped(tc, 3, 0); }, Duration::Seconds(10)));
  EXPECT_EQ(tc.node(3).keyspace().Get("bar")->data, "9");
  EXPECT_GT(marks::Count("manual failover: MFSTART sent"), 0u);
  EXPECT_GT(marks::Count("manual failover: master paused writes"), 0u);
  EXPECT_GT(marks::Count("manual failover: offsets match, can start"), 0u);
  EXPECT_GT(marks::Count("vote granted: forced (manual failover)"), 0u);
  EXPECT_TRUE(HasEvent(tc, 3, EventKind::kElectionStarted));
  // The old master's pause ended when it became a replica.
  EXPECT_EQ(tc.node(0).writes_paused_until_ms(), 0);
  EXPECT_EQ(tc.node(3).cluster().myself->config_epoch, Epoch(7));
}

TEST(NodeManualFailoverTest, ForceSkipsTheOffsetHandshake) {
  marks::Reset();
  TestCluster tc(32);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 1));
  EXPECT_EQ(tc.Command(4, {"CLUSTER", "FAILOVER", "FORCE"}).str(), "OK");
  ASSERT_TRUE(tc.RunUntil([&] { return Swapped(tc, 4, 1); }, Duration::Seconds(10)));
  EXPECT_GT(marks::Count("manual failover: force"), 0u);
  EXPECT_EQ(marks::Count("manual failover: MFSTART sent"), 0u);
  EXPECT_EQ(marks::Count("manual failover: master paused writes"), 0u);
  EXPECT_GT(marks::Count("vote granted: forced (manual failover)"), 0u);
}

TEST(NodeManualFailoverTest, TakeoverNeedsNoVotes) {
  marks::Reset();
  TestCluster tc(33);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 1));
  // Even with every other node unreachable the takeover completes locally.
  tc.Partition({3}, {0, 1, 2, 4, 5});
  EXPECT_EQ(tc.Command(3, {"CLUSTER", "FAILOVER", "TAKEOVER"}).str(), "OK");
  EXPECT_TRUE(tc.node(3).is_master());
  // Its own configEpoch (4, from SET-CONFIG-EPOCH) is not the maximum (6):
  // bumped to currentEpoch + 1.
  EXPECT_EQ(tc.node(3).cluster().myself->config_epoch, Epoch(7));
  EXPECT_EQ(tc.node(3).cluster().myself->num_slots, 5461);
  EXPECT_GT(marks::Count("manual failover: takeover"), 0u);
  EXPECT_GT(marks::Count("epoch: bumped without consensus"), 0u);
  EXPECT_FALSE(HasEvent(tc, 3, EventKind::kElectionStarted));
  tc.HealAll();
  ASSERT_TRUE(tc.RunUntil([&] { return Swapped(tc, 3, 0); }, Duration::Seconds(10)));
}

TEST(NodeManualFailoverTest, TakeoverKeepsAMaximalOwnEpoch) {
  marks::Reset();
  TestCluster tc(36);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 1));
  // Node 5 got SET-CONFIG-EPOCH 6, still the greatest epoch it knows: Redis
  // takes over at epoch 6 without bumping (its old master has epoch 3).
  EXPECT_EQ(tc.Command(5, {"CLUSTER", "FAILOVER", "TAKEOVER"}).str(), "OK");
  EXPECT_EQ(tc.node(5).cluster().myself->config_epoch, Epoch(6));
  EXPECT_EQ(marks::Count("epoch: bumped without consensus"), 0u);
  ASSERT_TRUE(tc.RunUntil([&] { return Swapped(tc, 5, 2); }, Duration::Seconds(10)));
}

TEST(NodeManualFailoverTest, TimesOutWhenTheMasterDoesNotAnswer) {
  marks::Reset();
  TestCluster tc(34);
  tc.default_tweak = [](NodeConfig& c) {
    FastTimeouts(c);
    c.cluster_node_timeout_ms = 15000;  // no automatic failover meanwhile
  };
  ASSERT_TRUE(tc.Create(3, 1));
  tc.Pause(0);
  EXPECT_EQ(tc.Command(3, {"CLUSTER", "FAILOVER"}).str(), "OK");
  tc.RunFor(Duration::Seconds(6));
  EXPECT_EQ(tc.node(3).cluster().mf_end_ms, 0);
  EXPECT_GT(marks::Count("manual failover: timed out"), 0u);
  // The master gets MFSTART late, pauses, and its own timeout unpauses it.
  tc.Resume(0);
  tc.RunFor(Duration::Millis(50));
  EXPECT_NE(tc.node(0).writes_paused_until_ms(), 0);
  tc.RunFor(Duration::Seconds(6));
  EXPECT_EQ(tc.node(0).writes_paused_until_ms(), 0);
  EXPECT_TRUE(tc.node(0).is_master());
  EXPECT_TRUE(tc.node(3).cluster().myself->is_replica());
}

TEST(NodeManualFailoverTest, PreconditionErrors) {
  TestCluster tc(35);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 1));
  EXPECT_EQ(tc.Command(0, {"CLUSTER", "FAILOVER"}).str(),
            "ERR You should send CLUSTER FAILOVER to a replica");
  EXPECT_EQ(tc.Command(3, {"CLUSTER", "FAILOVER", "NOW"}).str(), "ERR syntax error");
  EXPECT_EQ(tc.Command(3, {"CLUSTER", "FAILOVER", "FORCE", "X"}).str(),
            "ERR unknown subcommand or wrong number of arguments for 'FAILOVER'. Try "
            "CLUSTER HELP.");
  tc.Crash(0);
  ASSERT_TRUE(tc.RunUntil(
      [&] { return !tc.node(3).cluster().myself->replica_of->link.valid(); },
      Duration::Seconds(1)));
  EXPECT_EQ(tc.Command(3, {"CLUSTER", "FAILOVER"}).str(),
            "ERR Master is down or failed, please use CLUSTER FAILOVER FORCE");
}

}  // namespace
}  // namespace slotsim::model
