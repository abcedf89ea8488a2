#include "model/cli_fix_coverage.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "model/cli_fix_open_slot.h"
#include "sim/check.h"

namespace slotsim::model {
namespace {

std::vector<std::string> SetSlot(int slot, const char* status, const CliNode& other) {
  return {"CLUSTER", "SETSLOT", std::to_string(slot), status, other.name.str()};
}

int64_t KeysAt(const SlotKeyCounts& keys, int slot, int node) {
  auto it = keys.find(slot);
  if (it == keys.end()) return 0;
  CHECK_LT(static_cast<size_t>(node), it->second.size());
  return it->second[node];
}

std::string SlotList(const std::vector<int>& slots) {
  SlotBitmap b;
  for (int s : slots) b.Set(s);
  return CliSlotsString(b);
}

}  // namespace

std::vector<int> UncoveredSlots(const std::vector<CliNode>& nodes) {
  SlotBitmap covered;
  for (const CliNode& n : nodes) {
    for (const auto& [a, b] : n.slots.Ranges()) covered.SetRange(a, b);
  }
  std::vector<int> out;
  for (int s = 0; s < kClusterSlots; ++s) {
    if (!covered.Test(s)) out.push_back(s);
  }
  return out;
}

OpenSlotsReport FindOpenSlots(const std::vector<CliNode>& nodes) {
  OpenSlotsReport report;
  SlotBitmap open;
  for (const CliNode& n : nodes) {
    for (const auto* list : {&n.migrating, &n.importing}) {
      if (list->empty()) continue;
      std::string line =
          absl::StrCat("[WARNING] Node ", n.Addr(), " has slots in ",
                       list == &n.migrating ? "migrating" : "importing", " state ");
      for (size_t i = 0; i < list->size(); ++i) {
        absl::StrAppend(&line, i > 0 ? "," : "", (*list)[i].first);
        open.Set((*list)[i].first);
      }
      report.lines.push_back(line + ".");
    }
  }
  if (open.None()) return report;
  std::string line = "[WARNING] The following slots are open: ";
  for (int s = 0; s < kClusterSlots; ++s) {
    if (!open.Test(s)) continue;
    absl::StrAppend(&line, report.slots.empty() ? "" : ",", s);
    report.slots.push_back(s);
  }
  report.lines.push_back(line + ".");
  return report;
}

FixCoveragePlan PlanFixSlotsCoverage(const std::vector<CliNode>& nodes,
                                     const SlotKeyCounts& keys, sim::Rng& rng) {
  FixCoveragePlan plan;
  plan.uncovered = UncoveredSlots(nodes);
  const int n_nodes = static_cast<int>(nodes.size());
  std::map<int, std::vector<int>> holders;  // slot -> masters with keys
  CoverageGroup none{CoverageGroup::Kind::kNoKeys, {}, {}, {}, {}};
  CoverageGroup single{CoverageGroup::Kind::kOneNode, {}, {}, {}, {}};
  CoverageGroup multi{CoverageGroup::Kind::kManyNodes, {}, {}, {}, {}};
  for (int slot : plan.uncovered) {
    std::vector<int>& h = holders[slot];
    for (int n = 0; n < n_nodes; ++n) {
      if (nodes[n].IsPlainMaster() && KeysAt(keys, slot, n) > 0) h.push_back(n);
    }
    (h.empty() ? none : h.size() == 1 ? single : multi).slots.push_back(slot);
  }

  if (!none.slots.empty()) {
    none.header = {"The following uncovered slots have no keys across the cluster:",
                   SlotList(none.slots)};
    none.question = "Fix these slots by covering with a random node?";
    std::vector<int> masters;
    for (int n = 0; n < n_nodes; ++n) {
      if (!nodes[n].slave) masters.push_back(n);
    }
    CHECK(!masters.empty()) << "no master to cover slots with";
    const int chosen = masters[rng.Uniform(masters.size())];
    for (int slot : none.slots) {
      none.steps.push_back(CliStep::Log(
          absl::StrCat(">>> Covering slot ", slot, " with ", nodes[chosen].Addr())));
      none.steps.push_back(CliStep::SetSlotOwner(chosen, slot, /*clear=*/false));
    }
    plan.groups.push_back(std::move(none));
  }
  if (!single.slots.empty()) {
    single.header = {"The following uncovered slots have keys in just one node:",
                     SlotList(single.slots)};
    single.question = "Fix these slots by covering with those nodes?";
    for (int slot : single.slots) {
      const int n = holders[slot][0];
      single.steps.push_back(CliStep::Log(
          absl::StrCat(">>> Covering slot ", slot, " with ", nodes[n].Addr())));
      single.steps.push_back(CliStep::SetSlotOwner(n, slot, /*clear=*/false));
    }
    plan.groups.push_back(std::move(single));
  }
  if (!multi.slots.empty()) {
    multi.header = {"The following uncovered slots have keys in multiple nodes:",
                    SlotList(multi.slots)};
    multi.question = "Fix these slots by moving keys into a single node?";
    for (int slot : multi.slots) {
      const std::vector<int>& h = holders[slot];
      std::vector<int64_t> counts(nodes.size(), 0);
      for (int n : h) counts[n] = KeysAt(keys, slot, n);
      const int target = NodeWithMostKeys(nodes, h, counts);
      multi.steps.push_back(CliStep::Log(absl::StrCat(
          ">>> Covering slot ", slot, " moving keys to ", nodes[target].Addr())));
      multi.steps.push_back(CliStep::SetSlotOwner(target, slot, /*clear=*/true));
      for (int src : h) {
        if (src == target) continue;
        multi.steps.push_back(
            CliStep::Command(src, SetSlot(slot, "NODE", nodes[target])));
        multi.steps.push_back(
            CliStep::Command(src, SetSlot(slot, "IMPORTING", nodes[target])));
        multi.steps.push_back(
            CliStep::MoveSlot(src, target, slot, kMoveVerbose | kMoveCold));
        multi.steps.push_back(CliStep::Command(
            src, {"CLUSTER", "SETSLOT", std::to_string(slot), "STABLE"}));
      }
    }
    plan.groups.push_back(std::move(multi));
  }
  return plan;
}

std::vector<int> SlotClaimants(const std::vector<CliNode>& nodes, int slot,
                               const std::vector<int64_t>& keys_in_slot) {
  CHECK_EQ(nodes.size(), keys_in_slot.size());
  std::vector<int> out;
  for (size_t n = 0; n < nodes.size(); ++n) {
    if (nodes[n].slave) continue;
    if (nodes[n].slots.Test(slot) || keys_in_slot[n] > 0)
      out.push_back(static_cast<int>(n));
  }
  return out;
}

std::vector<CliStep> PlanFixMultipleSlotOwners(const std::vector<CliNode>& nodes,
                                               int slot,
                                               const std::vector<int>& claimants,
                                               const std::vector<int64_t>& keys_in_slot) {
  CHECK_GE(claimants.size(), 2u);
  CHECK_EQ(nodes.size(), keys_in_slot.size());
  std::vector<CliStep> steps;
  steps.push_back(
      CliStep::Log(absl::StrCat(">>> Fixing multiple owners for slot ", slot, "...")));
  int owner = NodeWithMostKeys(nodes, claimants, keys_in_slot);
  if (owner < 0) owner = claimants[0];
  steps.push_back(CliStep::Log(
      absl::StrCat(">>> Setting slot ", slot, " owner: ", nodes[owner].Addr())));
  steps.push_back(CliStep::SetSlotOwner(owner, slot, /*clear=*/false));
  for (size_t i = 0; i < nodes.size(); ++i) {
    const int n = static_cast<int>(i);
    if (n == owner || nodes[n].slave) continue;
    steps.push_back(CliStep::DelSlot(n, slot, /*ignore_failure=*/true));
    steps.push_back(CliStep::Command(n, SetSlot(slot, "node", nodes[owner])));
    if (keys_in_slot[n] > 0) {
      steps.push_back(CliStep::MoveSlot(n, owner, slot, kMoveVerbose | kMoveCold));
    }
  }
  return steps;
}

}  // namespace slotsim::model
