#include "model/cli_reshard_plan.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "sim/check.h"

namespace slotsim::model {
namespace {

// clusterManagerNodeByName: exact, case-insensitive (the input is lowercased).
int NodeByName(const std::vector<CliNode>& nodes, std::string_view id) {
  const std::string lower =
      absl::AsciiStrToLower(absl::string_view(id.data(), id.size()));
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].name.empty() && nodes[i].name.view() == lower)
      return static_cast<int>(i);
  }
  return -1;
}

std::string NotAMaster(std::string_view id) {
  return absl::StrCat("*** The specified node (", std::string(id),
                      ") is not known or not a master, please retry.");
}

void AppendInfo(const CliNode& node, std::vector<std::string>* lines) {
  for (absl::string_view line : absl::StrSplit(CliNodeInfo(node, 4), '\n')) {
    lines->emplace_back(line);
  }
}

}  // namespace

std::vector<ReshardMove> ComputeReshardTable(const std::vector<CliNode>& nodes,
                                             const std::vector<int>& sources,
                                             int numslots) {
  CHECK_GE(numslots, 0);
  int total_slots = 0;
  for (int s : sources) {
    CHECK(s >= 0 && s < static_cast<int>(nodes.size())) << "source " << s;
    total_slots += nodes[s].slots_count;
  }
  std::vector<ReshardMove> table;
  if (total_slots <= 0) return table;
  std::vector<int> sorted = sources;
  std::stable_sort(sorted.begin(), sorted.end(), [&nodes](int a, int b) {
    return nodes[a].slots_count > nodes[b].slots_count;
  });
  for (size_t i = 0; i < sorted.size(); ++i) {
    const CliNode& node = nodes[sorted[i]];
    float n = static_cast<float>(numslots) / static_cast<float>(total_slots) *
              static_cast<float>(node.slots_count);
    n = static_cast<float>(i == 0 ? std::ceil(n) : std::floor(n));
    const int max = static_cast<int>(n);
    int count = 0;
    for (int slot = 0; slot < kClusterSlots; ++slot) {
      if (!node.slots.Test(slot)) continue;
      if (count >= max || static_cast<int>(table.size()) >= numslots) break;
      table.push_back({slot, sorted[i]});
      ++count;
    }
  }
  return table;
}

std::vector<std::string> ReshardTableLines(const std::vector<CliNode>& nodes,
                                           const std::vector<ReshardMove>& table) {
  std::vector<std::string> lines;
  lines.reserve(table.size());
  for (const ReshardMove& m : table) {
    lines.push_back(
        absl::StrCat("    Moving slot ", m.slot, " from ", nodes[m.source].name.str()));
  }
  return lines;
}

absl::StatusOr<ReshardPlan> PlanReshard(const std::vector<CliNode>& nodes,
                                        std::string_view from, std::string_view to,
                                        int numslots) {
  CHECK(numslots >= 1 && numslots <= kClusterSlots) << numslots;
  ReshardPlan plan;
  plan.target = NodeByName(nodes, to);
  if (plan.target < 0 || nodes[plan.target].slave) {
    return absl::InvalidArgumentError(NotAMaster(to));
  }
  // The pieces of --cluster-from in order; "all" ends the list; an empty last
  // piece is ignored, an empty middle piece is an unknown node.
  bool all = false;
  std::vector<std::string_view> pieces;
  for (absl::string_view p :
       absl::StrSplit(absl::string_view(from.data(), from.size()), ',')) {
    pieces.emplace_back(p.data(), p.size());
  }
  for (size_t i = 0; i < pieces.size(); ++i) {
    const std::string_view id = pieces[i];
    if (id == "all") {
      all = true;
      break;
    }
    if (i + 1 == pieces.size() && id.empty()) break;
    const int src = NodeByName(nodes, id);
    if (src < 0 || nodes[src].slave) return absl::InvalidArgumentError(NotAMaster(id));
    if (nodes[src].name == nodes[plan.target].name) {
      plan.lines.push_back(
          "*** It is not possible to use the target node as source node.");
      continue;
    }
    plan.sources.push_back(src);
  }
  if (all) {
    plan.sources.clear();
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (!nodes[i].IsPlainMaster()) continue;
      if (nodes[i].name == nodes[plan.target].name) continue;
      plan.sources.push_back(static_cast<int>(i));
    }
  }
  if (plan.sources.empty()) {
    return absl::InvalidArgumentError("*** No source nodes given, operation aborted.");
  }
  std::vector<std::string>& lines = plan.lines;
  lines.push_back("");
  lines.push_back(absl::StrCat("Ready to move ", numslots, " slots."));
  lines.push_back("  Source nodes:");
  for (int s : plan.sources) AppendInfo(nodes[s], &lines);
  lines.push_back("  Destination node:");
  AppendInfo(nodes[plan.target], &lines);
  plan.table = ComputeReshardTable(nodes, plan.sources, numslots);
  lines.push_back("  Resharding plan:");
  for (std::string& l : ReshardTableLines(nodes, plan.table))
    lines.push_back(std::move(l));
  return plan;
}

}  // namespace slotsim::model
