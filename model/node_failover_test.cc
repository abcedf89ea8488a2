// Failure detection and automatic failover on small clusters
// (clusterCron's PFAIL rule, markNodeAsFailingIfNeeded, clusterHandleSlaveFailover,
// clusterSendFailoverAuthIfNeeded, clusterFailoverReplaceYourMaster,
// clusterUpdateSlotsConfigWith).

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

constexpr int64_t kNt = 2000;

void FastTimeouts(NodeConfig& c) {
  c.cluster_node_timeout_ms = kNt;
  c.repl_ping_replica_period_s = 1;
}

// True when every up node (but `except`) maps slot `slot` to node `owner`.
bool AllSee(TestCluster& tc, int slot, int owner, int except = -1) {
  for (int i = 0; i < tc.size(); ++i) {
    if (!tc.up(i) || i == except) continue;
    const ClusterNode* n = tc.node(i).cluster().slots[static_cast<size_t>(slot)];
    if (n == nullptr || n->name != tc.node(owner).name()) return false;
  }
  return true;
}

bool HasEvent(const TestCluster& tc, int i, EventKind kind) {
  for (const NodeEvent& e : tc.events(i)) {
    if (e.kind == kind) return true;
  }
  return false;
}

TEST(NodeFailoverTest, CrashedMasterIsReplacedByItsReplica) {
  marks::Reset();
  TestCluster tc(21);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 1));
  ASSERT_EQ(tc.Command(0, {"SET", "foo", "bar"}).kind(), Reply::Kind::kError);  // MOVED
  const sim::Time crash_at = tc.now();
  tc.Crash(0);
  ASSERT_TRUE(tc.RunUntil([&] { return AllSee(tc, 0, 3) && tc.Converged(); },
                          Duration::Seconds(30)));
  const Duration took = tc.now() - crash_at;
  EXPECT_GT(took, Duration::Millis(kNt));
  EXPECT_LT(took, Duration::Millis(kNt * 3));
  const ClusterState& r = tc.node(3).cluster();
  EXPECT_TRUE(r.myself->is_master());
  EXPECT_EQ(r.myself->config_epoch, Epoch(7));
  EXPECT_EQ(r.myself->num_slots, 5461);
  for (int i = 1; i < 6; ++i) {
    const ClusterNode* old = tc.node(i).cluster().Find(
        NodeName::FromString(tc.node(i).cluster().slots[100]->name.str()));
    ASSERT_NE(old, nullptr);
  }
  EXPECT_GT(marks::Count("failure detection: PFAIL set"), 0u);
  EXPECT_GT(marks::Count("failure detection: FAIL by quorum"), 0u);
  EXPECT_GT(marks::Count("vote granted"), 0u);
  EXPECT_GT(marks::Count("failover: election won"), 0u);
  EXPECT_TRUE(HasEvent(tc, 3, EventKind::kPromoted));
  EXPECT_TRUE(HasEvent(tc, 3, EventKind::kElectionStarted));
  // The promotion was saved with fsync before the PONG broadcast left.
  EXPECT_NE(tc.persisted(3).find("myself,master"), std::string::npos);
}

TEST(NodeFailoverTest, RestartedOldMasterRejoinsAsReplica) {
  marks::Reset();
  TestCluster tc(22);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 1));
  tc.Crash(0);
  ASSERT_TRUE(tc.RunUntil([&] { return AllSee(tc, 0, 3); }, Duration::Seconds(30)));
  tc.RunFor(Duration::Seconds(1));
  tc.Restart(0);
  // It comes back claiming 0-5460 at epoch 1, learns the new owner and follows.
  ASSERT_TRUE(tc.RunUntil(
      [&] {
        const ClusterState& cs = tc.node(0).cluster();
        return cs.myself->is_replica() && cs.myself->replica_of != nullptr &&
               cs.myself->replica_of->name == tc.node(3).name() &&
               tc.node(0).replication().link_up() && tc.Converged();
      },
      Duration::Seconds(30)));
  EXPECT_GT(marks::Count("slots: lost last slot, following the new owner"), 0u);
  // The restarted node was a master: it stayed FAIL for the writable delay.
  EXPECT_GT(marks::Count("state: writable delay after start"), 0u);
}

TEST(NodeFailoverTest, ShortPauseDoesNotFailOver) {
  TestCluster tc(23);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 1));
  tc.Pause(0);
  tc.RunFor(Duration::Millis(kNt / 2));
  tc.Resume(0);
  tc.RunFor(Duration::Seconds(10));
  EXPECT_TRUE(AllSee(tc, 0, 0));
  EXPECT_TRUE(tc.node(3).cluster().myself->is_replica());
  EXPECT_FALSE(HasEvent(tc, 3, EventKind::kElectionStarted));
}

