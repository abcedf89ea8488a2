#include "props/convergence.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "props/world_view.h"
#include "scenarios/run_record.h"
#include "scenarios/world.h"

namespace slotsim::props {

bool Converged(const ClusterView& view, std::string* why) {
  AgreementReport r = CheckAgreement(view);
  if (!r.agreed) {
    if (why != nullptr) *why = r.difference;
    return false;
  }
  for (int i : r.members) {
    const NodeView& v = view.nodes[static_cast<size_t>(i)];
    if (!v.state_ok()) {
      if (why != nullptr) *why = absl::StrCat(v.name, " has cluster_state fail");
      return false;
    }
  }
  return true;
}

sim::Duration ConvergenceChecker::time_to_converge() const {
  if (!converged() || heal_start_ == sim::Time::Max()) return sim::Duration::Max();
  return converged_at_ - heal_start_;
}

void ConvergenceChecker::OnPhase(const scenarios::World& world, scenarios::RunPhase phase,
                                 const scenarios::RunRecord& record) {
  if (phase != scenarios::RunPhase::kHeal) return;
  active_ = true;
  heal_start_ = record.heal_start != sim::Time::Max() ? record.heal_start : world.now();
  bound_ = record.converge_bound;
  if (bound_ <= sim::Duration::Zero()) {
    int64_t nt = 0;
    for (const std::string& n : world.node_names()) {
      nt = std::max(nt, world.spec(n).config.cluster_node_timeout_ms);
    }
    bound_ = sim::Duration::Millis(10 * nt);
  }
  view_ = ViewOfWorld(world);
  cache_.assign(view_.nodes.size(), Cache{});
  dirty_.assign(view_.nodes.size(), true);
  member_ids_.clear();
  next_check_ = world.now();
  Check(world);
}

void ConvergenceChecker::AfterEvent(const scenarios::World& world, int touched) {
  if (!active_ || converged()) return;
  for (int i : RefreshView(world, touched, &view_)) dirty_[static_cast<size_t>(i)] = true;
  if (world.now() >= next_check_) Check(world);
  if (!converged() && !reported_ && world.now() > heal_start_ + bound_) {
    reported_ = true;
    Report(world.now(), absl::StrCat("no convergence within ", bound_.ToString(),
                                     " after the heal: ", Reason(world)));
  }
}

void ConvergenceChecker::OnFault(const scenarios::World& world,
                                 const scenarios::FaultEvent& fault) {
  if (!active_) return;
  for (const std::string& name : fault.nodes) {
    const int i = view_.IndexOf(name);
    if (i < 0) continue;
    // A restarted node may get its new state at the old address.
    cache_[static_cast<size_t>(i)] = Cache{};
    RefreshNodeView(world, i, &view_.nodes[static_cast<size_t>(i)]);
    dirty_[static_cast<size_t>(i)] = true;
  }
}

void ConvergenceChecker::Check(const scenarios::World& world) {
  next_check_ = world.now() + period_;
  // Process faults do not always touch a node in the same event: re-read the
  // up/down state of every node (cheap) and mark changes dirty.
  for (size_t i = 0; i < view_.nodes.size(); ++i) {
    const model::Node* n = world.node(view_.nodes[i].name);
    const model::ClusterState* cs = n != nullptr ? &n->cluster() : nullptr;
    if (cs != view_.nodes[i].cluster ||
        world.IsPaused(view_.nodes[i].name) != view_.nodes[i].paused) {
      RefreshNodeView(world, static_cast<int>(i), &view_.nodes[i]);
      dirty_[i] = true;
    }
  }
  const std::vector<int> members = Members(view_);
  std::vector<model::NodeName> ids = MemberIds(view_, members);
  const bool ids_changed = ids != member_ids_;
  member_ids_ = std::move(ids);
  bool same = true;
  bool all_ok = true;
  bool have_ref = false;
  uint64_t ref_slots = 0;
  uint64_t ref_roles = 0;
  for (int i : members) {
    const NodeView& v = view_.nodes[static_cast<size_t>(i)];
    Cache& c = cache_[static_cast<size_t>(i)];
    if (c.cs != v.cluster || c.slots_version != v.cluster->slots_version) {
      c.cs = v.cluster;
      c.slots_version = v.cluster->slots_version;
      c.slot_digest = SlotTableDigest(*v.cluster);
      c.roles_valid = false;
    }
    if (dirty_[static_cast<size_t>(i)] || ids_changed || !c.roles_valid) {
      c.roles_digest = RolesDigest(*v.cluster, member_ids_);
      c.roles_valid = true;
    }
    all_ok = all_ok && v.state_ok();
    if (!have_ref) {
      have_ref = true;
      ref_slots = c.slot_digest;
      ref_roles = c.roles_digest;
    } else if (c.slot_digest != ref_slots || c.roles_digest != ref_roles) {
      same = false;
    }
  }
  std::fill(dirty_.begin(), dirty_.end(), false);
  if (!same || !all_ok) return;
  if (Converged(view_, nullptr)) converged_at_ = world.now();
}

std::string ConvergenceChecker::Reason(const scenarios::World& world) {
  view_ = ViewOfWorld(world);
  std::string why;
  if (Converged(view_, &why)) return "converged only now";
  return why;
}

void ConvergenceChecker::Finish(const scenarios::World& world,
                                const scenarios::RunRecord& record) {
  if (!active_ || converged() || reported_) return;
  // The runner ends the heal phase between events as soon as it sees the
  // cluster converged; the periodic check may not have run since.
  if (world.now() <= heal_start_ + bound_) Check(world);
  if (converged()) return;
  reported_ = true;
  Report(world.now(),
         absl::StrCat("the cluster never converged after the heal: ", Reason(world)));
}

}  // namespace slotsim::props
