// Generators of whole runs: every generated scenario (and every shrink of
// one) is valid, draws are deterministic per seed, the profiles reach what
// they promise, and PlanToScenario keeps its invariant for arbitrary plans.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <set>
#include <string>

#include "props/profiles.h"
#include "props/run_plan.h"
#include "props/run_plan_gen.h"
#include "scenarios/loader.h"
#include "scenarios/topology.h"
#include "scenarios/validate.h"

namespace slotsim::props {
namespace {

std::string Text(const scenarios::Scenario& s) { return scenarios::ScenarioToText(s); }

TEST(RunPlanGen, EveryProfileGeneratesValidScenarios) {
  for (const Profile& p : AllProfiles()) {
    for (uint64_t seed = 1; seed <= 300; ++seed) {
      const scenarios::Scenario s = PlanToScenario(DrawPlan(p, seed).value(), "t");
      const absl::Status st = scenarios::ValidateScenario(s);
      ASSERT_TRUE(st.ok()) << p.name << " seed " << seed << ": " << st.message() << "\n"
                           << Text(s);
    }
  }
}

TEST(RunPlanGen, ShrinksAreValidScenarios) {
  for (const Profile& p : AllProfiles()) {
    for (uint64_t seed = 1; seed <= 10; ++seed) {
      rc::Seq<rc::Shrinkable<RunPlan>> shrinks = DrawPlan(p, seed).shrinks();
      int n = 0;
      while (auto next = shrinks.next()) {
        const scenarios::Scenario s = PlanToScenario(next->value(), "t");
        const absl::Status st = scenarios::ValidateScenario(s);
        ASSERT_TRUE(st.ok()) << p.name << " seed " << seed << " shrink " << n << ": "
                             << st.message() << "\n" << Text(s);
        if (++n == 60) break;
      }
      EXPECT_GT(n, 0) << p.name << " seed " << seed << " has no shrinks";
    }
  }
}

TEST(RunPlanGen, SameSeedSamePlanAndShrinks) {
  const Profile& p = *FindProfile("default");
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const rc::Shrinkable<RunPlan> a = DrawPlan(p, seed);
    const rc::Shrinkable<RunPlan> b = DrawPlan(p, seed);
    EXPECT_EQ(Text(PlanToScenario(a.value(), "t")), Text(PlanToScenario(b.value(), "t")));
    auto sa = a.shrinks();
    auto sb = b.shrinks();
    for (int i = 0; i < 10; ++i) {
      auto x = sa.next();
      auto y = sb.next();
      ASSERT_EQ(static_cast<bool>(x), static_cast<bool>(y));
      if (!x) break;
      EXPECT_EQ(Text(PlanToScenario(x->value(), "t")), Text(PlanToScenario(y->value(), "t")));
    }
  }
  std::set<std::string> distinct;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    distinct.insert(Text(PlanToScenario(DrawPlan(p, seed).value(), "t")));
  }
  EXPECT_EQ(distinct.size(), 20u);
}

// Each profile produces the action kinds it weighs (over 200 seeds), and
// nothing it does not.
TEST(RunPlanGen, ProfilesProduceTheirStepKinds) {
  const std::map<std::string, std::string> action_of_step = {
      {"partition", "partition"}, {"block", "block"},         {"clog", "clog"},
      {"delay", "delay"},         {"heal", "heal"},           {"crash", "crash"},
      {"pause", "pause"},         {"clock_jump", "clock_jump"}, {"failover", "failover"},
      {"reshard", "reshard"},     {"add_node", "add_node"}};
  for (const Profile& p : AllProfiles()) {
    std::set<std::string> seen;
    for (uint64_t seed = 1; seed <= 200; ++seed) {
      const scenarios::Scenario s = PlanToScenario(DrawPlan(p, seed).value(), "t");
      for (const scenarios::Action& a : s.faults()) {
        seen.insert(scenarios::Action::descriptor()->FindFieldByNumber(a.kind_case())->name());
      }
    }
    for (int k = 0; k < kStepKinds; ++k) {
      const std::string kind = StepKindName(static_cast<StepKind>(k));
      const std::string action = action_of_step.at(kind);
      if (p.weights[k] > 0) {
        EXPECT_TRUE(seen.count(action)) << p.name << " never produced " << action;
      } else if (kind != "heal") {  // explicit undo writes heal actions too
        EXPECT_FALSE(seen.count(action)) << p.name << " produced " << action;
      }
    }
  }
}

