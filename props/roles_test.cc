#include "props/roles.h"

#include <gtest/gtest.h>

#include "props/testing/fake_cluster.h"
#include "props/testing/harness.h"

namespace slotsim::props {
namespace {

using sim::Duration;
using testing::FakeCluster;
using testing::Harness;

TEST(Roles, FormedClusterHasNoProblem) {
  FakeCluster c = FakeCluster::Standard(3, 2);
  EXPECT_EQ(RoleProblem(c.view(), c.state("r2b")), "");
}

TEST(Roles, ReplicaOfAReplicaIsFound) {
  FakeCluster c = FakeCluster::Standard(3, 2);
  c.SetRole("m1", "r2b", "r2a");
  EXPECT_EQ(RoleProblem(c.view(), c.state("m1")),
            "r2b replicates r2a, which is not a master");
}

TEST(Roles, CycleIsFound) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  c.SetRole("m2", "m3", "r3");  // r3 replicates m3, m3 replicates r3
  EXPECT_NE(RoleProblem(c.view(), c.state("m2")).find("replica-of cycle"),
            std::string::npos);
  c.SetRole("m2", "m3", "m3");
  EXPECT_EQ(RoleProblem(c.view(), c.state("m2")), "m3 replicates itself");
}

TEST(RolesWorld, FailoverAndReplicaMigrationLeaveNoChains) {
  Harness h(Harness::Options(3, 2, 1000, /*seed=*/37));
  RolesChecker checker;
  h.Add(&checker);
  ASSERT_TRUE(h.FormCluster(3, 2));
  ASSERT_TRUE(h.world().Crash("m1"));
  h.RunFor(Duration::Seconds(5));
  ASSERT_TRUE(h.world().Crash("r2a"));
  ASSERT_TRUE(h.world().Crash("r2b"));
  h.RunFor(Duration::Seconds(10));  // m2 orphaned: a replica may migrate to it
  ASSERT_TRUE(h.Heal());
  h.Finish();
  EXPECT_TRUE(checker.ok()) << checker.violations()[0].message;
}

}  // namespace
}  // namespace slotsim::props
