#include "model/cli_create_plan.h"

#include <cmath>
#include <list>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "model/cli_anti_affinity.h"
#include "sim/check.h"

namespace slotsim::model {
namespace {

std::string Addr(const CreateNode& n) { return absl::StrCat(n.ip, ":", n.port); }

// Step 2: round-robin over hosts in order of first appearance.
std::vector<int> InterleaveByHost(const std::vector<CreateNode>& nodes) {
  std::vector<std::vector<int>> groups;
  std::map<std::string, size_t> host_index;  // lookup only
  for (size_t i = 0; i < nodes.size(); ++i) {
    auto [it, inserted] = host_index.emplace(nodes[i].ip, groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(static_cast<int>(i));
  }
  std::vector<int> out;
  for (size_t round = 0; out.size() < nodes.size(); ++round) {
    for (const std::vector<int>& g : groups) {
      if (round < g.size()) out.push_back(g[round]);
    }
  }
  return out;
}

}  // namespace

std::vector<std::pair<int, int>> CreateSlotSplit(int masters_count) {
  CHECK_GE(masters_count, 1);
  // Single precision throughout, as redis-cli declares these variables float.
  const float slots_per_node =
      static_cast<float>(kClusterSlots) / static_cast<float>(masters_count);
  std::vector<std::pair<int, int>> ranges;
  long first = 0;
  float cursor = 0.0f;
  for (int i = 0; i < masters_count; ++i) {
    const float end = cursor + slots_per_node - 1.0f;
    long last = std::lround(end);
    if (last > kClusterSlots || i == masters_count - 1) last = kClusterSlots - 1;
    if (last < first) last = first;
    ranges.emplace_back(static_cast<int>(first), static_cast<int>(last));
    first = last + 1;
    cursor += slots_per_node;
  }
  return ranges;
}

absl::StatusOr<CreatePlan> PlanCreate(const std::vector<CreateNode>& nodes, int replicas,
                                      sim::Rng& rng) {
  const int node_count = static_cast<int>(nodes.size());
  if (replicas < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--cluster-replicas must be >= 0, got ", replicas));
  }
  CreatePlan plan;
  plan.masters_count = node_count / (replicas + 1);
  if (plan.masters_count < 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "*** ERROR: Invalid configuration for cluster creation.\n"
        "*** Redis Cluster requires at least 3 master nodes.\n"
        "*** This is not possible with ",
        node_count, " nodes and ", replicas, " replicas per node.\n*** At least ",
        3 * (replicas + 1), " nodes are required.\n"));
  }
  std::vector<std::string>& lines = plan.lines;
  lines.push_back(
      absl::StrCat(">>> Performing hash slots allocation on ", node_count, " nodes..."));

  plan.interleaved = InterleaveByHost(nodes);
  plan.masters.assign(plan.interleaved.begin(),
                      plan.interleaved.begin() + plan.masters_count);
  plan.master_slots = CreateSlotSplit(plan.masters_count);
  for (int i = 0; i < plan.masters_count; ++i) {
    lines.push_back(absl::StrCat("Master[", i, "] -> Slots ", plan.master_slots[i].first,
                                 " - ", plan.master_slots[i].second));
  }

  // Step 4. The remaining nodes, rotated left by one.
  std::list<int> available(plan.interleaved.begin() + plan.masters_count,
                           plan.interleaved.end());
  if (!available.empty()) available.splice(available.end(), available, available.begin());
  plan.master_of.assign(nodes.size(), -1);
  for (bool extra_pass : {false, true}) {
    if (extra_pass) {
      if (available.empty()) break;
      lines.push_back("Adding extra replicas...");
    }
    for (int master : plan.masters) {
      for (int assigned = 0; assigned < replicas && !available.empty(); ++assigned) {
        auto pick = available.begin();
        for (auto it = available.begin(); it != available.end(); ++it) {
          if (nodes[*it].ip != nodes[master].ip) {
            pick = it;
            break;
          }
        }
        const int replica = *pick;
        available.erase(pick);
        plan.master_of[replica] = master;
        lines.push_back(absl::StrCat("Adding replica ", Addr(nodes[replica]), " to ",
                                     Addr(nodes[master])));
        if (extra_pass) break;
      }
    }
  }
  plan.initial_master_of = plan.master_of;

  // Step 5.
  std::vector<std::string> ips;
  ips.reserve(nodes.size());
  for (const CreateNode& n : nodes) ips.push_back(n.ip);
  AntiAffinityOutcome aa = OptimizeAntiAffinity(ips, &plan.master_of, rng);
  plan.initial_score = aa.initial_score;
  plan.final_score = aa.final_score;
  lines.insert(lines.end(), aa.lines.begin(), aa.lines.end());

  // The manager's view, and clusterManagerShowNodes.
  plan.nodes.resize(nodes.size());
  for (int i = 0; i < node_count; ++i) {
    CliNode& cn = plan.nodes[i];
    cn.name = nodes[i].name;
    cn.ip = nodes[i].ip;
    cn.port = nodes[i].port;
    cn.flags = {"myself", "master"};
  }
  for (int i = 0; i < plan.masters_count; ++i) {
    CliNode& cn = plan.nodes[plan.masters[i]];
    cn.slots.SetRange(plan.master_slots[i].first, plan.master_slots[i].second);
    cn.slots_count = cn.slots.Count();
    cn.dirty = true;
  }
  for (int i = 0; i < node_count; ++i) {
    if (plan.master_of[i] < 0) continue;
    plan.nodes[i].replicate = nodes[plan.master_of[i]].name;
    plan.nodes[i].dirty = true;
  }
  for (const CliNode& cn : plan.nodes) {
    for (absl::string_view line : absl::StrSplit(CliNodeInfo(cn, 0), '\n')) {
      lines.emplace_back(line);
    }
  }

  plan.config_epochs.resize(nodes.size());
  for (int i = 0; i < node_count; ++i) plan.config_epochs[i] = i + 1;
  return plan;
}

}  // namespace slotsim::model
