// The CI exploration budget: a fixed number of `slotsim check` seeds per
// profile, explored in process (props/explore.h), failing only on a violation
// no finding explains (props/findings.h) or on a run that could not be carried
// out. Violations a finding explains are counted and printed, not failed.
//
// Budget: chosen so that the whole test takes about 3 minutes on the 2-core
// development machine (3 shards in parallel); the seeds are fixed, so a
// failure here is reproduced by the printed `slotsim check` line, which also
// shrinks it to a seed file. Widen the search with `slotsim check --seeds N`
// (docs/invariants.md), not here.

#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "props/explore.h"
#include "props/profiles.h"

namespace slotsim::props {
namespace {

struct Budget {
  const char* profile;
  int seeds;
};

// Seeds 1..N of each profile: about 160 s of one core in all. Rates on the
// development machine, one core, without shrinking: default ~6 runs/s,
// partitions ~13, processes ~7, manual ~10, resharding ~3, swarm ~3.
constexpr Budget kBudgets[] = {
    {"default", 200}, {"partitions", 200}, {"processes", 200},
    {"manual", 200},  {"resharding", 100}, {"swarm", 100},
};

class ExploreBudget : public testing::TestWithParam<Budget> {};

TEST_P(ExploreBudget, NoViolationThatNoFindingExplains) {
  const Budget b = GetParam();
  ExploreConfig config;
  config.profile = FindProfile(b.profile);
  ASSERT_NE(config.profile, nullptr) << b.profile;
  config.shrink_runs = 0;  // the reproduce line shrinks
  config.build = "ci";
  std::map<std::string, int> known;  // finding -> runs
  uint64_t events = 0;
  for (uint64_t seed = 1; seed <= static_cast<uint64_t>(b.seeds); ++seed) {
    const ExploreOutcome o = ExploreSeed(seed, config);
    const std::string reproduce =
        absl::StrCat("slotsim check --profile ", b.profile, " --first-seed ", seed,
                     " --seeds 1 --out /tmp/slotsim-check");
    if (o.has_error()) {
      ADD_FAILURE() << "seed " << seed << " could not be carried out: " << o.error()
                    << "\nreproduce: " << reproduce;
      continue;
    }
    events += o.events();
    std::set<std::string> findings;
    for (const Hit& h : o.hits()) {
      if (h.finding().empty()) {
        ADD_FAILURE() << "seed " << seed << ": new violation of " << h.property()
                      << (h.property() == o.property()
                              ? absl::StrCat(" at ", o.at_ms(), " ms: ", o.message())
                              : "")
                      << "\nreproduce and shrink: " << reproduce;
      } else {
        findings.insert(h.finding());
      }
    }
    for (const std::string& f : findings) ++known[f];
  }
  for (const auto& [finding, runs] : known) {
    std::cout << b.profile << ": known finding " << finding << " in " << runs << " runs\n";
  }
  // The runs ran (a profile whose scenarios all failed validation would not).
  EXPECT_GT(events, static_cast<uint64_t>(b.seeds) * 1000);
}

INSTANTIATE_TEST_SUITE_P(Profiles, ExploreBudget, testing::ValuesIn(kBudgets),
                         [](const testing::TestParamInfo<Budget>& info) {
                           return std::string(info.param.profile);
                         });

TEST(ExploreBudgetCoverage, EveryProfileHasABudget) {
  for (const Profile& p : AllProfiles()) {
    bool found = false;
    for (const Budget& b : kBudgets) found = found || p.name == b.profile;
    EXPECT_TRUE(found) << p.name;
  }
}

}  // namespace
}  // namespace slotsim::props
