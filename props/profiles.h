// Exploration profiles: the generator weightings `slotsim check --profile NAME`
// chooses between. A profile bounds the topology, the cluster-node-timeout,
// the length of the safety phase and the number of fault steps, and weighs
// the step kinds (run_plan.h) a schedule is drawn from.
//
//   default     mixed faults of every kind on 3-5 masters with 1-2 replicas
//   partitions  partitions, one-way blocks, clogs, extra delay and heals
//   processes   crashes (some losing unsynced nodes.conf writes), pauses,
//               restarts, resumes and clock jumps
//   manual      CLUSTER FAILOVER (default, FORCE, TAKEOVER) among a few faults
//   resharding  redis-cli --cluster reshard of a few slots and add-node of
//               spares, among a few faults, with client traffic
//   swarm       every step kind, wider topologies, network delay, workload and
//               the swarm knobs (run_plan.h) drawn within their bounds
//
// Runs are kept short (node timeouts 500..5000 ms, safety phases of tens of
// seconds) so that hundreds of runs a minute are possible on one core.

#ifndef SLOTSIM_PROPS_PROFILES_H_
#define SLOTSIM_PROPS_PROFILES_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "props/run_plan.h"

namespace slotsim::props {

struct Profile {
  std::string name;
  std::string summary;  // one line, for --help
  // Relative weight of each StepKind (index = the enum's value); 0: never.
  std::array<int, kStepKinds> weights{};
  int min_masters = 3, max_masters = 5;
  int min_replicas = 1, max_replicas = 2;
  int min_spares = 0, max_spares = 0;
  int64_t min_node_timeout_ms = 1000, max_node_timeout_ms = 5000;
  int64_t min_duration_ms = 15000, max_duration_ms = 40000;
  int min_steps = 1, max_steps = 10;
  // A fault lasts 200 ms .. max_fault_ms.
  int64_t max_fault_ms = 15000;
  // Chance (percent) that the run has client traffic.
  int workload_percent = 50;
  // reshard: 1..max_reshard_slots slots.
  int max_reshard_slots = 20;
  // Clock jumps of up to this many ms either way.
  int64_t max_jump_ms = 5000;
  // Draw the swarm knobs and the network delay too.
  bool swarm = false;
};

// Every profile, `default` first.
const std::vector<Profile>& AllProfiles();
// nullptr for an unknown name.
const Profile* FindProfile(std::string_view name);
// The profiles' names joined by ", ".
std::string ProfileNames();
// The profiles and the swarm knob bounds as `slotsim check --help` shows them.
std::string ProfileHelp();

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_PROFILES_H_
