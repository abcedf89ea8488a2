#include "props/cluster_view.h"

#include <gtest/gtest.h>

#include "props/testing/fake_cluster.h"

namespace slotsim::props {
namespace {

using testing::FakeCluster;
using testing::FakeId;
using testing::KeyInSlot;

TEST(ClusterView, FormedClusterAcceptsWritesOnOwnersOnly) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  EXPECT_TRUE(c.node("m1").AcceptsWrites());
  EXPECT_TRUE(c.node("m1").WritesSlot(0));
  EXPECT_FALSE(c.node("m1").WritesSlot(16383));
  EXPECT_FALSE(c.node("r1").AcceptsWrites());  // a replica
  EXPECT_EQ(c.node("m2").id(), FakeId("m2"));
  EXPECT_EQ(c.view().NameOf(FakeId("r3")), "r3");
  EXPECT_EQ(SlotOwningMasters(c.state("r2")), 3);
}

TEST(ClusterView, NoWritesWhenPausedDownFailingOrClientsPaused) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  c.node("m1").paused = true;
  EXPECT_FALSE(c.node("m1").WritesSlot(0));
  c.node("m1").paused = false;
  c.node("m1").writes_paused = true;
  EXPECT_FALSE(c.node("m1").WritesSlot(0));
  c.node("m1").writes_paused = false;
  c.state("m1").state = model::ClusterHealth::kFail;
  EXPECT_FALSE(c.node("m1").WritesSlot(0));
  c.state("m1").state = model::ClusterHealth::kOk;
  c.Down("m1");
  EXPECT_FALSE(c.node("m1").WritesSlot(0));
  EXPECT_FALSE(c.node("m1").up());
}

TEST(ClusterView, MigratingSlotWithoutKeysAnswersAsk) {
  FakeCluster c = FakeCluster::Standard(3, 0);
  c.state("m1").migrating_slots_to[7] = &c.peer("m1", "m2");
  EXPECT_FALSE(c.node("m1").WritesSlot(7));      // every write gets -ASK
  c.keyspace("m1").Set(KeyInSlot(8), {"v", 0});  // another slot's key
  EXPECT_FALSE(c.node("m1").WritesSlot(7));
  c.keyspace("m1").Set(KeyInSlot(7), {"v", 0});  // a key left to migrate
  EXPECT_TRUE(c.node("m1").WritesSlot(7));
  EXPECT_TRUE(c.node("m1").WritesSlot(8));
}

TEST(ClusterView, QuorumContactIsTheQuorumthMostRecentMaster) {
  FakeCluster c = FakeCluster::Standard(5, 0);
  const int64_t now = c.NowMs();
  // m1 heard m2 1 s ago, m3 5 s ago, m4 9 s ago, m5 20 s ago: a quorum of 3
  // needs two others, the second most recent is m3.
  c.LastHeard("m1", "m2", now - 1000);
  c.LastHeard("m1", "m3", now - 5000);
  c.LastHeard("m1", "m4", now - 9000);
  c.LastHeard("m1", "m5", now - 20000);
  EXPECT_EQ(QuorumContactMs(c.node("m1"), c.view().now), now - 5000);
}

TEST(ClusterView, QuorumContactAloneIsNow) {
  FakeCluster c = FakeCluster::Standard(1, 1);
  EXPECT_EQ(QuorumContactMs(c.node("m1"), c.view().now), c.NowMs());
}

}  // namespace
}  // namespace slotsim::props