TEST(NodeFailoverTest, LongPauseFailsOverAndTheOldMasterFollows) {
  marks::Reset();
  TestCluster tc(24);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 1));
  tc.Pause(0);
  ASSERT_TRUE(tc.RunUntil([&] { return AllSee(tc, 0, 3, /*except=*/0); },
                          Duration::Seconds(20)));
  tc.Resume(0);
  ASSERT_TRUE(tc.RunUntil(
      [&] {
        const ClusterState& cs = tc.node(0).cluster();
        return cs.myself->is_replica() && cs.myself->replica_of != nullptr &&
               cs.myself->replica_of->name == tc.node(3).name() && tc.Converged();
      },
      Duration::Seconds(20)));
}

TEST(NodeFailoverTest, ReplicaWithLargerOffsetWins) {
  marks::Reset();
  TestCluster tc(25);
  tc.default_tweak = FastTimeouts;
  // Master 0..2; master 0 has replicas 3 and 4 (redis-cli order: 3, 4 for m0).
  ASSERT_TRUE(tc.Create(3, 2));
  // Replica 4 stops hearing from master 0, then master 0 takes writes that
  // only replica 3 receives.
  tc.Partition({4}, {0});
  const std::string key = "bar";  // slot 5061, served by master 0
  for (int w = 0; w < 5; ++w) {
    ASSERT_EQ(tc.Command(0, {"SET", key, std::to_string(w)}).str(), "OK");
  }
  tc.RunFor(Duration::Millis(300));
  ASSERT_GT(tc.node(3).replication().SlaveOffset(),
            tc.node(4).replication().SlaveOffset());
  tc.Crash(0);
  tc.HealAll();
  ASSERT_TRUE(tc.RunUntil([&] { return AllSee(tc, 0, 3) && tc.Converged(); },
                          Duration::Seconds(30)));
  EXPECT_TRUE(tc.node(3).is_master());
  EXPECT_TRUE(tc.node(4).cluster().myself->is_replica());
  EXPECT_EQ(tc.node(4).cluster().myself->replica_of->name, tc.node(3).name());
  EXPECT_GT(marks::Count("failover: scheduled with rank > 0") +
                marks::Count("failover: rank pushed the election later"),
            0u);
}

TEST(NodeFailoverTest, ReplicaWithTooOldDataDoesNotFailOver) {
  marks::Reset();
  TestCluster tc(26);
  tc.default_tweak = [](NodeConfig& c) {
    FastTimeouts(c);
    c.cluster_replica_validity_factor = 1;  // 1 s + 2 s of allowed data age
  };
  ASSERT_TRUE(tc.Create(3, 1));
  tc.Partition({3}, {0});
  tc.RunFor(Duration::Seconds(10));
  tc.Crash(0);
  tc.HealAll();
  tc.RunFor(Duration::Seconds(20));
  EXPECT_TRUE(tc.node(3).cluster().myself->is_replica());
  EXPECT_GT(marks::Count("failover: refused, data too old"), 0u);
  EXPECT_EQ(tc.node(3).cluster().cant_failover_reason, CantFailoverReason::kDataAge);
  EXPECT_NE(tc.node(1).cluster().state, ClusterHealth::kOk);
}

TEST(NodeFailoverTest, ReplicaNoFailoverStaysReplica) {
  marks::Reset();
  TestCluster tc(27);
  tc.default_tweak = FastTimeouts;
  tc.AddNode();
  tc.AddNode();
  tc.AddNode();
  tc.AddNode([](NodeConfig& c) { c.cluster_replica_no_failover = true; });
  tc.AddNode();
  tc.AddNode();
  ASSERT_TRUE(tc.Create(3, 1));
  EXPECT_TRUE(tc.node(1).cluster().Find(tc.node(3).name())->Has(flags::kNoFailover));
  tc.Crash(0);
  tc.RunFor(Duration::Seconds(15));
  EXPECT_TRUE(tc.node(3).cluster().myself->is_replica());
  EXPECT_GT(marks::Count("failover: not attempted (cluster-replica-no-failover)"), 0u);
  // The manual path is still open: FORCE works with the master down.
  EXPECT_EQ(tc.Command(3, {"CLUSTER", "FAILOVER", "FORCE"}).str(), "OK");
  EXPECT_TRUE(tc.RunUntil([&] { return AllSee(tc, 0, 3); }, Duration::Seconds(10)));
}

}  // namespace
}  // namespace slotsim::model
