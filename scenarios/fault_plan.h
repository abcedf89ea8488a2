// Fault plan: the random fault generators of a scenario (FaultGenerators)
// expanded, from the run's seed, into explicit timed actions.
//
// For each enabled kind, start times follow exponential-like gaps with the
// generator's mean from start_ms to (duration_ms - quiet_before_end_ms); a
// start is skipped while max_concurrent faults of that kind are in effect.
// Each fault lasts a duration drawn uniformly from [min_duration_ms,
// max_duration_ms] and is undone by the action's duration_ms (heal, resume,
// restart), so every generated fault ends by itself; the heal phase covers
// whatever is still in effect at the end. Targets are drawn uniformly from the
// generator's nodes (empty: every cluster node, spares excluded):
//   partition   a random non-empty proper subset forms one group (the other
//               endpoints form the other side);
//   block       one node -> another node, one way;
//   clog        one node, both ways with every other endpoint;
//   delay       one node, extra delay both ways (generator.extra, default
//               fixed 100 ms);
//   crash       one node (lose_unsynced with probability lose_unsynced_ppm),
//               restarted after the duration;
//   pause       one node, resumed after the duration;
//   clock_jump  one node, by a uniform jump in [-max_jump_ms, max_jump_ms];
//   failover    CLUSTER FAILOVER (uniform mode) on one replica of the topology;
//   reshard     1..max_slots slots from one master to another.
// Each kind draws from its own stream (Rng::Fork), so enabling one kind does
// not change another's schedule.

#ifndef SLOTSIM_SCENARIOS_FAULT_PLAN_H_
#define SLOTSIM_SCENARIOS_FAULT_PLAN_H_

#include <vector>

#include "scenarios/scenario.pb.h"
#include "scenarios/topology.h"
#include "sim/rng.h"

namespace slotsim::scenarios {

// The generated actions, ordered by at_ms (ties by kind, then draw order).
std::vector<Action> GenerateFaults(const Scenario& scenario, const Layout& layout,
                                   const sim::Rng& rng);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_FAULT_PLAN_H_
