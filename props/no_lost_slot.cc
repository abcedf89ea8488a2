#include "props/no_lost_slot.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "props/agreement.h"
#include "props/world_view.h"
#include "scenarios/world.h"

namespace slotsim::props {
namespace {

std::vector<std::string> Tokens(std::string_view text) {
  std::vector<std::string> out;
  for (absl::string_view t : absl::StrSplit(absl::string_view(text.data(), text.size()),
                                            ' ', absl::SkipEmpty())) {
    out.push_back(absl::AsciiStrToLower(t));
  }
  return out;
}

}  // namespace

int BoundSlots(const model::ClusterState& cs) {
  int n = 0;
  for (const auto& node : cs.nodes) n += node->num_slots;
  return n;
}

model::SlotBitmap SlotsBoundSomewhere(const ClusterView& view) {
  model::SlotBitmap out;
  for (const NodeView& v : view.nodes) {
    if (!v.up()) continue;
    for (int j = 0; j < model::kClusterSlots; ++j) {
      if (v.cluster->slots[j] != nullptr) out.Set(j);
    }
  }
  return out;
}

model::SlotBitmap UnservedSlots(const ClusterView& view,
                                const model::SlotBitmap& expected) {
  model::SlotBitmap bad;
  const std::vector<int> members = Members(view);
  if (members.empty()) return expected;
  const NodeView& ref = view.nodes[static_cast<size_t>(members[0])];
  for (int j = 0; j < model::kClusterSlots; ++j) {
    if (!expected.Test(j)) continue;
    const model::ClusterNode* owner = ref.cluster->slots[j];
    const int k = owner == nullptr ? -1 : view.IndexOfId(owner->name);
    if (k < 0) {
      bad.Set(j);
      continue;
    }
    const NodeView& o = view.nodes[static_cast<size_t>(k)];
    if (!IsMember(o) || !o.is_master() || !o.SelfOwns(j)) bad.Set(j);
  }
  return bad;
}

std::vector<int> DeletedSlotsOfCommand(std::string_view argv_text) {
  const std::vector<std::string> t = Tokens(argv_text);
  std::vector<int> out;
  if (t.size() < 3 || t[0] != "cluster") return out;
  std::vector<int> nums;
  for (size_t i = 2; i < t.size(); ++i) {
    int v = 0;
    if (!absl::SimpleAtoi(t[i], &v) || v < 0 || v >= model::kClusterSlots) return {};
    nums.push_back(v);
  }
  if (t[1] == "delslots") return nums;
  if (t[1] == "delslotsrange" && nums.size() % 2 == 0) {
    for (size_t i = 0; i + 1 < nums.size(); i += 2) {
      for (int s = nums[i]; s <= nums[i + 1]; ++s) out.push_back(s);
    }
  }
  return out;
}

// ---------------------------------------------------------------- checker

void NoLostSlotChecker::Init(const scenarios::World& world) {
  view_ = ViewOfWorld(world);
  claims_ = SlotClaims(static_cast<int>(view_.nodes.size()));
  claims_.UpdateAll(view_);
  base_.assign(view_.nodes.size(), Baseline{});
  notes_.assign(view_.nodes.size(), StepNote{});
  for (size_t i = 0; i < view_.nodes.size(); ++i) Rebase(static_cast<int>(i));
  owned_before_ = SlotsBoundSomewhere(view_);
  active_ = true;
}

void NoLostSlotChecker::Rebase(int i) {
  const NodeView& v = view_.nodes[static_cast<size_t>(i)];
  Baseline& b = base_[static_cast<size_t>(i)];
  b.cs = v.cluster;
  b.slots_version = v.cluster != nullptr ? v.cluster->slots_version : 0;
  b.bound = v.cluster != nullptr ? BoundSlots(*v.cluster) : 0;
}

void NoLostSlotChecker::OnPhase(const scenarios::World& world, scenarios::RunPhase phase,
                                const scenarios::RunRecord& record) {
  if (phase == scenarios::RunPhase::kSafety && !active_) Init(world);
}

void NoLostSlotChecker::OnNodeEvent(const scenarios::World& world,
                                    const scenarios::WorldEvent& event) {
  if (!active_) return;
  const int i = view_.IndexOf(event.node);
  if (i < 0) return;
  StepNote& note = notes_[static_cast<size_t>(i)];
  if (event.event.kind == model::EventKind::kCommand) {
    const std::vector<std::string> t = Tokens(event.event.detail);
    if (t.size() < 2 || t[0] != "cluster") return;
    const std::string& sub = t[1];
    if (sub == "delslots" || sub == "delslotsrange") {
      for (int s : DeletedSlotsOfCommand(event.event.detail)) exempt_.Set(s);
    } else if (sub == "flushslots" || sub == "reset") {
      const model::SlotBitmap& mine = claims_.claims(i);
      for (int j = 0; j < model::kClusterSlots; ++j) {
        if (mine.Test(j)) exempt_.Set(j);
      }
    } else if (sub != "forget") {
      return;
    }
    note.admin = true;
    noted_.push_back(i);
  } else if (event.event.kind == model::EventKind::kRoleChanged &&
             event.event.detail == "replica") {
    note.demoted = true;
    noted_.push_back(i);
  }
}

void NoLostSlotChecker::OnFault(const scenarios::World& world,
                                const scenarios::FaultEvent& fault) {
  if (!active_) return;
  const bool process = fault.kind == "crash" || fault.kind == "crash-power-loss" ||
                       fault.kind == "restart" || fault.kind == "start-failed";
  for (const std::string& name : fault.nodes) {
    const int i = view_.IndexOf(name);
    if (i < 0) continue;
    dirty_.push_back(i);
    if (process) {
      // A new ClusterState may sit where the old one was: start over.
      base_[static_cast<size_t>(i)].cs = nullptr;
      claims_.Forget(i);
    }
  }
}

void NoLostSlotChecker::AfterEvent(const scenarios::World& world, int touched) {
  if (!active_) Init(world);
  std::vector<int> refreshed = RefreshView(world, touched, &view_);
  for (int i : dirty_) {
    RefreshNodeView(world, i, &view_.nodes[static_cast<size_t>(i)]);
    refreshed.push_back(i);
  }
  dirty_.clear();
  for (int i : refreshed) {
    const NodeView& v = view_.nodes[static_cast<size_t>(i)];
    Baseline& b = base_[static_cast<size_t>(i)];
    if (v.cluster != b.cs || b.cs == nullptr) {
      Rebase(i);
    } else if (v.cluster != nullptr && v.cluster->slots_version != b.slots_version) {
      const int bound = BoundSlots(*v.cluster);
      const StepNote& note = notes_[static_cast<size_t>(i)];
      if (bound < b.bound) {
        if (note.admin) {
          // On purpose.
        } else if (note.demoted) {
          ++transient_;
        } else {
          Report(world.now(),
                 absl::StrCat(b.bound - bound, " slot(s) became unbound in ", v.name,
                              "'s view (", bound,
                              " bound now) without DELSLOTS, FLUSHSLOTS, RESET,"
                              " FORGET or a master-to-replica announcement"));
        }
      }
      b.slots_version = v.cluster->slots_version;
      b.bound = bound;
    }
    claims_.Update(i, v);
  }
  for (int i : noted_) notes_[static_cast<size_t>(i)] = StepNote{};
  noted_.clear();
}

void NoLostSlotChecker::Finish(const scenarios::World& world,
                               const scenarios::RunRecord& record) {
  if (!active_) return;
  const ClusterView view = ViewOfWorld(world);
  const AgreementReport agreement = CheckAgreement(view);
  if (!agreement.agreed || agreement.members.empty()) return;  // convergence reports
  model::SlotBitmap expected;
  for (int j = 0; j < model::kClusterSlots; ++j) {
    if (owned_before_.Test(j) && !exempt_.Test(j)) expected.Set(j);
  }
  const model::SlotBitmap bad = UnservedSlots(view, expected);
  if (bad.None()) return;
  const NodeView& ref = view.nodes[static_cast<size_t>(agreement.members[0])];
  const int first = bad.Ranges().front().first;
  const model::ClusterNode* owner = ref.cluster->slots[first];
  Report(world.now(),
         absl::StrCat(bad.Count(),
                      " slot(s) owned before the faults are not served after "
                      "convergence: ",
                      bad.ToRangeString(), " (slot ", first, " is bound to ",
                      owner == nullptr ? "nobody" : view.NameOf(owner->name), ")"));
}

}  // namespace slotsim::props
