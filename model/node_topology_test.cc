// Cluster topology rules: replica migration, configEpoch collisions, the
// minority rule and rejoin delay, FORGET and its ban, UPDATE messages and
// slots whose owner stopped claiming them.

#include <set>
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

TEST(NodeTopologyTest, ReplicaMigratesToAnOrphanedMaster) {
  marks::Reset();
  TestCluster tc(51);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 1));
  // Node 6 becomes a second replica of master 0.
  tc.AddNode();
  tc.Command(6, {"CLUSTER", "MEET", TestCluster::Ip(0), "7000"});
  ASSERT_TRUE(tc.RunUntil([&] { return tc.Converged(); }, Duration::Seconds(10)));
  ASSERT_EQ(tc.Command(6, {"CLUSTER", "REPLICATE", tc.node(0).name().str()}).str(), "OK");
  ASSERT_TRUE(tc.RunUntil(
      [&] {
        return tc.node(1).cluster().Find(tc.node(0).name())->replicas.size() == 2;
      },
      Duration::Seconds(5)));
  // Master 1 loses its only replica.
  tc.Crash(4);
  const int candidate = tc.node(3).name() < tc.node(6).name() ? 3 : 6;
  ASSERT_TRUE(tc.RunUntil(
      [&] {
        const ClusterNode* me = tc.node(candidate).cluster().myself;
        return me->replica_of != nullptr && me->replica_of->name == tc.node(1).name();
      },
      Duration::Seconds(30)));
  EXPECT_GT(marks::Count("replica migration: migrating to an orphaned master"), 0u);
  const int other = candidate == 3 ? 6 : 3;
  EXPECT_EQ(tc.node(other).cluster().myself->replica_of->name, tc.node(0).name());
}

TEST(NodeTopologyTest, MigrationBarrierKeepsTheReplica) {
  marks::Reset();
  TestCluster tc(52);
  tc.default_tweak = [](NodeConfig& c) {
    FastTimeouts(c);
    c.cluster_migration_barrier = 2;
  };
  ASSERT_TRUE(tc.Create(3, 1));
  tc.AddNode();
  tc.Command(6, {"CLUSTER", "MEET", TestCluster::Ip(0), "7000"});
  ASSERT_TRUE(tc.RunUntil([&] { return tc.Converged(); }, Duration::Seconds(10)));
  ASSERT_EQ(tc.Command(6, {"CLUSTER", "REPLICATE", tc.node(0).name().str()}).str(), "OK");
  tc.RunFor(Duration::Seconds(2));
  tc.Crash(4);
  tc.RunFor(Duration::Seconds(20));
  EXPECT_EQ(tc.node(3).cluster().myself->replica_of->name, tc.node(0).name());
  EXPECT_EQ(tc.node(6).cluster().myself->replica_of->name, tc.node(0).name());
  EXPECT_GT(marks::Count("replica migration: barrier holds"), 0u);
}

TEST(NodeTopologyTest, EqualConfigEpochsBecomeDistinct) {
  marks::Reset();
  TestCluster tc(53);
  for (int i = 0; i < 4; ++i) tc.AddNode();
  // No SET-CONFIG-EPOCH: every master starts at configEpoch 0.
  for (int i = 1; i < 4; ++i) tc.Command(i, {"CLUSTER", "MEET", TestCluster::Ip(0), "7000"});
  auto distinct = [&] {
    for (int i = 0; i < 4; ++i) {
      if (tc.node(i).cluster().nodes.size() != 4) return false;
    }
    std::set<uint64_t> epochs;
    for (int i = 0; i < 4; ++i) epochs.insert(tc.node(i).cluster().myself->config_epoch.value());
    return epochs.size() == 4;
  };
  ASSERT_TRUE(tc.RunUntil(distinct, Duration::Seconds(30)));
  EXPECT_GT(marks::Count("epoch collision: my configEpoch bumped"), 0u);
  // The node with the greatest name never moves.
  int greatest = 0;
  for (int i = 1; i < 4; ++i) {
    if (tc.node(greatest).name() < tc.node(i).name()) greatest = i;
  }
  EXPECT_EQ(tc.node(greatest).cluster().myself->config_epoch, Epoch(0));
}

TEST(NodeTopologyTest, MinorityMasterStopsServingAndWaitsTheRejoinDelay) {
  marks::Reset();
  TestCluster tc(54);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 0));
  tc.Partition({0}, {1, 2});
  ASSERT_TRUE(tc.RunUntil(
      [&] { return tc.node(0).cluster().state == ClusterHealth::kFail; },
      Duration::Seconds(10)));
  // Keyed commands are refused while the state is FAIL.
  EXPECT_EQ(tc.Command(0, {"GET", "bar"}).str(), "CLUSTERDOWN The cluster is down");
  tc.HealAll();
  ASSERT_TRUE(tc.RunUntil([&] { return tc.Converged(); }, Duration::Seconds(20)));
  EXPECT_GT(marks::Count("state: rejoin delay after minority"), 0u);
  EXPECT_TRUE(tc.node(0).is_master());
}

