// ExploreSeed: one seed of `slotsim check`: draw a run from the profile's
// generators (run_plan_gen.h), run it with every default property, classify
// its violations (findings.h) and shrink a failing run to a minimal schedule
// that fails the same way (shrink.h), ready to be written as a seed file.
//
// Seeds: run `seed` of a profile draws its plan from (profile name, seed) and
// runs the scenario with the runner seed `seed`; shrink candidates keep that
// runner seed. Everything is a function of (profile, seed, config, build), so
// `slotsim check` gives the same runs and the same shrunk files whatever
// number of worker processes it uses.
//
// "Fails the same way": with a new violation (one no finding explains) of
// property P first, a candidate fails iff its run has a new violation of P;
// when every violation is explained, a candidate fails iff one of its
// violations is explained by the same finding. Candidates are validated
// (scenarios/validate.h) and run in full, as `slotsim replay` runs the seed
// file, so the recorded violation and trace hash are what replay reproduces.
// Known findings are not shrunk unless config.shrink_known.

#ifndef SLOTSIM_PROPS_EXPLORE_H_
#define SLOTSIM_PROPS_EXPLORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "props/explore.pb.h"
#include "props/profiles.h"
#include "scenarios/checker.h"
#include "scenarios/scenario.pb.h"

namespace slotsim::props {

struct ExploreConfig {
  const Profile* profile = nullptr;
  // Shrink runs per failing seed; 0: no shrinking.
  int shrink_runs = 200;
  bool shrink_known = false;
  // Stamped into seed files (tools/build_info.h).
  std::string build;
  // Checkers of one run; unset: a fresh set of the default properties
  // (registry.h). Tests plant their own.
  std::function<std::vector<std::unique_ptr<scenarios::Checker>>()> make_checkers;
};

// The scenario run `seed` of `profile` starts from (before any shrinking).
scenarios::Scenario ScenarioForSeed(const Profile& profile, uint64_t seed);

// REQUIRES: config.profile != nullptr.
ExploreOutcome ExploreSeed(uint64_t seed, const ExploreConfig& config);

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_EXPLORE_H_
