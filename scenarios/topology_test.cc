#include "scenarios/topology.h"

#include "gtest/gtest.h"

namespace slotsim::scenarios {
namespace {

std::vector<std::string> Names(const Layout& l) { return l.NodeNames(); }

TEST(TopologyTest, DefaultIsThreeMastersWithOneReplicaOnLoopback) {
  const Layout l = ExpandTopology(Scenario());
  EXPECT_EQ(Names(l), (std::vector<std::string>{"m1", "m2", "m3", "r1", "r2", "r3"}));
  EXPECT_EQ(l.clients, (std::vector<std::string>{"c1", "c2"}));
  EXPECT_TRUE(l.formed);
  for (size_t i = 0; i < l.nodes.size(); ++i) {
    EXPECT_EQ(l.nodes[i].host, "127.0.0.1");
    EXPECT_EQ(l.nodes[i].port, 7000 + static_cast<int>(i));
    EXPECT_EQ(l.nodes[i].cport, 17000 + static_cast<int>(i));
  }
  const NodeLayout* r2 = l.Find("r2");
  ASSERT_NE(r2, nullptr);
  EXPECT_EQ(r2->role, RoleIntent::kReplica);
  EXPECT_EQ(r2->master, "m2");
  EXPECT_EQ(r2->shard, 2);
  EXPECT_EQ(l.Find("r4"), nullptr);
}

TEST(TopologyTest, SeveralReplicasGetLettersAndSparesComeLast) {
  Scenario s;
  s.mutable_topology()->set_masters(2);
  s.mutable_topology()->set_replicas_per_master(3);
  s.mutable_topology()->set_spares(2);
  const Layout l = ExpandTopology(s);
  EXPECT_EQ(Names(l), (std::vector<std::string>{"m1", "m2", "r1a", "r1b", "r1c", "r2a",
                                                "r2b", "r2c", "s1", "s2"}));
  EXPECT_EQ(l.Find("r2c")->replica_number, 3);
  EXPECT_EQ(l.Find("r2c")->master, "m2");
  EXPECT_EQ(l.Find("s2")->role, RoleIntent::kSpare);
  EXPECT_EQ(l.Find("s2")->port, 7009);
  EXPECT_EQ(ReplicaName(12, 26, 26), "r12z");
  EXPECT_EQ(ReplicaName(12, 1, 1), "r12");
}

TEST(TopologyTest, HostsKeepReplicasOffTheirMastersHost) {
  Scenario s;
  s.mutable_topology()->set_masters(3);
  s.mutable_topology()->set_replicas_per_master(2);
  s.mutable_topology()->set_spares(1);
  for (const char* h : {"h0", "h1", "h2"}) s.mutable_topology()->add_hosts(h);
  const Layout l = ExpandTopology(s);
  for (const NodeLayout& n : l.nodes) {
    if (n.role == RoleIntent::kReplica) {
      EXPECT_NE(n.host, l.Find(n.master)->host) << n.name;
    }
  }
  // Canonical index mod 3, replicas shifted off taken hosts.
  const std::vector<std::pair<const char*, const char*>> want = {
      {"m1", "h0"},  {"m2", "h1"},  {"m3", "h2"},  {"r1a", "h1"}, {"r1b", "h2"},
      {"r2a", "h2"}, {"r2b", "h0"}, {"r3a", "h1"}, {"r3b", "h0"}, {"s1", "h0"}};
  for (const auto& [name, host] : want) EXPECT_EQ(l.Find(name)->host, host) << name;
}

TEST(TopologyTest, EnoughHostsGiveEveryNodeItsOwn) {
  Scenario s;
  for (int i = 0; i < 6; ++i) s.mutable_topology()->add_hosts("h" + std::to_string(i));
  const Layout l = ExpandTopology(s);
  for (size_t i = 0; i < l.nodes.size(); ++i)
    EXPECT_EQ(l.nodes[i].host, "h" + std::to_string(i));
}

TEST(TopologyTest, NodeEntriesOverrideAddressesAndKnobs) {
  Scenario s;
  s.mutable_knobs()->set_cluster_node_timeout(5000);
  s.mutable_knobs()->set_cluster_port(20000);
  NodeEntry* e = s.mutable_topology()->add_node();
  e->set_name("r1");
  e->set_host("10.1.1.1");
  e->set_port(6379);
  e->mutable_knobs()->set_cluster_replica_no_failover(true);
  NodeEntry* e2 = s.mutable_topology()->add_node();
  e2->set_name("m2");
  e2->set_cport(16000);
  const Layout l = ExpandTopology(s);
  const NodeLayout* r1 = l.Find("r1");
  EXPECT_EQ(r1->host, "10.1.1.1");
  EXPECT_EQ(r1->port, 6379);
  EXPECT_EQ(r1->cport, 20000) << "cluster_port replaces port + 10000";
  EXPECT_TRUE(r1->knobs.cluster_replica_no_failover());
  EXPECT_EQ(r1->knobs.cluster_node_timeout(), 5000) << "scenario knobs stay";
  EXPECT_FALSE(l.Find("r2")->knobs.cluster_replica_no_failover());
  EXPECT_EQ(l.Find("m2")->cport, 16000);
}

TEST(TopologyTest, FormedClusterFollowsRedisCliCreate) {
  const Layout l = ExpandTopology(Scenario());
  EXPECT_EQ(l.Find("m1")->slots, (std::vector<SlotRange>{{0, 5460}}));
  EXPECT_EQ(l.Find("m2")->slots, (std::vector<SlotRange>{{5461, 10922}}));
  EXPECT_EQ(l.Find("m3")->slots, (std::vector<SlotRange>{{10923, 16383}}));
  EXPECT_TRUE(l.Find("r1")->slots.empty());
  // SET-CONFIG-EPOCH k to the k-th node (behaviour doc 18.1 step 8).
  EXPECT_EQ(l.Find("m1")->config_epoch, 1u);
  EXPECT_EQ(l.Find("r3")->config_epoch, 6u);
  EXPECT_EQ(l.current_epoch, 6u);
}

TEST(TopologyTest, BootstrapStartsEmpty) {
  Scenario s;
  s.mutable_topology()->add_bootstrap()->mutable_create();
  const Layout l = ExpandTopology(s);
  EXPECT_FALSE(l.formed);
  EXPECT_TRUE(l.Find("m1")->slots.empty());
  EXPECT_EQ(l.Find("m1")->config_epoch, 0u);
}

TEST(CreateSlotSplitTest, MatchesRedisCliForThreeToSixMasters) {
  // Values from the behaviour doc, section 18.1 step 4.
  EXPECT_EQ(CreateSlotSplit(3),
            (std::vector<SlotRange>{{0, 5460}, {5461, 10922}, {10923, 16383}}));
  EXPECT_EQ(
      CreateSlotSplit(4),
      (std::vector<SlotRange>{{0, 4095}, {4096, 8191}, {8192, 12287}, {12288, 16383}}));
  EXPECT_EQ(CreateSlotSplit(5),
            (std::vector<SlotRange>{
                {0, 3276}, {3277, 6553}, {6554, 9829}, {9830, 13106}, {13107, 16383}}));
  EXPECT_EQ(CreateSlotSplit(6), (std::vector<SlotRange>{{0, 2730},
                                                        {2731, 5460},
                                                        {5461, 8191},
                                                        {8192, 10922},
                                                        {10923, 13652},
                                                        {13653, 16383}}));
}

TEST(CreateSlotSplitTest, CoversEverySlotOnceForAnyCount) {
  for (int m : {1, 2, 7, 100, 999, 1000}) {
    const std::vector<SlotRange> split = CreateSlotSplit(m);
    ASSERT_EQ(static_cast<int>(split.size()), m);
    int next = 0;
    for (const SlotRange& r : split) {
      EXPECT_EQ(r.first, next);
      EXPECT_LE(r.first, r.last);
      next = r.last + 1;
    }
    EXPECT_EQ(next, kSlotCount) << m;
  }
}

}  // namespace
}  // namespace slotsim::scenarios
