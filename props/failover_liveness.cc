#include "props/failover_liveness.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "props/agreement.h"
#include "props/world_view.h"
#include "scenarios/world.h"

namespace slotsim::props {

sim::Duration FailoverBound(int64_t node_timeout_ms, int replicas) {
  const int64_t nt = node_timeout_ms;
  const int64_t delay = 1000 + std::max(0, replicas - 1) * int64_t{1000};
  const int64_t ms =
      nt * 3 / 2 + 1000 + delay + 2 * std::max(2 * nt, int64_t{2000}) + delay + 1000;
  return sim::Duration::Millis(ms);
}

bool FreshReplica(const NodeView& replica, sim::Duration bound) {
  if (!replica.up() || replica.paused || replica.replica_no_failover) return false;
  if (replica.is_master() || replica.replication == nullptr ||
      !replica.replication->link_up()) {
    return false;
  }
  if (replica.replica_validity_factor == 0) return true;
  const int64_t limit_ms = replica.repl_ping_replica_period_s * 1000 +
                           replica.node_timeout_ms * replica.replica_validity_factor;
  return bound.millis() - replica.node_timeout_ms <= limit_ms;
}

void FailoverLivenessChecker::Init(const scenarios::World& world) {
  view_ = ViewOfWorld(world);
  ids_.assign(view_.nodes.size(), model::NodeName());
  down_.assign(view_.nodes.size(), false);
  node_timeout_ms_ = 0;
  for (size_t i = 0; i < view_.nodes.size(); ++i) {
    ids_[i] = view_.nodes[i].id();
    down_[i] = !view_.nodes[i].up() || view_.nodes[i].paused;
    node_timeout_ms_ = std::max(node_timeout_ms_, view_.nodes[i].node_timeout_ms);
  }
  active_ = true;
}

void FailoverLivenessChecker::OnPhase(const scenarios::World& world,
                                      scenarios::RunPhase phase,
                                      const scenarios::RunRecord& record) {
  if (phase == scenarios::RunPhase::kSafety && !active_) Init(world);
}

void FailoverLivenessChecker::OnFault(const scenarios::World& world,
                                      const scenarios::FaultEvent& fault) {
  if (!active_) return;
  const std::string& k = fault.kind;
  if (k == "partition" || k == "block" || k == "clog" || k == "extra-delay" ||
      k == "delay" || k == "clock-jump") {
    net_impaired_ = true;
    for (Watch& w : watches_) w.open = false;
    return;
  }
  if (k == "heal") {
    if (fault.detail == "all") net_impaired_ = false;
    return;
  }
  const bool down = k == "crash" || k == "crash-power-loss" || k == "pause";
  const bool back = k == "restart" || k == "resume";
  if (!down && !back) return;
  for (const std::string& name : fault.nodes) {
    const int i = view_.IndexOf(name);
    if (i < 0) continue;
    down_[static_cast<size_t>(i)] = down;
    if (back) {
      if (const model::Node* n = world.node(name))
        ids_[static_cast<size_t>(i)] = n->name();
      for (Watch& w : watches_) {
        if (w.failed == i) w.open = false;
      }
    } else {
      Down(world, i, fault.at);
    }
  }
  Recheck();
}

void FailoverLivenessChecker::Down(const scenarios::World& world, int i, sim::Time at) {
  view_ = ViewOfWorld(world);
  for (size_t k = 0; k < view_.nodes.size(); ++k) {
    if (view_.nodes[k].up()) ids_[k] = view_.nodes[k].id();
  }
  const model::NodeName x = ids_[static_cast<size_t>(i)];
  if (x.empty() || net_impaired_) return;
  // A reference view: another running member, masters first.
  const NodeView* ref = nullptr;
  for (int pass = 0; pass < 2 && ref == nullptr; ++pass) {
    for (size_t k = 0; k < view_.nodes.size(); ++k) {
      const NodeView& v = view_.nodes[k];
      if (static_cast<int>(k) == i || down_[k] || !IsMember(v)) continue;
      if (pass == 0 && !v.is_master()) continue;
      ref = &v;
      break;
    }
  }
  if (ref == nullptr) return;
  const model::ClusterState& cs = *ref->cluster;
  const model::ClusterNode* xn = cs.Find(x);
  if (xn == nullptr || !xn->is_master() || xn->num_slots == 0) return;
  Watch w;
  w.failed = i;
  w.id = x;
  w.since = at;
  w.quorum = Quorum(SlotOwningMasters(cs));
  for (const auto& n : cs.nodes) {
    if (n.get() == xn || !n->is_master() || n->num_slots == 0) continue;
    const int k = view_.IndexOfId(n->name);
    if (k >= 0) w.masters.push_back(k);
  }
  const sim::Duration bound =
      FailoverBound(node_timeout_ms_, static_cast<int>(xn->replicas.size()));
  w.deadline = at + bound;
  for (const model::ClusterNode* r : xn->replicas) {
    const int k = view_.IndexOfId(r->name);
    if (k < 0 || down_[static_cast<size_t>(k)]) continue;
    const NodeView& rv = view_.nodes[static_cast<size_t>(k)];
    if (rv.myself()->replica_of == nullptr || rv.myself()->replica_of->name != x)
      continue;
    if (FreshReplica(rv, bound)) w.replicas.push_back(k);
  }
  int up = 0;
  for (int k : w.masters) up += !down_[static_cast<size_t>(k)];
  if (w.replicas.empty() || up < w.quorum) return;
  ++required_;
  watches_.push_back(std::move(w));
}

void FailoverLivenessChecker::Recheck() {
  for (Watch& w : watches_) {
    if (!w.open) continue;
    int up = 0;
    for (int k : w.masters) up += !down_[static_cast<size_t>(k)];
    bool replica = false;
    for (int k : w.replicas) replica = replica || !down_[static_cast<size_t>(k)];
    if (up < w.quorum || !replica) w.open = false;
  }
  watches_.erase(std::remove_if(watches_.begin(), watches_.end(),
                                [](const Watch& w) { return !w.open; }),
                 watches_.end());
}

void FailoverLivenessChecker::OnNodeEvent(const scenarios::World& world,
                                          const scenarios::WorldEvent& event) {
  if (!active_ || event.event.kind != model::EventKind::kPromoted) return;
  for (Watch& w : watches_) {
    if (w.open && w.id == event.event.peer) {
      w.open = false;
      ++met_;
      slowest_ = std::max(slowest_, event.at - w.since);
    }
  }
}

void FailoverLivenessChecker::Expire(sim::Time now) {
  for (Watch& w : watches_) {
    if (!w.open || now <= w.deadline) continue;
    w.open = false;
    Report(now, absl::StrCat(
                    view_.nodes[static_cast<size_t>(w.failed)].name, " went down at ",
                    w.since.ToString(), " and was not replaced within ",
                    (w.deadline - w.since).ToString(), " although ", w.replicas.size(),
                    " fresh replica(s) and a quorum of masters ran"));
  }
}

void FailoverLivenessChecker::AfterEvent(const scenarios::World& world, int touched) {
  if (!watches_.empty()) Expire(world.now());
}

void FailoverLivenessChecker::Finish(const scenarios::World& world,
                                     const scenarios::RunRecord& record) {
  Expire(world.now());
}

}  // namespace slotsim::props
