#include "props/migration_hygiene.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "props/agreement.h"
#include "props/world_view.h"
#include "scenarios/run_record.h"
#include "scenarios/world.h"

namespace slotsim::props {
namespace {

bool IsManagerAction(std::string kind) {
  for (char& c : kind) {
    if (c == '_') c = '-';
  }
  static const std::set<std::string> kKinds = {"reshard",  "rebalance", "fix",
                                               "add-node", "del-node",  "create"};
  return kKinds.count(kind) > 0;
}

}  // namespace

std::vector<std::string> OpenSlots(const ClusterView& view) {
  std::vector<std::string> out;
  for (const NodeView& v : view.nodes) {
    if (!v.is_master()) continue;
    for (const auto& [slot, to] : v.cluster->migrating_slots_to) {
      out.push_back(absl::StrCat(v.name, ": slot ", slot, " migrating to ",
                                 to ? view.NameOf(to->name) : "?"));
    }
    for (const auto& [slot, from] : v.cluster->importing_slots_from) {
      out.push_back(absl::StrCat(v.name, ": slot ", slot, " importing from ",
                                 from ? view.NameOf(from->name) : "?"));
    }
  }
  return out;
}

std::vector<std::string> MisplacedKeys(const ClusterView& view, int max) {
  std::vector<std::string> out;
  const std::vector<int> members = Members(view);
  if (members.empty()) return out;
  const model::ClusterState& ref = *view.nodes[static_cast<size_t>(members[0])].cluster;
  for (int i : members) {
    const NodeView& v = view.nodes[static_cast<size_t>(i)];
    if (v.keyspace == nullptr || v.keyspace->empty()) continue;
    const model::ClusterNode* me = ref.Find(v.id());
    if (me == nullptr) continue;
    if (!me->is_master() && (v.replication == nullptr || !v.replication->link_up())) {
      continue;  // a (full) sync will replace its data
    }
    const model::ClusterNode* shard = me->is_master() ? me : me->replica_of;
    for (int slot : v.keyspace->SlotsWithKeys()) {
      if (ref.slots[slot] != nullptr && ref.slots[slot] == shard) continue;
      if (static_cast<int>(out.size()) >= max) return out;
      std::string key;
      v.keyspace->ForEachInSlot(slot, [&](std::string_view k, const model::Value&) {
        if (key.empty()) key = std::string(k);
      });
      out.push_back(
          absl::StrCat("key '", key, "' (slot ", slot, ") on ", v.name, ", slot owner ",
                       ref.slots[slot] ? view.NameOf(ref.slots[slot]->name) : "none"));
    }
  }
  return out;
}

void ManagerStatus::Note(const std::string& kind, const std::string& detail) {
  if (IsManagerAction(kind)) {
    ++in_progress;
    return;
  }
  const size_t dash = kind.rfind('-');
  if (dash != std::string::npos && IsManagerAction(kind.substr(0, dash))) {
    const std::string outcome = kind.substr(dash + 1);
    if (outcome != "done" && outcome != "failed") return;
    if (in_progress > 0) --in_progress;  // "-failed" also ends one that never started
    last_failed = outcome == "failed";
    if (!last_failed) {
      any_success = true;
      raw_open = false;
    }
    return;
  }
  if (kind == "command" && in_progress == 0) {
    const std::vector<std::string> t =
        absl::StrSplit(absl::AsciiStrToLower(detail), ' ', absl::SkipEmpty());
    if (t.size() >= 4 && t[0] == "cluster" && t[1] == "setslot" &&
        (t[3] == "migrating" || t[3] == "importing")) {
      raw_open = true;
    }
  }
}

void MigrationHygieneChecker::OnFault(const scenarios::World& world,
                                      const scenarios::FaultEvent& fault) {
  const size_t dash = fault.kind.rfind('-');
  if (dash == std::string::npos || fault.kind.substr(dash + 1) != "done" ||
      !IsManagerAction(fault.kind.substr(0, dash))) {
    return;
  }
  const ClusterView view = ViewOfWorld(world);
  const std::vector<std::string> open = OpenSlots(view);
  if (!open.empty()) {
    Report(fault.at, absl::StrCat(fault.kind.substr(0, dash),
                                  " finished but slots are still open: ",
                                  absl::StrJoin(open, "; ")));
  }
}

void MigrationHygieneChecker::OnNodeEvent(const scenarios::World& world,
                                          const scenarios::WorldEvent& event) {
  if (event.event.kind == model::EventKind::kPromoted) promoted_ = true;
}

void MigrationHygieneChecker::Finish(const scenarios::World& world,
                                     const scenarios::RunRecord& record) {
  const ClusterView view = ViewOfWorld(world);
  const AgreementReport agreement = CheckAgreement(view);
  if (!agreement.agreed) return;  // convergence reports
  const std::vector<std::string> misplaced = MisplacedKeys(view, 1 << 30);
  misplaced_ = static_cast<int>(misplaced.size());
  ManagerStatus status;
  for (const scenarios::FaultRecord& f : record.faults) status.Note(f.kind, f.detail);
  if (!status.Judged()) return;
  const std::vector<std::string> open = OpenSlots(view);
  if (!open.empty()) {
    Report(world.now(),
           absl::StrCat("open slots at the end: ", absl::StrJoin(open, "; ")));
  }
  const bool promoted = promoted_ || !record.failovers.empty();
  if (!promoted && !misplaced.empty()) {
    const std::vector<std::string> first(
        misplaced.begin(), misplaced.begin() + std::min<size_t>(5, misplaced.size()));
    Report(world.now(),
           absl::StrCat(misplaced.size(), " slot(s) hold keys outside their shard: ",
                        absl::StrJoin(first, "; ")));
  }
}

}  // namespace slotsim::props
