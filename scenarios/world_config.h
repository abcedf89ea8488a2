// World configuration from a scenario: the NodeConfig of every node (knobs,
// with per-node overrides, and its address) and the network's link options.
//
// Knob mapping: each cluster-* / repl-* field of scenario Knobs sets the
// NodeConfig field of the same name (units as in redis.conf). Knobs the model
// does not act on are listed by UnmodelledKnobs() so docs and warnings can say
// so rather than ignore them silently.
//
// Delay mapping (scenario Delay -> sim::DelayModel):
//   FIXED        always mean_us;
//   UNIFORM      uniform over [mean_us - jitter_us, mean_us + jitter_us]
//                (clamped at 0);
//   EXPONENTIAL  min_us + exponential-like draw with mean (mean_us - min_us);
//                the cap at max_us is not applied by the kernel's model, whose
//                draws are already capped at 40 x the mean (documented).

#ifndef SLOTSIM_SCENARIOS_WORLD_CONFIG_H_
#define SLOTSIM_SCENARIOS_WORLD_CONFIG_H_

#include <string>
#include <vector>

#include "model/config.h"
#include "scenarios/scenario.pb.h"
#include "scenarios/topology.h"
#include "scenarios/world.h"
#include "sim/link_model.h"

namespace slotsim::scenarios {

// The NodeConfig of one node of the layout.
model::NodeConfig NodeConfigFor(const NodeLayout& node);

// The kernel delay model of a scenario Delay.
sim::DelayModel DelayModelOf(const Delay& delay);

// Link options of the scenario's network model (default link).
sim::LinkOptions DefaultLinkOptions(const NetworkModel& network);

// The partition mode to use for `mode` when set, else the network default.
sim::FaultMode FaultModeOf(const NetworkModel& network, bool has_mode, PartitionMode mode);

// Everything the World needs for this scenario and seed.
WorldOptions MakeWorldOptions(const Scenario& scenario, const Layout& layout,
                              uint64_t seed);

// Knob fields set in `knobs` that the model does not act on.
std::vector<std::string> UnmodelledKnobs(const Knobs& knobs);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_WORLD_CONFIG_H_
