// nodes.conf: what is saved when (SAVE vs SAVE+FSYNC) and clusterLoadConfig's
// load-time rules on restart.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/marks.h"
#include "model/node.h"
#include "model/testing/test_cluster.h"

namespace slotsim::model {
namespace {

using sim::Duration;
using sim::Time;
using testing::TestCluster;

const char kA[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const char kB[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const char kC[] = "cccccccccccccccccccccccccccccccccccccccc";

std::unique_ptr<Node> StartFrom(const std::string& text, Time now, Effects* fx) {
  NodeConfig config;
  config.ip = "10.0.0.2";
  auto started = Node::Start(now, config, sim::Rng(5), &text, fx);
  EXPECT_TRUE(started.ok()) << started.status();
  return started.ok() ? std::move(*started) : nullptr;
}

TEST(NodePersistTest, FirstStartSavesWithFsync) {
  Effects fx;
  auto node = Node::Start(Time(), NodeConfig(), sim::Rng(1), nullptr, &fx);
  ASSERT_TRUE(node.ok());
  ASSERT_TRUE(fx.persist.has_value());
  EXPECT_TRUE(fx.persist->fsync);
  const std::string& text = fx.persist->nodes_conf;
  EXPECT_EQ(text.substr(0, 40), (*node)->name().str());
  // Redis saves before deriveAnnouncedPorts: the very first file has no ports.
  EXPECT_NE(text.find(" :0@0 myself,master - 0 0 0 connected\n"), std::string::npos) << text;
  EXPECT_NE(text.find("vars currentEpoch 0 lastVoteEpoch 0\n"), std::string::npos);
  // An empty file is a first start too.
  const std::string empty;
  Effects fx2;
  auto fresh = Node::Start(Time(), NodeConfig(), sim::Rng(2), &empty, &fx2);
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(fx2.persist.has_value());
}

TEST(NodePersistTest, SaveKinds) {
  TestCluster tc(91);
  tc.AddNode();
  // ADDSLOTS: deferred SAVE without fsync.
  tc.Command(0, {"CLUSTER", "ADDSLOTS", "1"});
  EXPECT_FALSE(tc.persisted_fsync(0));
  EXPECT_NE(tc.persisted(0).find("connected 1\n"), std::string::npos) << tc.persisted(0);
  // SAVECONFIG: synchronous and fsynced.
  tc.Command(0, {"CLUSTER", "SAVECONFIG"});
  EXPECT_TRUE(tc.persisted_fsync(0));
  // SET-CONFIG-EPOCH: SAVE without fsync.
  tc.Command(0, {"CLUSTER", "SET-CONFIG-EPOCH", "3"});
  EXPECT_FALSE(tc.persisted_fsync(0));
  EXPECT_NE(tc.persisted(0).find("vars currentEpoch 3 lastVoteEpoch 0"), std::string::npos);
  // BUMPEPOCH: SAVE + FSYNC.
  tc.Command(0, {"CLUSTER", "BUMPEPOCH"});
  EXPECT_FALSE(tc.persisted_fsync(0));  // 3 is already the max: STILL, no save
  tc.Command(0, {"CLUSTER", "RESET"});
  EXPECT_TRUE(tc.persisted_fsync(0));
}

TEST(NodePersistTest, LoadRules) {
  marks::Reset();
  // Myself (b) is a replica of a; c is a failed master. Stored ping/pong times
  // and the replica's epoch are not trusted.
  const std::string text =
      std::string(kA) + " 10.0.0.1:7000@17000 master - 0 1690000000000 4 connected 0-8191\n" +
      kB + " 10.0.0.2:7000@17000 myself,slave " + kA +
      " 1690000000123 1690000000456 4 connected\n" + kC +
      " 10.0.0.3:7000 master,fail - 1690000000000 1690000000000 9 disconnected "
      "8192-16383\n"
      "vars currentEpoch 5 lastVoteEpoch 3\n";
  Effects fx;
  const Time now = Time() + Duration::Seconds(10);
  auto node = StartFrom(text, now, &fx);
  ASSERT_NE(node, nullptr);
  const ClusterState& cs = node->cluster();
  const int64_t now_ms = node->MsTime(now);
  EXPECT_EQ(cs.myself->name.str(), kB);
  EXPECT_TRUE(cs.myself->is_replica());
  EXPECT_EQ(cs.myself->replica_of->name.str(), kA);
  EXPECT_EQ(cs.myself->config_epoch, Epoch(0));  // replica with a known master
  EXPECT_EQ(cs.myself->ping_sent_ms, now_ms);
  EXPECT_EQ(cs.myself->pong_received_ms, now_ms);
  const ClusterNode* a = cs.Find(NodeName::FromString(kA));
  EXPECT_EQ(a->config_epoch, Epoch(4));
  EXPECT_EQ(a->ping_sent_ms, 0);
  EXPECT_EQ(a->pong_received_ms, now_ms);
  EXPECT_EQ(a->num_slots, 8192);
  EXPECT_TRUE(a->Has(flags::kMigrateTo));  // has a replica
  const ClusterNode* c = cs.Find(NodeName::FromString(kC));
  EXPECT_TRUE(c->failed());
  EXPECT_EQ(c->fail_time_ms, now_ms);
  EXPECT_EQ(c->cport, 17000);  // no @cport: port + 10000
  // currentEpoch = max(5, max configEpoch 9).
  EXPECT_EQ(cs.current_epoch, Epoch(9));
  EXPECT_EQ(cs.last_vote_epoch, Epoch(3));
  EXPECT_EQ(cs.state, ClusterHealth::kFail);
  EXPECT_TRUE(cs.links.empty());
  EXPECT_FALSE(fx.persist.has_value());  // loading does not rewrite the file
  EXPECT_GT(marks::Count("load: replica configEpoch loaded as 0"), 0u);
  EXPECT_GT(marks::Count("load: currentEpoch raised to the max configEpoch"), 0u);
  // The replica starts replicating from its first cron.
  Effects cron;
  node->Cron(now + Duration::Millis(100), &cron);
  EXPECT_TRUE(node->replication().has_master());
  EXPECT_EQ(node->replication().master_host(), "10.0.0.1");
}

TEST(NodePersistTest, CorruptFileIsAnError) {
  Effects fx;
  const std::string bad = std::string(kA) + " 10.0.0.1:7000@17000 myself,wizard - 0 0 0 x\n";
  auto node = Node::Start(Time(), NodeConfig(), sim::Rng(1), &bad, &fx);
  EXPECT_FALSE(node.ok());
  const std::string no_myself = std::string(kA) + " 10.0.0.1:7000@17000 master - 0 0 0 x\n";
  EXPECT_FALSE(Node::Start(Time(), NodeConfig(), sim::Rng(1), &no_myself, &fx).ok());
}

TEST(NodePersistTest, RestartKeepsTheTableAndLosesVolatileState) {
  TestCluster tc(92);
  tc.default_tweak = [](NodeConfig& c) { c.cluster_node_timeout_ms = 2000; };
  ASSERT_TRUE(tc.Create(3, 1));
  const std::string before = tc.persisted(3);
  tc.Crash(3);
  tc.Restart(3);
  const ClusterState& cs = tc.node(3).cluster();
  EXPECT_EQ(cs.nodes.size(), 6u);
  EXPECT_TRUE(cs.myself->is_replica());
  EXPECT_EQ(cs.myself->replica_of->name, tc.node(0).name());
  EXPECT_EQ(cs.current_epoch, Epoch(6));
  EXPECT_EQ(cs.myself->config_epoch, Epoch(0));
  EXPECT_EQ(cs.state, ClusterHealth::kFail);
  for (const auto& n : cs.nodes) EXPECT_TRUE(n->fail_reports.empty());
  EXPECT_TRUE(tc.RunUntil(
      [&] { return tc.Converged() && tc.node(3).replication().link_up(); },
      Duration::Seconds(10)));
}

}  // namespace
}  // namespace slotsim::model