TEST(RunPlanGen, SwarmDrawsKnobsWithinBounds) {
  const Profile& p = *FindProfile("swarm");
  int set = 0;
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    const RunPlan plan = DrawPlan(p, seed).value();
    ASSERT_EQ(plan.setup.knobs.size(), static_cast<size_t>(kSwarmKnobs));
    for (int k = 0; k < kSwarmKnobs; ++k) {
      const int64_t v = plan.setup.knobs[static_cast<size_t>(k)];
      if (v == kUnset) continue;
      ++set;
      const SwarmKnobInfo& info = SwarmKnobBounds(static_cast<SwarmKnob>(k));
      EXPECT_GE(v, info.lo) << info.name;
      EXPECT_LE(v, info.hi) << info.name;
    }
    EXPECT_GE(plan.setup.node_timeout_ms, p.min_node_timeout_ms);
    EXPECT_LE(plan.setup.node_timeout_ms, p.max_node_timeout_ms);
  }
  // About half of 100 x 11 knobs are set.
  EXPECT_GT(set, 300);
  EXPECT_LT(set, 800);
  // Non-swarm profiles keep Redis's defaults.
  EXPECT_TRUE(DrawPlan(*FindProfile("default"), 1).value().setup.knobs.empty());
}

// Shrinking a plan's steps removes whole steps first.
TEST(RunPlanGen, FirstShrinksRemoveSteps) {
  const Profile& p = *FindProfile("default");
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const rc::Shrinkable<RunPlan> plan = DrawPlan(p, seed);
    const size_t n = plan.value().steps.size();
    if (n < 2) continue;
    auto first = plan.shrinks().next();
    ASSERT_TRUE(first);
    EXPECT_LT(first->value().steps.size(), n) << "seed " << seed;
  }
}

// The invariant of run_plan.h, for plans with arbitrary field values.
RC_GTEST_PROP(RunPlan, AnyPlanGivesAValidScenario, ()) {
  RunPlan plan;
  plan.setup.masters = *rc::gen::inRange(1, 8);
  plan.setup.replicas = *rc::gen::inRange(0, 4);
  plan.setup.spares = *rc::gen::inRange(0, 3);
  plan.setup.node_timeout_ms = *rc::gen::arbitrary<int64_t>();
  plan.setup.duration_ms = *rc::gen::inRange<int64_t>(-10, 100000);
  plan.setup.clients = *rc::gen::inRange(0, 3);
  plan.setup.wait = *rc::gen::arbitrary<bool>();
  plan.setup.partition_mode = *rc::gen::inRange(0, 2);
  plan.setup.knobs = *rc::gen::container<std::vector<int64_t>>(
      kSwarmKnobs, rc::gen::arbitrary<int64_t>());
  const int n = *rc::gen::inRange(0, 25);
  for (int i = 0; i < n; ++i) {
    PlanStep st;
    st.kind = static_cast<StepKind>(*rc::gen::inRange(0, kStepKinds));
    st.at_permille = *rc::gen::inRange(-5, 1005);
    st.duration_ms = *rc::gen::arbitrary<int64_t>();
    st.a = *rc::gen::arbitrary<uint32_t>();
    st.b = *rc::gen::arbitrary<uint32_t>();
    st.value = *rc::gen::arbitrary<int64_t>();
    st.mode = *rc::gen::inRange(0, 3);
    st.flag = *rc::gen::arbitrary<bool>();
    st.explicit_undo = *rc::gen::arbitrary<bool>();
    plan.steps.push_back(st);
  }
  const scenarios::Scenario s = PlanToScenario(plan, "any");
  const absl::Status st = scenarios::ValidateScenario(s);
  if (!st.ok()) RC_FAIL(std::string(st.message()) + "\n" + Text(s));
}

}  // namespace
}  // namespace slotsim::props
