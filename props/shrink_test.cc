// Shrinking: the greedy walk finds a locally minimal failing value within its
// budget, and exploring a seed with a planted checker (it fails when m2
// crashes) shrinks a whole random run to a minimal schedule (one crash of m2,
// smallest topology, no workload) whose seed file replays to the same
// violation and trace hash.

#include "props/shrink.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "props/explore.h"
#include "props/profiles.h"
#include "scenarios/loader.h"
#include "scenarios/runner.h"
#include "scenarios/world.h"

namespace slotsim::props {
namespace {

rc::Shrinkable<std::vector<int>> SomeVector(uint64_t seed) {
  return rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 100))(rc::Random(seed),
                                                                         rc::kNominalSize);
}

bool HasBig(const std::vector<int>& v) {
  return std::any_of(v.begin(), v.end(), [](int x) { return x >= 50; });
}

TEST(ShrinkGreedily, FindsTheMinimalFailingValue) {
  int checked = 0;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    const rc::Shrinkable<std::vector<int>> start = SomeVector(seed);
    if (!HasBig(start.value())) continue;
    ++checked;
    const ShrinkResult<std::vector<int>> r =
        ShrinkGreedily(start, 10000, [](const std::vector<int>& v) {
          return HasBig(v) ? Verdict::kFails : Verdict::kPasses;
        });
    EXPECT_TRUE(r.minimal);
    EXPECT_EQ(r.value.value(), std::vector<int>{50}) << "seed " << seed;
    EXPECT_GT(r.steps, 0);
  }
  EXPECT_GT(checked, 10);
}

TEST(ShrinkGreedily, StopsAtTheBudgetAndSkipsAreFree) {
  rc::Shrinkable<std::vector<int>> start = SomeVector(1);
  uint64_t seed = 1;
  while (!HasBig(start.value()) || start.value().size() < 5) start = SomeVector(++seed);
  int calls = 0;
  const ShrinkResult<std::vector<int>> r =
      ShrinkGreedily(start, 3, [&calls](const std::vector<int>& v) {
        ++calls;
        if (calls % 2 == 0) return Verdict::kSkipped;
        return Verdict::kPasses;
      });
  EXPECT_EQ(r.trials, 3);
  EXPECT_EQ(r.steps, 0);
  EXPECT_FALSE(r.minimal);
  EXPECT_EQ(calls, 5);  // three runs and the two skips between them
  EXPECT_EQ(r.value.value(), start.value());
}

// Fails when m2 crashes (either kind of crash).
class PlantedChecker : public scenarios::Checker {
 public:
  std::string_view name() const override { return "planted"; }
  void OnFault(const scenarios::World& world, const scenarios::FaultEvent& f) override {
    if (f.kind.rfind("crash", 0) != 0) return;
    if (std::find(f.nodes.begin(), f.nodes.end(), "m2") != f.nodes.end()) {
      Report(f.at, "m2 crashed");
    }
  }
};

std::vector<std::unique_ptr<scenarios::Checker>> Planted() {
  std::vector<std::unique_ptr<scenarios::Checker>> out;
  out.push_back(std::make_unique<PlantedChecker>());
  return out;
}

bool CrashesM2(const scenarios::Action& a) {
  return a.has_crash() && a.crash().node() == "m2";
}

TEST(ExploreShrink, PlantedFailureShrinksToOneCrashOfM2) {
  const Profile& p = *FindProfile("processes");
  // The first seed whose run has at least four actions, a crash of m2 among
  // them, and a workload.
  uint64_t seed = 0;
  for (uint64_t s = 1; s <= 500 && seed == 0; ++s) {
    const scenarios::Scenario sc = ScenarioForSeed(p, s);
    if (sc.faults_size() >= 4 && sc.has_workload() &&
        std::any_of(sc.faults().begin(), sc.faults().end(), CrashesM2)) {
      seed = s;
    }
  }
  ASSERT_NE(seed, 0u);

  ExploreConfig config;
  config.profile = &p;
  config.shrink_runs = 150;
  config.build = "test-build";
  config.make_checkers = Planted;
  const ExploreOutcome o = ExploreSeed(seed, config);
  ASSERT_FALSE(o.has_error()) << o.error();
  EXPECT_EQ(o.property(), "planted");
  EXPECT_EQ(o.finding(), "");
  EXPECT_GE(o.faults_before(), 4);
  EXPECT_TRUE(o.shrunk_to_minimum()) << "budget exhausted after " << o.shrink_runs();
  const scenarios::Scenario& s = o.seed_file();
  ASSERT_EQ(s.faults_size(), 1) << scenarios::ScenarioToText(s);
  EXPECT_TRUE(CrashesM2(s.faults(0)));
  EXPECT_EQ(s.topology().masters(), p.min_masters);
  EXPECT_EQ(s.topology().replicas_per_master(), p.min_replicas);
  EXPECT_FALSE(s.has_workload());
  EXPECT_EQ(s.seed(), seed);
  EXPECT_EQ(s.build(), "test-build");
  EXPECT_EQ(s.violated_property(), "planted");
  EXPECT_EQ(s.violated_at_ms(), s.faults(0).at_ms());
  EXPECT_NE(o.comment().find("violated: planted at "), std::string::npos) << o.comment();

  // The seed file, as text, replays to the same violation and trace hash.
  const std::string text = scenarios::ScenarioToText(s, o.comment());
  auto loaded = scenarios::LoadScenarioText(text, "seed.textproto");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  auto checkers = Planted();
  scenarios::RunOptions options;
  options.checkers.push_back(checkers[0].get());
  scenarios::Runner runner(loaded->scenario, options);
  const scenarios::RunResult r = runner.Run();
  EXPECT_EQ(r.trace_hash, s.expected_trace_hash());
  ASSERT_FALSE(r.violations.empty());
  EXPECT_EQ(r.violations[0].property, s.violated_property());
  EXPECT_EQ(r.record.ms(r.violations[0].at), s.violated_at_ms());

  // Same seed, same shrunk file.
  const ExploreOutcome again = ExploreSeed(seed, config);
  EXPECT_EQ(scenarios::ScenarioToText(again.seed_file()), scenarios::ScenarioToText(s));
  EXPECT_EQ(again.shrink_runs(), o.shrink_runs());
}

TEST(ExploreShrink, PassingRunHasNoSeedFile) {
  ExploreConfig config;
  config.profile = FindProfile("partitions");
  config.make_checkers = Planted;  // partitions never crash m2
  const ExploreOutcome o = ExploreSeed(1, config);
  EXPECT_FALSE(o.has_error()) << o.error();
  EXPECT_EQ(o.hits_size(), 0);
  EXPECT_FALSE(o.has_seed_file());
  EXPECT_GT(o.events(), 0u);
}

}  // namespace
}  // namespace slotsim::props
