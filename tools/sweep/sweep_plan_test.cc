#include "tools/sweep/sweep_plan.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scenarios/sweep_loader.h"

namespace slotsim::tools::sweep {
namespace {

constexpr char kBase[] =
    "name: 'tiny'\n"
    "topology { masters: 3 replicas_per_master: 1 }\n"
    "duration_ms: 5000\n"
    "faults { at_ms: 1000 crash { node: 'm1' } }\n";

SweepPlan MakePlan(const std::string& sweep_text, const PlanOptions& options = {},
                   const std::string& base = kBase) {
  absl::StatusOr<scenarios::LoadedSweep> s = scenarios::LoadSweepText(sweep_text, "s.textproto");
  EXPECT_TRUE(s.ok()) << s.status();
  absl::StatusOr<SweepPlan> plan = SweepPlan::Build(*s, base, options);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return *std::move(plan);
}

TEST(SweepPlanTest, CrossVariesTheLastAxisFastestAndNumbersRunsPointMajor) {
  const SweepPlan plan = MakePlan(
      "name: 'nt'\nbase: 'b.textproto'\n"
      "axis { path: 'knobs.cluster_node_timeout' label: 'nt' values: ['1000', '2000'] }\n"
      "axis { path: 'network.delay.mean_us' range { from: 100 to: 700 step: 300 } }\n"
      "seeds_per_point: 3 first_seed: 10\n");
  EXPECT_EQ(plan.name(), "nt");
  ASSERT_EQ(plan.axes().size(), 2u);
  EXPECT_EQ(plan.axes()[0].label, "nt");
  EXPECT_EQ(plan.axes()[1].label, "network.delay.mean_us") << "no label: the path";
  EXPECT_EQ(plan.axes()[1].values, (std::vector<std::string>{"100", "400", "700"}));
  ASSERT_EQ(plan.points().size(), 6u);
  EXPECT_EQ(plan.points()[0].values, (std::vector<std::string>{"1000", "100"}));
  EXPECT_EQ(plan.points()[1].values, (std::vector<std::string>{"1000", "400"}));
  EXPECT_EQ(plan.points()[5].values, (std::vector<std::string>{"2000", "700"}));
  EXPECT_EQ(plan.points()[4].scenario.knobs().cluster_node_timeout(), 2000);
  EXPECT_EQ(plan.points()[4].scenario.network().delay().mean_us(), 400);
  EXPECT_EQ(plan.run_count(), 18);
  const PlannedRun r = plan.run(7);
  EXPECT_EQ(r.point, 2);
  EXPECT_EQ(r.seed, 11u);
}

TEST(SweepPlanTest, ZipPairsValuesAndSeedsCanBeOverridden) {
  PlanOptions o;
  o.seeds_per_point = 2;
  const SweepPlan plan = MakePlan(
      "base: 'b.textproto'\ncombine: ZIP\n"
      "axis { path: 'knobs.cluster_node_timeout' values: ['1000', '3000'] }\n"
      "axis { path: 'duration_ms' values: ['4000', '9000'] }\n"
      "seeds_per_point: 50\n",
      o);
  ASSERT_EQ(plan.points().size(), 2u);
  EXPECT_EQ(plan.points()[1].values, (std::vector<std::string>{"3000", "9000"}));
  EXPECT_EQ(plan.points()[1].scenario.duration_ms(), 9000);
  EXPECT_EQ(plan.seeds_per_point(), 2);
  EXPECT_EQ(plan.run_count(), 4);
  EXPECT_EQ(plan.run(3).seed, 2u);
}

TEST(SweepPlanTest, NoAxesIsOnePoint) {
  const SweepPlan plan = MakePlan("base: 'b.textproto'\nseeds_per_point: 4\n");
  EXPECT_EQ(plan.points().size(), 1u);
  EXPECT_TRUE(plan.points()[0].values.empty());
  EXPECT_EQ(plan.run_count(), 4);
}

TEST(SweepPlanTest, AnInvalidPointIsReportedWithItsAxisValues) {
  absl::StatusOr<scenarios::LoadedSweep> s = scenarios::LoadSweepText(
      "base: 'b.textproto'\n"
      "axis { path: 'faults[0].at_ms' label: 'at' values: ['1000', '999999'] }\n",
      "s.textproto");
  ASSERT_TRUE(s.ok()) << s.status();
  absl::StatusOr<SweepPlan> plan = SweepPlan::Build(*s, kBase);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("point 1 (at=999999)"), std::string::npos)
      << plan.status().message();
}

TEST(SweepPlanTest, FingerprintFollowsEverythingARunDependsOn) {
  const std::string text =
      "base: 'b.textproto'\naxis { path: 'knobs.cluster_node_timeout' values: ['1000'] }\n";
  const uint64_t f = MakePlan(text).fingerprint();
  EXPECT_EQ(MakePlan(text).fingerprint(), f);
  PlanOptions more_seeds;
  more_seeds.seeds_per_point = 11;
  EXPECT_NE(MakePlan(text, more_seeds).fingerprint(), f);
  EXPECT_NE(MakePlan(text, {}, std::string(kBase) + "seed: 3\n").fingerprint(), f);
  EXPECT_NE(MakePlan(text + "first_seed: 5\n").fingerprint(), f);
}

}  // namespace
}  // namespace slotsim::tools::sweep
