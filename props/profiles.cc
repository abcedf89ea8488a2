#include "props/profiles.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace slotsim::props {
namespace {

// Weights in StepKind order: partition, block, clog, delay, heal, crash,
// pause, clock_jump, failover, reshard, add_node.
Profile Make(std::string name, std::string summary, std::array<int, kStepKinds> w) {
  Profile p;
  p.name = std::move(name);
  p.summary = std::move(summary);
  p.weights = w;
  return p;
}

std::vector<Profile> BuildProfiles() {
  std::vector<Profile> out;

  Profile d = Make("default", "mixed faults of every kind on 3-5 masters with 1-2 replicas",
                   {3, 2, 1, 1, 1, 3, 2, 1, 1, 1, 1});
  d.max_spares = 1;
  out.push_back(d);

  Profile parts = Make("partitions",
                       "partitions, one-way blocks, clogs, extra delay and heals",
                       {5, 3, 2, 2, 2, 0, 0, 0, 0, 0, 0});
  parts.max_replicas = 1;
  parts.max_steps = 8;
  out.push_back(parts);

  Profile proc = Make("processes",
                      "crashes (some losing unsynced writes), pauses, restarts, resumes, "
                      "clock jumps",
                      {0, 0, 0, 0, 0, 4, 3, 2, 0, 0, 0});
  out.push_back(proc);

  Profile manual = Make("manual",
                        "CLUSTER FAILOVER (default, FORCE, TAKEOVER) among a few faults",
                        {1, 0, 0, 0, 1, 1, 1, 0, 6, 0, 0});
  manual.max_steps = 8;
  out.push_back(manual);

  Profile reshard = Make("resharding",
                         "reshards of a few slots and add-node of spares, with traffic",
                         {1, 0, 0, 0, 1, 1, 1, 0, 1, 6, 2});
  reshard.max_spares = 2;
  reshard.workload_percent = 80;
  out.push_back(reshard);

  Profile swarm = Make("swarm",
                       "every step kind; topology, network delay, workload and the swarm "
                       "knobs drawn within their bounds",
                       {2, 2, 1, 1, 1, 2, 2, 1, 1, 1, 1});
  swarm.min_replicas = 0;
  swarm.max_replicas = 3;
  swarm.max_masters = 6;
  swarm.max_spares = 2;
  swarm.min_node_timeout_ms = 500;
  swarm.swarm = true;
  out.push_back(swarm);
  return out;
}

}  // namespace

const std::vector<Profile>& AllProfiles() {
  static const std::vector<Profile>* const kProfiles = new std::vector<Profile>(BuildProfiles());
  return *kProfiles;
}

const Profile* FindProfile(std::string_view name) {
  for (const Profile& p : AllProfiles()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string ProfileNames() {
  std::vector<std::string> names;
  for (const Profile& p : AllProfiles()) names.push_back(p.name);
  return absl::StrJoin(names, ", ");
}

std::string ProfileHelp() {
  std::string out = "profiles (--profile):\n";
  for (const Profile& p : AllProfiles()) {
    std::vector<std::string> kinds;
    for (int k = 0; k < kStepKinds; ++k) {
      if (p.weights[k] > 0) {
        kinds.push_back(absl::StrCat(StepKindName(static_cast<StepKind>(k)), ":", p.weights[k]));
      }
    }
    absl::StrAppendFormat(&out, "  %-11s %s\n", p.name, p.summary);
    absl::StrAppendFormat(
        &out,
        "              %d-%d masters, %d-%d replicas each, %d-%d spares, node timeout "
        "%d-%d ms,\n              %d-%d s safety phase, %d-%d steps, workload in %d%% of runs\n"
        "              steps (weight): %s\n",
        p.min_masters, p.max_masters, p.min_replicas, p.max_replicas, p.min_spares,
        p.max_spares, p.min_node_timeout_ms, p.max_node_timeout_ms, p.min_duration_ms / 1000,
        p.max_duration_ms / 1000, p.min_steps, p.max_steps, p.workload_percent,
        absl::StrJoin(kinds, " "));
  }
  out += "swarm knobs (each set in half the swarm runs, else Redis's default):\n";
  for (int k = 0; k < kSwarmKnobs; ++k) {
    const SwarmKnobInfo& info = SwarmKnobBounds(static_cast<SwarmKnob>(k));
    absl::StrAppendFormat(&out, "  %-32s %d..%d\n", info.name, info.lo, info.hi);
  }
  out += "  network delay: uniform, mean 50..5000 us, jitter up to the mean\n";
  return out;
}

}  // namespace slotsim::props
