// RapidCheck generators of whole runs (RunPlan, run_plan.h) for a profile
// (profiles.h), with integrated shrinking.
//
// A plan is drawn as (steps, setup); its shrinks come in this order:
//   1. the steps: removing chunks of steps (largest first), then each step's
//      own shrinks (a shorter fault, a smaller delay, jump or reshard);
//   2. the setup: fewer masters, replicas and spares (towards the profile's
//      minimum), a shorter safety phase, no workload, swarm knobs back to
//      Redis's defaults.
// What a step hits (node indices, partition sides, modes), when it starts and
// the setup's timeouts and network are not shrunk: changing them changes what
// the run is about, and would cost shrink runs that rarely keep a failure.
//
// Determinism: DrawPlan(profile, seed) is a pure function of the profile and
// the seed (RapidCheck's splittable Random, seeded from a hash of both), and
// so is the order of its shrinks. Always drawn at rc::kNominalSize, where
// gen::inRange covers its whole range.

#ifndef SLOTSIM_PROPS_RUN_PLAN_GEN_H_
#define SLOTSIM_PROPS_RUN_PLAN_GEN_H_

#include <cstdint>
#include <vector>

#include "props/profiles.h"
#include "props/run_plan.h"
#include "rapidcheck.h"

namespace slotsim::props {

rc::Gen<PlanStep> GenStep(const Profile& profile);
rc::Gen<std::vector<PlanStep>> GenSteps(const Profile& profile);
rc::Gen<PlanSetup> GenSetup(const Profile& profile);
rc::Gen<RunPlan> GenRunPlan(const Profile& profile);

// The plan of run `seed` of `profile`, with its shrinks.
rc::Shrinkable<RunPlan> DrawPlan(const Profile& profile, uint64_t seed);

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_RUN_PLAN_GEN_H_
