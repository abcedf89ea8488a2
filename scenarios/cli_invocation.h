// CliInvocation: a scenario's cluster-manager action (scenario.proto's
// Create, Reshard, Rebalance, AddNode, DelNode, Fix) turned into the
// ClusterManager's command and options, with node names resolved through the
// world: addresses from the node specs, node IDs from the running nodes (as
// an operator would copy them from CLUSTER NODES).
//
// Defaults as the schema documents them: `via` / `existing` unset means m1;
// an empty Reshard.from means "all"; Create.nodes empty means
// `default_create_nodes`, Create.replicas unset means `default_replicas`.
// Rebalance weights name a node; they become "<full id>=<weight>".
//
// Errors (InvalidArgument): an unknown node name, a node whose ID is needed
// but that never ran, or an action of another kind. A crashed node is named
// by the ID it had (World::LastIdOf), as its peers still list it.
//
// Example:
//   absl::StatusOr<CliInvocation> inv = CliInvocationFromAction(action, world, 1, names);
//   world.AddActor("redis-cli", "10.0.0.100",
//                  std::make_unique<ClusterManager>(inv->command, inv->options,
//                  on_done));

#ifndef SLOTSIM_SCENARIOS_CLI_INVOCATION_H_
#define SLOTSIM_SCENARIOS_CLI_INVOCATION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/cluster_manager.h"
#include "scenarios/scenario.pb.h"
#include "scenarios/world.h"

namespace slotsim::scenarios {

struct CliInvocation {
  CliCommand command;
  ClusterManagerOptions options;
};

// Whether `action` is one the ClusterManager runs.
bool IsCliAction(const Action& action);

absl::StatusOr<CliInvocation> CliInvocationFromAction(
    const Action& action, const World& world, int default_replicas,
    const std::vector<std::string>& default_create_nodes);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_CLI_INVOCATION_H_
