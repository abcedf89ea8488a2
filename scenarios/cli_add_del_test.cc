// ClusterManager `add-node` (as master, as replica) and `del-node`.

#include <gtest/gtest.h>

#include "scenarios/cluster_manager_testing.h"

namespace slotsim::scenarios {
namespace {

using cli_testing::CountSent;
using cli_testing::Dump;
using cli_testing::HasLine;
using cli_testing::Rig;
using sim::Duration;

TEST(ClusterManagerAddNode, AsMaster) {
  Rig rig(3, 0, 1, /*formed=*/true);
  ClusterManager* m = rig.Run(CliAddNode{rig.Addr("s1"), rig.Addr("m1"), false, ""});
  ASSERT_TRUE(m->result().ok) << Dump(m);
  EXPECT_TRUE(HasLine(m, ">>> Adding node 127.0.0.1:7003 to cluster 127.0.0.1:7000"));
  EXPECT_TRUE(HasLine(
      m, ">>> Send CLUSTER MEET to node 127.0.0.1:7003 to make it join the cluster."));
  EXPECT_TRUE(HasLine(m, "[OK] New node added correctly."));
  EXPECT_EQ(CountSent(m, "127.0.0.1:7003 CLUSTER MEET 127.0.0.1 7000"), 1);
  ASSERT_TRUE(
      WaitForConvergence(rig.w(), {"m1", "m2", "m3", "s1"}, Duration::Seconds(30)));
  EXPECT_TRUE(rig.w().node("s1")->is_master());
  for (const char* n : {"m1", "m2", "m3"}) {
    EXPECT_NE(rig.w().node(n)->cluster().Find(rig.w().node("s1")->name()), nullptr) << n;
  }
}

TEST(ClusterManagerAddNode, AsReplicaOfTheMasterWithFewestReplicas) {
  Rig rig(3, 0, 1, /*formed=*/true);
  ClusterManager* m = rig.Run(CliAddNode{rig.Addr("s1"), rig.Addr("m2"), true, ""});
  ASSERT_TRUE(m->result().ok) << Dump(m);
  // All masters have 0 replicas: the first in the node list (the entry node).
  EXPECT_TRUE(HasLine(m, "Automatically selected master 127.0.0.1:7001")) << Dump(m);
  EXPECT_TRUE(HasLine(m, ">>> Configure node as replica of 127.0.0.1:7001."));
  EXPECT_TRUE(HasLine(m, "Waiting for the cluster to join"));
  rig.w().RunFor(Duration::Seconds(2));
  EXPECT_EQ(rig.MasterOf("s1"), "m2");
}

TEST(ClusterManagerAddNode, AsReplicaOfAGivenMaster) {
  Rig rig(3, 0, 1, /*formed=*/true);
  ClusterManager* m =
      rig.Run(CliAddNode{rig.Addr("s1"), rig.Addr("m1"), true, rig.Id("m3")});
  ASSERT_TRUE(m->result().ok) << Dump(m);
  rig.w().RunFor(Duration::Seconds(2));
  EXPECT_EQ(rig.MasterOf("s1"), "m3");
  ClusterManager* bad =
      rig.Run(CliAddNode{rig.Addr("s1"), rig.Addr("m1"), true, std::string(40, 'f')});
  EXPECT_FALSE(bad->result().ok);
  EXPECT_EQ(bad->result().error, "[ERR] No such master ID " + std::string(40, 'f'));
}

TEST(ClusterManagerAddNode, RefusesANodeThatIsNotEmpty) {
  Rig rig(3, 0, 1, /*formed=*/true);
  // m3 is already a member: it knows the others.
  ClusterManager* m = rig.Run(CliAddNode{rig.Addr("m3"), rig.Addr("m1"), false, ""});
  EXPECT_FALSE(m->result().ok);
  EXPECT_EQ(
      m->result().error,
      "[ERR] Node 127.0.0.1:7002 is not empty. Either the node already knows other nodes "
      "(check with CLUSTER NODES) or contains some key in database 0.");
}

TEST(ClusterManagerDelNode, RemovesAnEmptyMaster) {
  Rig rig(3, 0, 1, /*formed=*/true);
  ClusterManager* add = rig.Run(CliAddNode{rig.Addr("s1"), rig.Addr("m1"), false, ""});
  ASSERT_TRUE(add->result().ok) << Dump(add);
  ASSERT_TRUE(
      WaitForConvergence(rig.w(), {"m1", "m2", "m3", "s1"}, Duration::Seconds(30)));
  const std::string id = rig.Id("s1");
  ClusterManager* m = rig.Run(CliDelNode{rig.Addr("m1"), id});
  ASSERT_TRUE(m->result().ok) << Dump(m);
  EXPECT_TRUE(HasLine(m, ">>> Removing node " + id + " from cluster 127.0.0.1:7000"));
  EXPECT_TRUE(HasLine(m, ">>> Sending CLUSTER FORGET messages to the cluster..."));
  EXPECT_TRUE(HasLine(m, ">>> Sending CLUSTER RESET SOFT to the deleted node."));
  EXPECT_EQ(CountSent(m, "CLUSTER FORGET " + id), 3);
  rig.w().RunFor(Duration::Seconds(5));
  for (const char* n : {"m1", "m2", "m3"}) {
    EXPECT_EQ(rig.w().node(n)->cluster().Find(rig.w().node("s1")->name()), nullptr) << n;
  }
  EXPECT_EQ(rig.w().node("s1")->cluster().nodes.size(), 1u);
}

TEST(ClusterManagerDelNode, RefusesAMasterWithSlots) {
  Rig rig(3, 0, 0, /*formed=*/true);
  ClusterManager* m = rig.Run(CliDelNode{rig.Addr("m1"), rig.Id("m2")});
  EXPECT_FALSE(m->result().ok);
  EXPECT_EQ(m->result().error,
            "[ERR] Node 127.0.0.1:7001 is not empty! Reshard data away and try again.");
  ClusterManager* unknown = rig.Run(CliDelNode{rig.Addr("m1"), std::string(40, 'e')});
  EXPECT_EQ(unknown->result().error, "[ERR] No such node ID " + std::string(40, 'e'));
}

TEST(ClusterManagerDelNode, RemovesAReplica) {
  Rig rig(3, 1, 0, /*formed=*/true);
  ClusterManager* m = rig.Run(CliDelNode{rig.Addr("m1"), rig.Id("r2")});
  ASSERT_TRUE(m->result().ok) << Dump(m);
  rig.w().RunFor(Duration::Seconds(3));
  EXPECT_EQ(rig.w().node("m2")->cluster().Find(rig.w().node("r2")->name()), nullptr);
  EXPECT_TRUE(rig.w().node("r2")->is_master());  // RESET SOFT
}

}  // namespace
}  // namespace slotsim::scenarios
