// Handshake, discovery and gossip of a few nodes (clusterStartHandshake,
// clusterProcessGossipSection, clusterSendPing).

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

TEST(NodeHandshakeTest, ThreeNodesMeetAndConverge) {
  TestCluster tc(7);
  for (int i = 0; i < 3; ++i) tc.AddNode();
  EXPECT_EQ(tc.Command(1, {"CLUSTER", "MEET", TestCluster::Ip(0), "7000"}).str(), "OK");
  EXPECT_EQ(tc.Command(2, {"CLUSTER", "MEET", TestCluster::Ip(0), "7000"}).str(), "OK");
  // The MEET creates a handshake node with a random name on the meeting node.
  EXPECT_EQ(tc.node(1).cluster().nodes.size(), 2u);
  auto full = [&] {
    for (int i = 0; i < 3; ++i) {
      const ClusterState& cs = tc.node(i).cluster();
      if (cs.nodes.size() != 3) return false;
      for (const auto& n : cs.nodes) {
        if (n->in_handshake()) return false;
        if (!n->is_myself() && !n->link.valid()) return false;
      }
    }
    return true;
  };
  ASSERT_TRUE(tc.RunUntil(full, Duration::Seconds(10)));
  for (int i = 0; i < 3; ++i) {
    const ClusterState& cs = tc.node(i).cluster();
    for (int j = 0; j < 3; ++j) {
      const ClusterNode* n = cs.Find(tc.node(j).name());
      ASSERT_NE(n, nullptr);
      EXPECT_EQ(n->ip, TestCluster::Ip(j));
      EXPECT_EQ(n->port, 7000);
      EXPECT_EQ(n->cport, 17000);
      EXPECT_TRUE(n->is_master());
    }
    // Every node learned its own address from a MEET or a PING.
    EXPECT_EQ(cs.myself->ip, TestCluster::Ip(i));
  }
}

TEST(NodeHandshakeTest, CreateSixNodeCluster) {
  TestCluster tc(11);
  ASSERT_TRUE(tc.Create(3, 1));
  for (int i = 0; i < 6; ++i) {
    const ClusterState& cs = tc.node(i).cluster();
    EXPECT_EQ(cs.state, ClusterHealth::kOk) << i;
    EXPECT_EQ(cs.size, 3);
    EXPECT_EQ(cs.current_epoch, Epoch(6));
  }
  EXPECT_TRUE(tc.node(3).cluster().myself->is_replica());
  EXPECT_EQ(tc.node(3).cluster().myself->replica_of->name, tc.node(0).name());
}

}  // namespace
}  // namespace slotsim::model
