#include "props/convergence.h"

#include <gtest/gtest.h>

#include "props/agreement.h"
#include "props/testing/fake_cluster.h"
#include "props/testing/harness.h"

namespace slotsim::props {
namespace {

using sim::Duration;
using testing::FakeCluster;
using testing::Harness;

TEST(Agreement, FormedClusterAgreesAndConverged) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  const AgreementReport r = CheckAgreement(c.view());
  EXPECT_TRUE(r.agreed);
  EXPECT_EQ(r.members.size(), 6u);
  std::string why;
  EXPECT_TRUE(Converged(c.view(), &why)) << why;
}

TEST(Agreement, DifferentSlotOwnerIsReported) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  c.Bind("r3", 100, 100, "m2");
  const AgreementReport r = CheckAgreement(c.view());
  EXPECT_FALSE(r.agreed);
  EXPECT_NE(r.difference.find("slot 100"), std::string::npos) << r.difference;
  EXPECT_NE(r.difference.find("says m2"), std::string::npos) << r.difference;
}

TEST(Agreement, DifferentRoleOrEpochIsReported) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  c.SetRole("m3", "r1", "m2");
  AgreementReport r = CheckAgreement(c.view());
  EXPECT_FALSE(r.agreed);
  EXPECT_NE(r.difference.find("r1:"), std::string::npos) << r.difference;

  FakeCluster d = FakeCluster::Standard(3, 1);
  d.peer("r2", "m1").config_epoch = model::Epoch(9);
  r = CheckAgreement(d.view());
  EXPECT_FALSE(r.agreed);
  EXPECT_NE(r.difference.find("configEpoch 9"), std::string::npos) << r.difference;
}

TEST(Agreement, NonMembersAreIgnoredButStateMustBeOk) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  c.Down("r2");
  EXPECT_TRUE(CheckAgreement(c.view()).agreed);
  c.state("m1").state = model::ClusterHealth::kFail;
  std::string why;
  EXPECT_FALSE(Converged(c.view(), &why));
  EXPECT_NE(why.find("m1 has cluster_state fail"), std::string::npos) << why;
}

TEST(Agreement, DigestsFollowContent) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  const std::vector<model::NodeName> ids = MemberIds(c.view(), Members(c.view()));
  EXPECT_EQ(SlotTableDigest(c.state("m1")), SlotTableDigest(c.state("r3")));
  EXPECT_EQ(RolesDigest(c.state("m1"), ids), RolesDigest(c.state("r3"), ids));
  c.Bind("r3", 100, 100, "m2");
  c.SetRole("m2", "r1", "m3");
  EXPECT_NE(SlotTableDigest(c.state("m1")), SlotTableDigest(c.state("r3")));
  EXPECT_NE(RolesDigest(c.state("m1"), ids), RolesDigest(c.state("m2"), ids));
}

// ---------------------------------------------------------------- on a world

TEST(ConvergenceWorld, ConvergesAfterFailoverAndRestart) {
  Harness h(Harness::Options(3, 1, 1000, /*seed=*/11));
  ConvergenceChecker convergence;
  h.Add(&convergence);
  ASSERT_TRUE(h.FormCluster(3, 1));
  ASSERT_TRUE(h.world().Crash("m2"));
  h.RunFor(Duration::Seconds(6));
  ASSERT_TRUE(h.Heal());  // restarts m2, which must follow r2
  h.Finish();
  EXPECT_TRUE(convergence.ok()) << convergence.violations()[0].message;
  EXPECT_TRUE(convergence.converged());
  EXPECT_GT(convergence.time_to_converge(), Duration::Zero());
  EXPECT_LT(convergence.time_to_converge(), Duration::Seconds(10));
  EXPECT_FALSE(h.world().node("m2")->is_master());
}

TEST(ConvergenceWorld, MissedBoundIsReported) {
  Harness h(Harness::Options(3, 1, 1000, /*seed=*/13));
  ConvergenceChecker convergence;
  h.Add(&convergence);
  ASSERT_TRUE(h.FormCluster(3, 1));
  // m1 crashes and is restarted at once by the heal: it stays FAIL for its
  // 2 s writable delay, longer than this bound.
  ASSERT_TRUE(h.world().Crash("m1"));
  h.RunFor(Duration::Millis(100));
  h.record().converge_bound = Duration::Millis(300);
  h.world().Restart("m1");
  h.record().heal_start = h.world().now();
  h.EnterPhase(scenarios::RunPhase::kHeal);
  h.RunFor(Duration::Seconds(1));
  ASSERT_FALSE(convergence.ok());
  EXPECT_NE(convergence.violations()[0].message.find("no convergence within"),
            std::string::npos);
}

}  // namespace
}  // namespace slotsim::props
