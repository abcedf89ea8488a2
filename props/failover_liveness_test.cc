#include "props/failover_liveness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <variant>
#include <vector>

#include "model/bus_message.h"
#include "model/node_io.h"
#include "props/testing/fake_cluster.h"
#include "props/testing/harness.h"
#include "sim/ids.h"

namespace slotsim::props {
namespace {

using sim::Duration;
using testing::FakeCluster;
using testing::Harness;

TEST(FailoverLiveness, BoundFromTheRedisTimers) {
  // 1.5 NT + 1 s + (1 s) + 4 NT + (1 s) + 1 s with one replica.
  EXPECT_EQ(FailoverBound(15000, 1), Duration::Millis(86500));
  EXPECT_EQ(FailoverBound(1000, 1), Duration::Millis(9500));
  // Each more replica can push the start one rank (1 s) later, twice.
  EXPECT_EQ(FailoverBound(1000, 3), Duration::Millis(13500));
  // auth_timeout is at least 2 s.
  EXPECT_EQ(FailoverBound(500, 1),
            Duration::Millis(750 + 1000 + 1000 + 4000 + 1000 + 1000));
}

TEST(FailoverLiveness, ReplicasThatCannotWinAreNotFresh) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  const Duration bound = FailoverBound(15000, 1);
  EXPECT_FALSE(FreshReplica(c.node("r1"), bound));  // no replication stream known
  EXPECT_FALSE(FreshReplica(c.node("m1"), bound));  // a master
  c.node("r1").paused = true;
  EXPECT_FALSE(FreshReplica(c.node("r1"), bound));
  c.Down("r2");
  EXPECT_FALSE(FreshReplica(c.node("r2"), bound));
}

TEST(FailoverLivenessWorld, CrashedMasterIsReplacedInTime) {
  Harness h(Harness::Options(3, 1, 1000, /*seed=*/61));
  FailoverLivenessChecker checker;
  h.Add(&checker);
  ASSERT_TRUE(h.FormCluster(3, 1));
  ASSERT_TRUE(h.world().Crash("m1"));
  h.RunFor(Duration::Seconds(12));
  ASSERT_TRUE(h.Heal());
  h.Finish();
  EXPECT_TRUE(checker.ok()) << checker.violations()[0].message;
  EXPECT_EQ(checker.required(), 1);
  EXPECT_EQ(checker.met(), 1);
  EXPECT_LT(checker.slowest(), FailoverBound(1000, 1));
}

TEST(FailoverLivenessWorld, NoRequirementWithoutAFreshReplicaOrUnderPartition) {
  scenarios::WorldOptions o = Harness::Options(3, 1, 1000, /*seed=*/67);
  for (scenarios::NodeSpec& s : o.nodes) {
    if (s.name == "r1") s.config.cluster_replica_no_failover = true;
  }
  Harness h(std::move(o));
  FailoverLivenessChecker checker;
  h.Add(&checker);
  ASSERT_TRUE(h.FormCluster(3, 1));
  ASSERT_TRUE(h.world().Crash("m1"));  // r1 may not fail over
  h.world().Partition({{"m2"}, {"m3", "r3"}}, sim::FaultMode::kDrop);
  ASSERT_TRUE(h.world().Crash("m3"));  // network faulty: no requirement
  h.RunFor(Duration::Seconds(12));
  ASSERT_TRUE(h.Heal());
  h.Finish();
  EXPECT_TRUE(checker.ok()) << checker.violations()[0].message;
  EXPECT_EQ(checker.required(), 0);
}

// r1's vote requests never reach the masters (a filter the checker cannot
// see): the failover Redis should have done does not happen.
TEST(FailoverLivenessWorld, MissingFailoverIsReported) {
  Harness h(Harness::Options(3, 1, 1000, /*seed=*/71));
  FailoverLivenessChecker checker;
  h.Add(&checker);
  ASSERT_TRUE(h.FormCluster(3, 1));
  const std::vector<sim::EndpointId> r1 = h.world().EndpointsOf("r1");
  const auto filter = h.world().network().AddFilter(
      [&](sim::EndpointId from, sim::EndpointId, const model::Wire& w) {
        const auto* bus = std::get_if<model::BusMessagePtr>(&w);
        return std::find(r1.begin(), r1.end(), from) != r1.end() && bus != nullptr &&
               (*bus)->type == model::MsgType::kAuthRequest;
      });
  ASSERT_TRUE(h.world().Crash("m1"));
  h.RunFor(Duration::Seconds(12));
  EXPECT_FALSE(h.world().node("r1")->is_master());
  ASSERT_EQ(checker.violations().size(), 1u);
  EXPECT_NE(checker.violations()[0].message.find("m1 went down"), std::string::npos)
      << checker.violations()[0].message;
  h.world().network().RemoveFilter(filter);
}

}  // namespace
}  // namespace slotsim::props
