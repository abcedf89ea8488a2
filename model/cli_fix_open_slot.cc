#include "model/cli_fix_open_slot.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "sim/check.h"

namespace slotsim::model {
namespace {

std::vector<std::string> SetSlot(int slot, const char* status, const CliNode& other) {
  return {"CLUSTER", "SETSLOT", std::to_string(slot), status, other.name.str()};
}

std::vector<std::string> Stable(int slot) {
  return {"CLUSTER", "SETSLOT", std::to_string(slot), "STABLE"};
}

void Remove(std::vector<int>* list, int node) {
  list->erase(std::remove(list->begin(), list->end(), node), list->end());
}

std::string AddrList(const std::vector<CliNode>& nodes, const std::vector<int>& list) {
  std::string out;
  for (int n : list) absl::StrAppend(&out, out.empty() ? "" : ",", nodes[n].Addr());
  return out;
}

}  // namespace

int NodeWithMostKeys(const std::vector<CliNode>& nodes,
                     const std::vector<int>& candidates,
                     const std::vector<int64_t>& keys_in_slot) {
  int best = -1;
  int64_t best_keys = 0;
  for (int n : candidates) {
    if (!nodes[n].IsPlainMaster()) continue;
    if (best < 0 || keys_in_slot[n] > best_keys) {
      best = n;
      best_keys = keys_in_slot[n];
    }
  }
  return best;
}

FixOpenSlotPlan PlanFixOpenSlot(const std::vector<CliNode>& nodes, int slot,
                                const std::vector<int64_t>& keys_in_slot) {
  CHECK_EQ(nodes.size(), keys_in_slot.size());
  CHECK(slot >= 0 && slot < kClusterSlots) << slot;
  FixOpenSlotPlan plan;
  plan.slot = slot;
  std::vector<CliStep>& steps = plan.steps;
  const int n_nodes = static_cast<int>(nodes.size());
  auto addr = [&nodes](int n) { return nodes[n].Addr(); };
  steps.push_back(CliStep::Log(absl::StrCat(">>> Fixing open slot ", slot)));

  // 1. Owners.
  for (int i = 0; i < n_nodes; ++i) {
    if (nodes[i].slave) continue;
    if (nodes[i].slots.Test(slot)) {
      plan.owners.push_back(i);
    } else if (keys_in_slot[i] > 0) {
      steps.push_back(CliStep::Log(absl::StrCat("*** Found keys about slot ", slot,
                                                " in non-owner node ", addr(i), "!")));
      plan.owners.push_back(i);
    }
  }
  int owner = plan.owners.size() == 1 ? plan.owners[0] : -1;

  // 2. Migrating and importing lists (their printed forms are not updated later).
  for (int i = 0; i < n_nodes; ++i) {
    if (nodes[i].slave) continue;
    const bool is_migrating = nodes[i].MigratingTo(slot).has_value();
    const bool is_importing = !is_migrating && nodes[i].ImportingFrom(slot).has_value();
    if (is_migrating) plan.migrating.push_back(i);
    if (is_importing) plan.importing.push_back(i);
    if (!is_migrating && !is_importing && i != owner && keys_in_slot[i] > 0) {
      steps.push_back(CliStep::Log(
          absl::StrCat("*** Found keys about slot ", slot, " in node ", addr(i), "!")));
      plan.importing.push_back(i);
    }
  }
  const std::string migrating_str = AddrList(nodes, plan.migrating);
  const std::string importing_str = AddrList(nodes, plan.importing);
  if (!migrating_str.empty())
    steps.push_back(CliStep::Log("Set as migrating in: " + migrating_str));
  if (!importing_str.empty())
    steps.push_back(CliStep::Log("Set as importing in: " + importing_str));

  // 3. No single owner: pick one by keys.
  if (owner < 0) {
    steps.push_back(CliStep::Log(
        ">>> No single clear owner for the slot, selecting an owner by # of keys..."));
    std::vector<int> all(nodes.size());
    for (int i = 0; i < n_nodes; ++i) all[i] = i;
    owner = NodeWithMostKeys(nodes, all, keys_in_slot);
    if (owner < 0) {
      steps.push_back(
          CliStep::Log("[ERR] Can't select a slot owner. Impossible to fix."));
      plan.open_case = OpenSlotCase::kNoOwner;
      return plan;
    }
    plan.owner_chosen_by_keys = true;
    steps.push_back(CliStep::Log(
        absl::StrCat("*** Configuring ", addr(owner), " as the slot owner")));
    steps.push_back(CliStep::Command(owner, Stable(slot)));
    steps.push_back(CliStep::SetSlotOwner(owner, slot, /*clear=*/false));
    Remove(&plan.migrating, owner);
    Remove(&plan.importing, owner);
  }
  plan.owner = owner;

  // 4. Several owners: the others give the slot up and import it from the owner.
  if (plan.owners.size() > 1) {
    for (int n : plan.owners) {
      if (n == owner) continue;
      steps.push_back(CliStep::DelSlot(n, slot, /*ignore_failure=*/false));
      steps.push_back(CliStep::Command(n, SetSlot(slot, "node", nodes[owner])));
      steps.push_back(CliStep::Command(n, SetSlot(slot, "importing", nodes[owner])));
      Remove(&plan.importing, n);
      plan.importing.push_back(n);
      Remove(&plan.migrating, n);
    }
  }

  // 5. The cases.
  const size_t n_migrating = plan.migrating.size();
  const size_t n_importing = plan.importing.size();
  bool unfixable = false;
  if (n_migrating == 1 && n_importing == 1) {
    const int src = plan.migrating[0];
    const int dst = plan.importing[0];
    steps.push_back(CliStep::Log(absl::StrCat(">>> Case 1: Moving slot ", slot, " from ",
                                              addr(src), " to ", addr(dst))));
    steps.push_back(CliStep::MoveSlot(src, dst, slot, kMoveVerbose | kMoveUpdate));
    plan.open_case = OpenSlotCase::kMoveToImporting;
  } else if (n_migrating == 0 && n_importing > 0) {
    steps.push_back(CliStep::Log(absl::StrCat(">>> Case 2: Moving all the ", slot,
                                              " slot keys to its owner ", addr(owner))));
    for (int n : plan.importing) {
      if (n == owner) continue;
      steps.push_back(CliStep::MoveSlot(n, owner, slot, kMoveVerbose | kMoveCold));
      steps.push_back(
          CliStep::Log(absl::StrCat(">>> Setting ", slot, " as STABLE in ", addr(n))));
      steps.push_back(CliStep::Command(n, Stable(slot)));
    }
    for (int n = 0; n < n_nodes; ++n) {
      if (n == owner || nodes[n].slave) continue;
      steps.push_back(CliStep::Command(n, SetSlot(slot, "NODE", nodes[owner])));
    }
    plan.open_case = OpenSlotCase::kColdMoveToOwner;
  } else if (n_migrating == 1 && n_importing > 1) {
    const int src = plan.migrating[0];
    const std::optional<NodeName> target = nodes[src].MigratingTo(slot);
    CHECK(target.has_value());
    int dst = -1;
    for (int n : plan.importing) {
      if (keys_in_slot[n] > 0) {
        unfixable = true;
        break;
      }
      if (nodes[n].name == *target) dst = n;
    }
    if (!unfixable && dst >= 0) {
      steps.push_back(CliStep::Log(
          absl::StrCat(">>> Case 3: Moving slot ", slot, " from ", addr(src), " to ",
                       addr(dst), " and closing it on all the other importing nodes.")));
      steps.push_back(CliStep::MoveSlot(src, dst, slot, kMoveVerbose));
      for (int n : plan.importing) {
        if (n != dst) steps.push_back(CliStep::Command(n, Stable(slot)));
      }
      plan.open_case = OpenSlotCase::kMoveToTarget;
    } else if (!unfixable) {
      steps.push_back(CliStep::Log(absl::StrCat(
          ">>> Case 3: Closing slot ", slot, " on both migrating and importing nodes.")));
      steps.push_back(CliStep::Command(src, Stable(slot)));
      for (int n : plan.importing) steps.push_back(CliStep::Command(n, Stable(slot)));
      plan.open_case = OpenSlotCase::kCloseAll;
    }
  } else {
    bool try_to_close = n_importing == 0 && n_migrating == 1;
    if (try_to_close && owner != plan.migrating[0]) {
      try_to_close = keys_in_slot[plan.migrating[0]] == 0;
    }
    if (try_to_close) {
      const int n = plan.migrating[0];
      steps.push_back(
          CliStep::Log(absl::StrCat(">>> Case 4: Closing slot ", slot, " on ", addr(n))));
      steps.push_back(CliStep::Command(n, Stable(slot)));
      plan.open_case = OpenSlotCase::kCloseMigrating;
    } else {
      unfixable = true;
    }
  }
  if (unfixable) {
    steps.push_back(CliStep::Log(absl::StrCat(
        "[ERR] Sorry, redis-cli can't fix this slot yet (work in progress). Slot is set "
        "as migrating in ",
        migrating_str, ", as importing in ", importing_str, ", owner is ", addr(owner))));
    plan.open_case = OpenSlotCase::kUnfixable;
    return plan;
  }
  plan.ok = true;
  return plan;
}

}  // namespace slotsim::model
