#include "scenarios/expectations.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "model/cluster_state.h"
#include "scenarios/slot_ranges.h"

namespace slotsim::scenarios {
namespace {

std::string Ms(int64_t ms) { return sim::Duration::Millis(ms).ToString(); }

const char* QuantName(Quantifier q) { return q == ANY ? "any" : "all"; }

// The view's name for `id` (a world name, or the short id).
std::string Display(const World& w, const model::NodeName& id) {
  std::string n = w.NameOfId(id);
  return n.empty() ? std::string(id.short_name()) : n;
}

}  // namespace

std::string ExpectationEvaluator::Describe(const Expectation& e) {
  std::string when;
  if (e.when_case() == Expectation::kAtMs) when = "at " + Ms(e.at_ms()) + ": ";
  if (e.when_case() == Expectation::kByMs) when = "by " + Ms(e.by_ms()) + ": ";
  if (e.when_case() == Expectation::WHEN_NOT_SET) when = "at the end: ";
  std::string what;
  switch (e.what_case()) {
    case Expectation::kRole:
      what = absl::StrCat(e.role().node(), " is ",
                          e.role().role() == RoleIs::MASTER ? "a master" : "a replica");
      if (e.role().has_master()) absl::StrAppend(&what, " of ", e.role().master());
      break;
    case Expectation::kOwns:
      what = absl::StrCat(e.owns().node(), " owns ", absl::StrJoin(e.owns().slots(), " "));
      if (!e.owns().observers().empty()) {
        absl::StrAppend(&what, " (", QuantName(e.owns().quantifier()), " of ",
                        absl::StrJoin(e.owns().observers(), ","), ")");
      }
      break;
    case Expectation::kClusterState:
      what = absl::StrCat("cluster_state is ",
                          e.cluster_state().state() == StateIs::OK ? "ok" : "fail");
      if (!e.cluster_state().nodes().empty()) {
        absl::StrAppend(&what, " on ", QuantName(e.cluster_state().quantifier()), " of ",
                        absl::StrJoin(e.cluster_state().nodes(), ","));
      }
      break;
    case Expectation::kNoFailover: what = "no failover happened"; break;
    case Expectation::kFailovers:
      what = absl::StrCat(e.failovers().count(), " failover(s) happened");
      break;
    case Expectation::kFlaggedFail:
      what = absl::StrCat(e.flagged_fail().node(), " is flagged fail");
      break;
    case Expectation::kWritesLost:
      what = absl::StrCat("at most ", e.writes_lost().max(), " acknowledged writes lost");
      break;
    case Expectation::kConfigEpoch:
      what = absl::StrCat(e.config_epoch().node(), " has configEpoch ",
                          e.config_epoch().epoch());
      break;
    case Expectation::kReplicas:
      what = absl::StrCat(e.replicas().master(), " has ", e.replicas().min(), "..",
                          e.replicas().max(), " working replicas");
      break;
    case Expectation::kAdmin:
      what = absl::StrCat("redis-cli ", e.admin().kind(), " run ", e.admin().nth(), " ",
                          e.admin().ok() ? "succeeded" : "failed");
      break;
    case Expectation::WHAT_NOT_SET: what = "(nothing)"; break;
  }
  if (e.has_note()) absl::StrAppend(&what, " -- ", e.note());
  return when + what;
}

std::vector<std::string> ExpectationEvaluator::RunningClusterNodes() const {
  std::vector<std::string> out;
  for (const std::string& name : world_.node_names()) {
    const model::Node* n = world_.node(name);
    if (n == nullptr || world_.IsPaused(name)) continue;
    if (n->cluster().nodes.size() < 2) continue;
    out.push_back(name);
  }
  return out;
}

bool ExpectationEvaluator::Holds(const Expectation& e, std::string* observed) const {
  switch (e.what_case()) {
    case Expectation::kRole: return RoleHolds(e.role(), observed);
    case Expectation::kOwns: return OwnsHolds(e.owns(), observed);
    case Expectation::kClusterState: return StateHolds(e.cluster_state(), observed);
    case Expectation::kNoFailover: {
      const int n = FailoversSoFar();
      *observed = absl::StrCat(n, " failover(s)");
      return n == 0;
    }
    case Expectation::kFailovers: {
      const int n = FailoversSoFar();
      *observed = absl::StrCat(n, " failover(s)");
      return n == e.failovers().count();
    }
    case Expectation::kFlaggedFail: return FlaggedHolds(e.flagged_fail(), observed);
    case Expectation::kWritesLost: {
      if (!lost_writes_) {
        *observed = "no write-loss analysis in this run";
        return false;
      }
      const int64_t lost = lost_writes_();
      *observed = absl::StrCat(lost, " lost");
      return lost <= e.writes_lost().max();
    }
    case Expectation::kConfigEpoch: return EpochHolds(e.config_epoch(), observed);
    case Expectation::kReplicas: return ReplicasHold(e.replicas(), observed);
    case Expectation::kAdmin: return AdminHolds(e.admin(), observed);
    case Expectation::WHAT_NOT_SET: return true;
  }
  return true;
}

bool ExpectationEvaluator::AdminHolds(const AdminOutcome& a, std::string* observed) const {
  int seen = 0;
  for (const CliRunRecord& run : record_.cli_runs) {
    if (run.command != a.kind() || ++seen != a.nth()) continue;
    *observed = run.ok ? "succeeded" : absl::StrCat("failed: ", run.error);
    return run.ok == a.ok();
  }
  *observed = absl::StrCat(seen, " finished ", a.kind(), " run(s)");
  return false;
}

bool ExpectationEvaluator::ReplicasHold(const ReplicaCount& r, std::string* observed) const {
  const model::Node* m = world_.node(r.master());
  if (m == nullptr) {
    *observed = r.master() + " is down";
    return false;
  }
  std::vector<std::string> names;
  for (const model::ClusterNode* rep : m->cluster().myself->replicas) {
    if (rep->Has(model::flags::kFail) || rep->Has(model::flags::kPFail)) continue;
    names.push_back(Display(world_, rep->name));
  }
  const int n = static_cast<int>(names.size());
  *observed = absl::StrCat(r.master(), " has ", n, " working replica(s)",
                           names.empty() ? "" : ": " + absl::StrJoin(names, ","));
  return n >= r.min() && n <= r.max();
}

int ExpectationEvaluator::FailoversSoFar() const {
  int n = 0;
  for (const FailoverRecord& f : record_.failovers) n += f.promoted_at <= world_.now();
  return n;
}

bool ExpectationEvaluator::RoleHolds(const RoleIs& r, std::string* observed) const {
  const model::Node* n = world_.node(r.node());
  if (n == nullptr) {
    *observed = r.node() + " is down";
    return false;
  }
  const model::ClusterNode* me = n->cluster().myself;
  if (me->is_master()) {
    *observed = r.node() + " is a master";
    return r.role() == RoleIs::MASTER;
  }
  const std::string master =
      me->replica_of == nullptr ? "(unknown)" : Display(world_, me->replica_of->name);
  *observed = r.node() + " is a replica of " + master;
  if (r.role() != RoleIs::REPLICA) return false;
  return !r.has_master() || r.master() == master;
}

bool ExpectationEvaluator::OwnsHolds(const OwnsSlots& o, std::string* observed) const {
  const model::Node* target = world_.node(o.node());
  std::vector<std::string> observers(o.observers().begin(), o.observers().end());
  if (observers.empty()) observers = RunningClusterNodes();
  if (target == nullptr) {
    *observed = o.node() + " is down";
    return false;
  }
  const model::NodeName target_id = target->name();
  int held = 0;
  std::vector<std::string> misses;
  for (const std::string& obs : observers) {
    const model::Node* n = world_.node(obs);
    bool ok = n != nullptr;
    std::string why = ok ? "" : obs + " is down";
    for (const std::string& text : o.slots()) {
      if (!ok) break;
      auto range = ParseSlotRange(text);
      if (!range.ok()) {
        ok = false;
        why = "bad range " + text;
        break;
      }
      for (int j = range->first; j <= range->last; ++j) {
        const model::ClusterNode* owner = n->cluster().slots[j];
        if (owner == nullptr || owner->name != target_id) {
          ok = false;
          why = absl::StrCat(obs, " sees slot ", j, " owned by ",
                             owner == nullptr ? "nobody" : Display(world_, owner->name));
          break;
        }
      }
    }
    if (ok) {
      ++held;
    } else {
      misses.push_back(why);
    }
  }
  const bool all = o.quantifier() != ANY;
  const bool result = all ? (held == static_cast<int>(observers.size()) && held > 0)
                          : held > 0;
  *observed = misses.empty() ? absl::StrCat(held, " view(s) agree")
                             : absl::StrJoin(misses, "; ");
  return result;
}

bool ExpectationEvaluator::StateHolds(const StateIs& s, std::string* observed) const {
  std::vector<std::string> nodes(s.nodes().begin(), s.nodes().end());
  if (nodes.empty()) nodes = RunningClusterNodes();
  const model::ClusterHealth want =
      s.state() == StateIs::OK ? model::ClusterHealth::kOk : model::ClusterHealth::kFail;
  int held = 0;
  std::vector<std::string> misses;
  for (const std::string& name : nodes) {
    const model::Node* n = world_.node(name);
    if (n != nullptr && n->cluster().state == want) {
      ++held;
    } else {
      misses.push_back(name + (n == nullptr ? " down"
                                            : (n->cluster().state == model::ClusterHealth::kOk
                                                   ? " ok"
                                                   : " fail")));
    }
  }
  const bool all = s.quantifier() != ANY;
  *observed = misses.empty() ? absl::StrCat(held, " node(s) as expected")
                             : absl::StrJoin(misses, ", ");
  return all ? (held == static_cast<int>(nodes.size()) && held > 0) : held > 0;
}

bool ExpectationEvaluator::FlaggedHolds(const FlaggedFail& f, std::string* observed) const {
  std::vector<std::string> observers(f.observers().begin(), f.observers().end());
  if (observers.empty()) {
    for (const std::string& n : RunningClusterNodes()) {
      if (n != f.node()) observers.push_back(n);
    }
  }
  const model::Node* subject = world_.node(f.node());
  // The subject's id: from its running process, else from any view that
  // knows the name (a crashed node keeps its id in its peers' tables).
  model::NodeName id;
  if (subject != nullptr) {
    id = subject->name();
  } else {
    for (const std::string& obs : observers) {
      const model::Node* n = world_.node(obs);
      if (n == nullptr) continue;
      for (const auto& peer : n->cluster().nodes) {
        if (world_.NameOfId(peer->name) == f.node()) id = peer->name;
      }
    }
  }
  int held = 0;
  std::vector<std::string> misses;
  for (const std::string& obs : observers) {
    const model::Node* n = world_.node(obs);
    const model::ClusterNode* peer = n == nullptr || id.empty() ? nullptr : n->cluster().Find(id);
    if (peer != nullptr && peer->Has(model::flags::kFail)) {
      ++held;
    } else {
      misses.push_back(obs + (peer == nullptr ? " does not know it"
                                              : " sees " + model::FlagsToString(peer->flags)));
    }
  }
  const bool all = f.quantifier() != ANY;
  *observed = misses.empty() ? absl::StrCat(held, " view(s) flag it") : absl::StrJoin(misses, "; ");
  return all ? (held == static_cast<int>(observers.size()) && held > 0) : held > 0;
}

bool ExpectationEvaluator::EpochHolds(const ConfigEpochIs& c, std::string* observed) const {
  const std::string observer = c.has_observer() ? c.observer() : c.node();
  const model::Node* view = world_.node(observer);
  const model::Node* subject = world_.node(c.node());
  if (view == nullptr || subject == nullptr) {
    *observed = (view == nullptr ? observer : c.node()) + " is down";
    return false;
  }
  const model::ClusterNode* n = view->cluster().Find(subject->name());
  if (n == nullptr) {
    *observed = observer + " does not know " + c.node();
    return false;
  }
  *observed = absl::StrCat(observer, " sees configEpoch ", n->config_epoch.value());
  return n->config_epoch.value() == c.epoch();
}

}  // namespace slotsim::scenarios