TEST(NodeTopologyTest, ForgetBansGossipForSixtySeconds) {
  marks::Reset();
  TestCluster tc(55);
  ASSERT_TRUE(tc.Create(3, 0));
  tc.AddNode();  // node 3: an empty master
  tc.Command(3, {"CLUSTER", "MEET", TestCluster::Ip(0), "7000"});
  ASSERT_TRUE(tc.RunUntil([&] { return tc.Converged(); }, Duration::Seconds(10)));
  const NodeName gone = tc.node(3).name();
  EXPECT_EQ(tc.Command(0, {"CLUSTER", "FORGET", gone.str()}).str(), "OK");
  EXPECT_EQ(tc.node(0).cluster().Find(gone), nullptr);
  tc.RunFor(Duration::Seconds(30));
  EXPECT_EQ(tc.node(0).cluster().Find(gone), nullptr);
  EXPECT_GT(marks::Count("gossip: forgotten node not re-added"), 0u);
  // After the ban, gossip from nodes 1 and 2 brings it back.
  ASSERT_TRUE(tc.RunUntil([&] { return tc.node(0).cluster().Find(gone) != nullptr; },
                          Duration::Seconds(40)));
  EXPECT_GE(tc.now(), sim::Time() + Duration::Seconds(60));
}

TEST(NodeTopologyTest, ForgetEverywhereIsPermanent) {
  TestCluster tc(56);
  ASSERT_TRUE(tc.Create(3, 0));
  tc.AddNode();
  tc.Command(3, {"CLUSTER", "MEET", TestCluster::Ip(0), "7000"});
  ASSERT_TRUE(tc.RunUntil([&] { return tc.Converged(); }, Duration::Seconds(10)));
  const NodeName gone = tc.node(3).name();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(tc.Command(i, {"CLUSTER", "FORGET", gone.str()}).str(), "OK");
  }
  tc.RunFor(Duration::Seconds(90));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(tc.node(i).cluster().Find(gone), nullptr);
}

TEST(NodeTopologyTest, StaleClaimGetsAnUpdate) {
  marks::Reset();
  TestCluster tc(57);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 1));
  tc.Crash(0);
  ASSERT_TRUE(tc.RunUntil([&] { return tc.node(3).is_master(); }, Duration::Seconds(20)));
  tc.RunFor(Duration::Seconds(1));
  // Partition the new owner away from the restarted node so that the update
  // has to come from a third node's UPDATE message.
  tc.Partition({0}, {3});
  tc.Restart(0);
  ASSERT_TRUE(tc.RunUntil([&] { return tc.node(0).cluster().myself->is_replica(); },
                          Duration::Seconds(20)));
  EXPECT_GT(marks::Count("update: sent for stale slot claim"), 0u);
  EXPECT_GT(marks::Count("update: received and applied"), 0u);
  EXPECT_EQ(tc.node(0).cluster().myself->replica_of->name, tc.node(3).name());
}

TEST(NodeTopologyTest, SlotWhoseOwnerStoppedClaimingItCanBeTaken) {
  marks::Reset();
  TestCluster tc(58);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 0));
  // Node 2 (configEpoch 3) drops slot 16383 from its own table: it stops
  // advertising it.
  ASSERT_EQ(tc.Command(2, {"CLUSTER", "DELSLOTS", "16383"}).str(), "OK");
  ASSERT_TRUE(tc.RunUntil(
      [&] { return tc.node(1).cluster().owner_not_claiming_slot.Test(16383); },
      Duration::Seconds(10)));
  EXPECT_GT(marks::Count("slots: owner stopped claiming a slot"), 0u);
  // Still bound to node 2 in node 1's view (no CLUSTERDOWN) until claimed.
  EXPECT_EQ(tc.node(1).cluster().slots[16383]->name, tc.node(2).name());
  // Node 0 claims it with configEpoch 1 < 3: taken anyway, the slot is
  // unclaimed.
  ASSERT_EQ(tc.Command(0, {"CLUSTER", "SETSLOT", "16383", "NODE",
                           tc.node(0).name().str()})
                .str(),
            "OK");
  ASSERT_TRUE(tc.RunUntil(
      [&] {
        const ClusterNode* o = tc.node(1).cluster().slots[16383];
        return o != nullptr && o->name == tc.node(0).name();
      },
      Duration::Seconds(10)));
  EXPECT_GT(marks::Count("slots: not-claimed slot taken over"), 0u);
  EXPECT_FALSE(tc.node(1).cluster().owner_not_claiming_slot.Test(16383));
}

}  // namespace
}  // namespace slotsim::model
