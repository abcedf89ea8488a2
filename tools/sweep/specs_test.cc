// The sweep files shipped in scenarios/sweeps/ load, expand and validate.

#include <string>

#include "gtest/gtest.h"
#include "props/registry.h"
#include "tools/sweep/sweep_plan.h"

namespace slotsim::tools::sweep {
namespace {

absl::StatusOr<SweepPlan> Load(const std::string& name) {
  PlanOptions o;
  o.known_properties = props::AllPropertyNames();
  return SweepPlan::Load("scenarios/sweeps/" + name, o);
}

TEST(SpecsTest, NodeTimeoutSweepsFiveHundredToFifteenThousand) {
  absl::StatusOr<SweepPlan> p = Load("node_timeout.textproto");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->axes().size(), 1u);
  EXPECT_EQ(p->axes()[0].values.front(), "500");
  EXPECT_EQ(p->axes()[0].values.back(), "15000");
  EXPECT_EQ(p->points().back().scenario.knobs().cluster_node_timeout(), 15000);
  EXPECT_EQ(p->points().back().scenario.faults(0).crash().node(), "m1");
  EXPECT_GT(p->points().back().scenario.workload().clients(), 0);
}

TEST(SpecsTest, FalseFailoverSweepCrossesLossAndDelay) {
  absl::StatusOr<SweepPlan> p = Load("false_failover.textproto");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->axes().size(), 2u);
  EXPECT_EQ(p->points().size(), p->axes()[0].values.size() * p->axes()[1].values.size());
  EXPECT_EQ(p->points()[0].scenario.faults_size(), 0) << "nothing ever fails";
}

}  // namespace
}  // namespace slotsim::tools::sweep
