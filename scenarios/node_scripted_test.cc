// Scripted scenarios for the Redis Cluster node on the world's simulated
// network (issue "the node"): each test drives a small cluster through a fault
// and asserts the outcome Redis 7.0.15 produces, plus the coverage marks of
// the rare branches it must have taken.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/cluster_state.h"
#include "model/marks.h"
#include "model/node.h"
#include "scenarios/cluster_setup.h"
#include "scenarios/world.h"

namespace slotsim::scenarios {
namespace {

using model::ClusterHealth;
using model::marks::Count;
using sim::Duration;

constexpr int64_t kNt = 2000;

WorldOptions Options(uint64_t seed, int masters, int replicas, int spares,
                     void (*tweak)(model::NodeConfig&) = nullptr) {
  model::NodeConfig base;
  base.cluster_node_timeout_ms = kNt;
  base.repl_ping_replica_period_s = 1;
  if (tweak != nullptr) tweak(base);
  WorldOptions o;
  o.seed = seed;
  o.nodes = ClusterSpecs(masters, replicas, spares, base);
  return o;
}

void StartFormed(World& w, int masters, int replicas) {
  sim::Rng ids(w.now().micros() + 17);
  const std::vector<ShardLayout> layout = DefaultLayout(masters, replicas);
  ASSERT_TRUE(StartFormedCluster(w, layout, ids).ok());
  std::vector<std::string> names;
  for (const ShardLayout& s : layout) names.push_back(s.name);
  ASSERT_TRUE(WaitForConvergence(w, names, Duration::Seconds(30)));
  // Let replication settle (PSYNC done, offsets exchanged).
  w.RunFor(Duration::Seconds(3));
}

bool Until(World& w, const std::function<bool()>& pred, Duration limit) {
  return w.RunUntil(pred, w.now() + limit);
}

// Node `name` is a replica of `master` in its own view.
bool ReplicaOf(World& w, const std::string& name, const std::string& master) {
  const model::Node* n = w.node(name);
  const model::Node* m = w.node(master);
  if (n == nullptr || m == nullptr) return false;
  const model::ClusterNode* me = n->cluster().myself;
  return me->is_replica() && me->replica_of != nullptr && me->replica_of->name == m->name();
}

// Every running node in `viewers` maps slot `slot` to node `owner`.
bool AllMap(World& w, const std::vector<std::string>& viewers, int slot,
            const std::string& owner) {
  const model::Node* o = w.node(owner);
  if (o == nullptr) return false;
  for (const std::string& v : viewers) {
    const model::Node* n = w.node(v);
    if (n == nullptr) continue;
    const model::ClusterNode* s = n->cluster().slots[static_cast<size_t>(slot)];
    if (s == nullptr || s->name != o->name()) return false;
  }
  return true;
}

const std::vector<std::string> kSix = {"m1", "m2", "m3", "r1", "r2", "r3"};

TEST(NodeScripted, CrashedMasterIsReplacedByItsReplica) {
  model::marks::Reset();
  World w(Options(1, 3, 1, 0));
  StartFormed(w, 3, 1);
  ASSERT_TRUE(w.Crash("m1"));
  ASSERT_TRUE(Until(w, [&] { return AllMap(w, kSix, 0, "r1"); }, Duration::Seconds(20)));
  EXPECT_TRUE(w.node("r1")->is_master());
  EXPECT_EQ(w.node("r1")->cluster().myself->config_epoch.value(), 7u);
  EXPECT_TRUE(WaitForConvergence(w, {"m2", "m3", "r1", "r2", "r3"}, Duration::Seconds(10)));
  EXPECT_GT(Count("failure detection: PFAIL set"), 0u);
  EXPECT_GT(Count("failure detection: FAIL by quorum"), 0u);
  EXPECT_GT(Count("vote granted"), 0u);
  EXPECT_GT(Count("failover: election won"), 0u);
}

TEST(NodeScripted, RestartedOldMasterRejoinsAsReplicaOfTheNewOne) {
  model::marks::Reset();
  World w(Options(2, 3, 1, 0));
  StartFormed(w, 3, 1);
  ASSERT_TRUE(w.Crash("m1"));
  ASSERT_TRUE(Until(w, [&] { return w.node("r1")->is_master(); }, Duration::Seconds(20)));
  w.RunFor(Duration::Seconds(2));
  ASSERT_TRUE(w.Restart("m1"));
  ASSERT_TRUE(Until(
      w, [&] { return ReplicaOf(w, "m1", "r1") && w.node("m1")->replication().link_up(); },
      Duration::Seconds(20)));
  EXPECT_TRUE(WaitForConvergence(w, kSix, Duration::Seconds(10)));
  EXPECT_GT(Count("slots: lost last slot, following the new owner"), 0u);
  EXPECT_GT(Count("state: writable delay after start"), 0u);
}

TEST(NodeScripted, PauseShorterThanTheTimeoutDoesNotFailOver) {
  World w(Options(3, 3, 1, 0));
  StartFormed(w, 3, 1);
  ASSERT_TRUE(w.Pause("m1"));
  w.RunFor(Duration::Millis(kNt / 2));
  ASSERT_TRUE(w.Resume("m1"));
  w.RunFor(Duration::Seconds(10));
  EXPECT_TRUE(w.node("m1")->is_master());
  EXPECT_TRUE(ReplicaOf(w, "r1", "m1"));
  EXPECT_TRUE(AllMap(w, kSix, 0, "m1"));
}

TEST(NodeScripted, PauseOfTwiceTheTimeoutFailsOverAndTheMasterFollows) {
  World w(Options(4, 3, 1, 0));
  StartFormed(w, 3, 1);
  ASSERT_TRUE(w.Pause("m1"));
  w.RunFor(Duration::Millis(2 * kNt));
  // The failover may still be running at 2 * NT; give it the time it needs.
  ASSERT_TRUE(Until(w, [&] { return w.node("r1")->is_master(); }, Duration::Seconds(10)));
  ASSERT_TRUE(w.Resume("m1"));
  ASSERT_TRUE(Until(w, [&] { return ReplicaOf(w, "m1", "r1"); }, Duration::Seconds(20)));
  EXPECT_TRUE(WaitForConvergence(w, kSix, Duration::Seconds(10)));
}

TEST(NodeScripted, MinorityPartitionThenHeal) {
  model::marks::Reset();
  World w(Options(5, 3, 1, 0));
  StartFormed(w, 3, 1);
  w.Partition({{"m1"}, {"m2", "m3", "r1", "r2", "r3"}}, sim::FaultMode::kDrop);
  ASSERT_TRUE(Until(
      w, [&] { return w.node("m1")->cluster().state == ClusterHealth::kFail; },
      Duration::Seconds(10)));
  EXPECT_EQ(w.Command("m1", {"SET", "bar", "x"}).str(), "CLUSTERDOWN The cluster is down");
  // The majority fails m1 over.
  ASSERT_TRUE(Until(w, [&] { return w.node("r1")->is_master(); }, Duration::Seconds(20)));
  w.HealAll();
  ASSERT_TRUE(Until(w, [&] { return ReplicaOf(w, "m1", "r1"); }, Duration::Seconds(20)));
  EXPECT_TRUE(WaitForConvergence(w, kSix, Duration::Seconds(20)));
  EXPECT_GT(Count("update: received and applied") +
                Count("slots: lost last slot, following the new owner"),
            0u);
}

TEST(NodeScripted, ShortMinorityPartitionWaitsTheRejoinDelay) {
  model::marks::Reset();
  World w(Options(6, 3, 0, 0));
  StartFormed(w, 3, 0);
  w.Partition({{"m1"}, {"m2", "m3"}}, sim::FaultMode::kDrop);
  ASSERT_TRUE(Until(
      w, [&] { return w.node("m1")->cluster().state == ClusterHealth::kFail; },
      Duration::Seconds(10)));
  w.HealAll();
  EXPECT_TRUE(WaitForConvergence(w, {"m1", "m2", "m3"}, Duration::Seconds(30)));
  EXPECT_TRUE(w.node("m1")->is_master());
  EXPECT_GT(Count("state: rejoin delay after minority"), 0u);
}

TEST(NodeScripted, ReplicaWithTheLargerOffsetWins) {
  model::marks::Reset();
  World w(Options(7, 3, 2, 0));
  StartFormed(w, 3, 2);
  // r1b stops hearing m1; m1 takes writes only r1a receives.
  w.Partition({{"r1b"}, {"m1"}}, sim::FaultMode::kDrop);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(w.Command("m1", {"SET", "bar", "v"}).str(), "OK");
  w.RunFor(Duration::Millis(500));
  ASSERT_GT(w.node("r1a")->replication().SlaveOffset(),
            w.node("r1b")->replication().SlaveOffset());
  ASSERT_TRUE(w.Crash("m1"));
  w.HealAll();
  ASSERT_TRUE(Until(w, [&] { return w.node("r1a")->is_master(); }, Duration::Seconds(20)));
  EXPECT_FALSE(w.node("r1b")->is_master());
  ASSERT_TRUE(Until(w, [&] { return ReplicaOf(w, "r1b", "r1a"); }, Duration::Seconds(10)));
  EXPECT_GT(Count("failover: scheduled with rank > 0") +
                Count("failover: rank pushed the election later"),
            0u);
}

void StrictValidity(model::NodeConfig& c) { c.cluster_replica_validity_factor = 1; }

TEST(NodeScripted, ReplicaWithTooOldDataDoesNotFailOver) {
  model::marks::Reset();
  World w(Options(8, 3, 1, 0, StrictValidity));
  StartFormed(w, 3, 1);
  // r1 hears nothing from m1 for 10 s (its replication link stays open:
  // repl-timeout is 60 s), then m1 dies behind the partition.
  w.Partition({{"r1"}, {"m1"}}, sim::FaultMode::kDrop);
  w.RunFor(Duration::Seconds(10));
  ASSERT_TRUE(w.Crash("m1"));
  w.RunFor(Duration::Seconds(20));
  EXPECT_FALSE(w.node("r1")->is_master());
  EXPECT_GT(Count("failover: refused, data too old"), 0u);
}

void NoFailover(model::NodeConfig& c) { c.cluster_replica_no_failover = true; }

TEST(NodeScripted, ReplicaNoFailoverKeepsTheReplica) {
  model::marks::Reset();
  World w(Options(9, 3, 1, 0, NoFailover));
  StartFormed(w, 3, 1);
  ASSERT_TRUE(w.Crash("m1"));
  w.RunFor(Duration::Seconds(20));
  EXPECT_FALSE(w.node("r1")->is_master());
  EXPECT_GT(Count("failover: not attempted (cluster-replica-no-failover)"), 0u);
}

TEST(NodeScripted, ManualFailoverDefault) {
  model::marks::Reset();
  World w(Options(10, 3, 1, 0));
  StartFormed(w, 3, 1);
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(w.Command("m1", {"SET", "bar", std::to_string(i)}).str(), "OK");
  }
  ASSERT_EQ(w.Command("r1", {"CLUSTER", "FAILOVER"}).str(), "OK");
  ASSERT_TRUE(Until(w, [&] { return ReplicaOf(w, "m1", "r1"); }, Duration::Seconds(10)));
  EXPECT_EQ(w.node("r1")->keyspace().Get("bar")->data, "9");
  EXPECT_GT(Count("manual failover: master paused writes"), 0u);
  EXPECT_GT(Count("manual failover: offsets match, can start"), 0u);
  EXPECT_GT(Count("vote granted: forced (manual failover)"), 0u);
  EXPECT_TRUE(WaitForConvergence(w, kSix, Duration::Seconds(10)));
}

TEST(NodeScripted, ManualFailoverForce) {
  model::marks::Reset();
  World w(Options(11, 3, 1, 0));
  StartFormed(w, 3, 1);
  // No MFSTART, no offset handshake: an election right away, with FORCEACK.
  ASSERT_EQ(w.Command("r2", {"CLUSTER", "FAILOVER", "FORCE"}).str(), "OK");
  ASSERT_TRUE(Until(w, [&] { return ReplicaOf(w, "m2", "r2"); }, Duration::Seconds(10)));
  EXPECT_GT(Count("manual failover: force"), 0u);
  EXPECT_EQ(Count("manual failover: master paused writes"), 0u);
  EXPECT_GT(Count("vote granted: forced (manual failover)"), 0u);
}

TEST(NodeScripted, ManualFailoverTakeover) {
  model::marks::Reset();
  World w(Options(12, 3, 1, 0));
  StartFormed(w, 3, 1);
  // Takeover needs nobody: cut r1 off from every other node first.
  w.Partition({{"r1"}, {"m1", "m2", "m3", "r2", "r3"}}, sim::FaultMode::kDrop);
  ASSERT_EQ(w.Command("r1", {"CLUSTER", "FAILOVER", "TAKEOVER"}).str(), "OK");
  EXPECT_TRUE(w.node("r1")->is_master());
  EXPECT_GT(Count("manual failover: takeover"), 0u);
  w.HealAll();
  ASSERT_TRUE(Until(w, [&] { return ReplicaOf(w, "m1", "r1"); }, Duration::Seconds(20)));
  EXPECT_TRUE(WaitForConvergence(w, kSix, Duration::Seconds(10)));
}

TEST(NodeScripted, ReplicaMigratesToAnOrphanedMaster) {
  model::marks::Reset();
  World w(Options(13, 3, 2, 0));
  StartFormed(w, 3, 2);
  ASSERT_TRUE(w.Crash("r2a"));
  ASSERT_TRUE(w.Crash("r2b"));
  ASSERT_TRUE(Until(
      w,
      [&] {
        for (const char* r : {"r1a", "r1b", "r3a", "r3b"}) {
          if (ReplicaOf(w, r, "m2")) return true;
        }
        return false;
      },
      Duration::Seconds(30)));
  EXPECT_GT(Count("replica migration: migrating to an orphaned master"), 0u);
}

TEST(NodeScripted, EqualConfigEpochsResolveToDistinctEpochs) {
  model::marks::Reset();
  World w(Options(14, 3, 0, 0));
  w.StartAllFresh();
  for (const char* n : {"m2", "m3"}) {
    ASSERT_EQ(w.Command(n, {"CLUSTER", "MEET", "127.0.0.1", "7000"}).str(), "OK");
  }
  ASSERT_TRUE(Until(
      w,
      [&] {
        const uint64_t a = w.node("m1")->cluster().myself->config_epoch.value();
        const uint64_t b = w.node("m2")->cluster().myself->config_epoch.value();
        const uint64_t c = w.node("m3")->cluster().myself->config_epoch.value();
        return w.node("m1")->cluster().nodes.size() == 3 && a != b && b != c && a != c;
      },
      Duration::Seconds(30)));
  EXPECT_GT(Count("epoch collision: my configEpoch bumped"), 0u);
}

TEST(NodeScripted, ForgetWithTheBanExpiring) {
  model::marks::Reset();
  World w(Options(15, 3, 0, 1));
  StartFormed(w, 3, 0);
  ASSERT_EQ(w.Command("s1", {"CLUSTER", "MEET", "127.0.0.1", "7000"}).str(), "OK");
  ASSERT_TRUE(WaitForConvergence(w, {"m1", "m2", "m3", "s1"}, Duration::Seconds(10)));
  const model::NodeName s1 = w.node("s1")->name();
  ASSERT_EQ(w.Command("m1", {"CLUSTER", "FORGET", s1.str()}).str(), "OK");
  w.RunFor(Duration::Seconds(50));
  EXPECT_EQ(w.node("m1")->cluster().Find(s1), nullptr);
  EXPECT_GT(Count("gossip: forgotten node not re-added"), 0u);
  // After 60 s, gossip from m2 and m3 brings s1 back.
  ASSERT_TRUE(Until(w, [&] { return w.node("m1")->cluster().Find(s1) != nullptr; },
                    Duration::Seconds(30)));
}

TEST(NodeScripted, ForgetEverywhereWithoutTheBanExpiring) {
  World w(Options(16, 3, 0, 1));
  StartFormed(w, 3, 0);
  ASSERT_EQ(w.Command("s1", {"CLUSTER", "MEET", "127.0.0.1", "7000"}).str(), "OK");
  ASSERT_TRUE(WaitForConvergence(w, {"m1", "m2", "m3", "s1"}, Duration::Seconds(10)));
  const model::NodeName s1 = w.node("s1")->name();
  for (const char* n : {"m1", "m2", "m3"}) {
    ASSERT_EQ(w.Command(n, {"CLUSTER", "FORGET", s1.str()}).str(), "OK");
  }
  w.RunFor(Duration::Seconds(90));
  for (const char* n : {"m1", "m2", "m3"}) {
    EXPECT_EQ(w.node(n)->cluster().Find(s1), nullptr) << n;
  }
}

}  // namespace
}  // namespace slotsim::scenarios
