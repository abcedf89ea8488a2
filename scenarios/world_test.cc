#include "scenarios/world.h"

#include <gtest/gtest.h>

#include "model/cluster_state.h"
#include "scenarios/cluster_setup.h"

namespace slotsim::scenarios {
namespace {

using sim::Duration;

WorldOptions SixNodes(uint64_t seed, int64_t node_timeout_ms) {
  model::NodeConfig base;
  base.cluster_node_timeout_ms = node_timeout_ms;
  WorldOptions o;
  o.seed = seed;
  o.nodes = ClusterSpecs(3, 1, 0, base);
  return o;
}

TEST(World, MeetMakesThreeNodesKnowEachOther) {
  model::NodeConfig base;
  WorldOptions o;
  o.nodes = ClusterSpecs(3, 0, 0, base);
  World w(o);
  w.StartAllFresh();
  EXPECT_EQ(w.node("m1")->cluster().nodes.size(), 1u);
  ASSERT_FALSE(w.Command("m2", {"CLUSTER", "MEET", "127.0.0.1", "7000"}).is_error());
  ASSERT_FALSE(w.Command("m3", {"CLUSTER", "MEET", "127.0.0.1", "7000"}).is_error());
  w.RunFor(Duration::Seconds(5));
  for (const char* n : {"m1", "m2", "m3"}) {
    const model::ClusterState& cs = w.node(n)->cluster();
    EXPECT_EQ(cs.nodes.size(), 3u) << n;
    for (const auto& peer : cs.nodes) {
      EXPECT_FALSE(peer->Has(model::flags::kHandshake)) << n;
    }
  }
}

TEST(World, NodeMayMeetItsOwnAddress) {
  // Real Redis accepts CLUSTER MEET of its own address; the transient
  // handshake node is dropped once its PONG reveals a known ID (myself).
  model::NodeConfig base;
  WorldOptions o;
  o.nodes = ClusterSpecs(2, 0, 0, base);
  World w(o);
  w.StartAllFresh();
  ASSERT_FALSE(w.Command("m1", {"CLUSTER", "MEET", "127.0.0.1", "7000"}).is_error());
  ASSERT_FALSE(w.Command("m1", {"CLUSTER", "MEET", "127.0.0.1", "7001"}).is_error());
  w.RunFor(Duration::Seconds(5));
  EXPECT_EQ(w.node("m1")->cluster().nodes.size(), 2u);
  EXPECT_EQ(w.node("m2")->cluster().nodes.size(), 2u);
}

TEST(World, CreateByCommandsConverges) {
  World w(SixNodes(7, 2000));
  ASSERT_TRUE(CreateClusterByCommands(w, DefaultLayout(3, 1), Duration::Seconds(30)).ok());
  EXPECT_TRUE(WaitForConvergence(w, w.node_names(), Duration::Seconds(30)));
  const model::ClusterState& cs = w.node("m1")->cluster();
  EXPECT_EQ(cs.current_epoch.value(), 6u);
  EXPECT_EQ(cs.size, 3);
  const model::ClusterNode* r1 = cs.Find(w.node("r1")->name());
  ASSERT_NE(r1, nullptr);
  ASSERT_NE(r1->replica_of, nullptr);
  EXPECT_EQ(r1->replica_of->name, w.node("m1")->name());
}

TEST(World, FormedClusterConvergesAndSameSeedSameHash) {
  uint64_t hashes[2];
  for (int run = 0; run < 2; ++run) {
    World w(SixNodes(11, 2000));
    sim::Rng ids(99);
    ASSERT_TRUE(StartFormedCluster(w, DefaultLayout(3, 1), ids).ok());
    EXPECT_TRUE(WaitForConvergence(w, w.node_names(), Duration::Seconds(30)));
    w.RunFor(Duration::Seconds(10));
    hashes[run] = w.trace_hash();
  }
  EXPECT_EQ(hashes[0], hashes[1]);
}

TEST(World, MasterCrashLeadsToPromotion) {
  World w(SixNodes(3, 1000));
  sim::Rng ids(5);
  ASSERT_TRUE(StartFormedCluster(w, DefaultLayout(3, 1), ids).ok());
  ASSERT_TRUE(WaitForConvergence(w, w.node_names(), Duration::Seconds(30)));
  w.RunFor(Duration::Seconds(2));
  ASSERT_TRUE(w.Crash("m1"));
  const bool promoted = w.RunUntil(
      [&] { return w.node("r1")->is_master() && w.node("r1")->cluster().myself->num_slots > 0; },
      w.now() + Duration::Seconds(10));
  EXPECT_TRUE(promoted);
  std::vector<std::string> alive = {"m2", "m3", "r1", "r2", "r3"};
  EXPECT_TRUE(WaitForConvergence(w, alive, Duration::Seconds(10)));
}

}  // namespace
}  // namespace slotsim::scenarios
