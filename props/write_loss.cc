#include "props/write_loss.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "model/node.h"
#include "props/agreement.h"
#include "props/cluster_view.h"
#include "props/world_view.h"
#include "scenarios/run_record.h"
#include "scenarios/world.h"

namespace slotsim::props {
namespace {

using scenarios::ClientOp;

bool CutOffAt(const NodeTimeline& t, sim::Time at) {
  for (const auto& [from, to] : t.cut_off) {
    if (from <= at && at < to) return true;
  }
  return false;
}

// The window that explains the loss of data `holder` has held since `since`
// (steps 2-3 of the header), following it down at most `depth` hand-overs.
LossWindow FollowData(const LossContext& context, const std::string& holder, int slot,
                      sim::Time since, int depth) {
  auto it = context.nodes.find(holder);
  if (it == context.nodes.end()) return LossWindow::kUnexplained;
  const NodeTimeline& t = it->second;
  for (const Replacement& r : t.replaced) {
    if (r.at > since && r.mode != "default") {
      return CutOffAt(t, since) ? LossWindow::kMinoritySide
                                : LossWindow::kAsyncReplication;
    }
  }
  for (sim::Time c : t.crashes) {
    if (c > since) return LossWindow::kRestartWithoutPersistence;
  }
  if (depth == 0) return LossWindow::kUnexplained;
  for (const Replacement& r : t.replaced) {
    if (r.at <= since || r.by.empty()) continue;
    const LossWindow w = FollowData(context, r.by, slot, r.at, depth - 1);
    if (w != LossWindow::kUnexplained) return w;
  }
  for (const Migration& m : t.migrated) {
    if (m.at <= since || m.slot != slot || m.to.empty() || m.to == holder) continue;
    const LossWindow w = FollowData(context, m.to, slot, m.at, depth - 1);
    if (w != LossWindow::kUnexplained) return w;
  }
  return LossWindow::kUnexplained;
}

LossWindow Attribute(const LossContext& context, const ClientOp& w) {
  auto it = context.nodes.find(w.node);
  if (it == context.nodes.end()) return LossWindow::kUnexplained;
  const NodeTimeline& t = it->second;
  const sim::Time at = w.completed;
  for (const Replacement& r : t.replaced) {
    if (r.at <= at) {
      return CutOffAt(t, at) ? LossWindow::kMinoritySide : LossWindow::kStaleRouting;
    }
  }
  return FollowData(context, w.node, w.slot, at, 8);
}

// "CLUSTER SETSLOT <slot> MIGRATING|IMPORTING <id>" (any case) -> its parts.
bool ParseSetSlotOpen(const std::string& argv, int* slot, std::string* action,
                      std::string* id) {
  const std::vector<std::string> words = absl::StrSplit(argv, ' ', absl::SkipEmpty());
  if (words.size() != 5 || !absl::EqualsIgnoreCase(words[0], "cluster") ||
      !absl::EqualsIgnoreCase(words[1], "setslot")) {
    return false;
  }
  *action = absl::AsciiStrToLower(words[3]);
  if (*action != "migrating" && *action != "importing") return false;
  if (!absl::SimpleAtoi(words[2], slot)) return false;
  *id = words[4];
  return true;
}

}  // namespace

std::vector<std::vector<std::string>> PartitionGroups(const std::string& detail) {
  std::string text = detail;
  const size_t mode = text.rfind(" mode=");
  if (mode != std::string::npos) text.resize(mode);
  std::vector<std::vector<std::string>> groups;
  for (absl::string_view g : absl::StrSplit(text, " | ")) {
    std::vector<std::string> names;
    for (absl::string_view n : absl::StrSplit(g, ',', absl::SkipEmpty())) {
      names.emplace_back(n);
    }
    if (!names.empty()) groups.push_back(std::move(names));
  }
  return groups;
}

std::vector<std::string> MinorityOfPartition(const scenarios::World& world,
                                             const std::string& detail) {
  const std::vector<std::vector<std::string>> groups = PartitionGroups(detail);
  const ClusterView view = ViewOfWorld(world);
  const std::vector<int> members = Members(view);
  std::vector<std::string> out;
  if (members.empty()) return out;
  // Slot-owning masters, by world name, in a member's view.
  const model::ClusterState& ref = *view.nodes[static_cast<size_t>(members[0])].cluster;
  std::set<std::string> masters;
  for (const auto& n : ref.nodes) {
    if (n->is_master() && n->num_slots > 0) masters.insert(world.NameOfId(n->name));
  }
  const int quorum = Quorum(static_cast<int>(masters.size()));
  std::set<std::string> named;
  for (const auto& g : groups) named.insert(g.begin(), g.end());
  int unnamed_masters = 0;
  for (const std::string& m : masters) unnamed_masters += named.count(m) == 0;
  for (const auto& g : groups) {
    int reach = unnamed_masters;
    for (const std::string& n : g) reach += masters.count(n);
    if (reach < quorum) out.insert(out.end(), g.begin(), g.end());
  }
  return out;
}

const char* LossWindowName(LossWindow w) {
  switch (w) {
    case LossWindow::kAsyncReplication:
      return "async_replication";
    case LossWindow::kMinoritySide:
      return "minority_side";
    case LossWindow::kStaleRouting:
      return "stale_routing";
    case LossWindow::kRestartWithoutPersistence:
      return "restart_without_persistence";
    case LossWindow::kUnexplained:
      return "unexplained";
  }
  return "?";
}

std::string WriteLossSummary::ToString() const {
  std::string s = absl::StrCat("acked=", acked, " lost=", lost, " unknown=", unknown);
  for (int w = 0; w < kLossWindows; ++w) {
    absl::StrAppend(&s, " ", LossWindowName(static_cast<LossWindow>(w)), "=",
                    lost_by_window[static_cast<size_t>(w)]);
  }
  absl::StrAppend(&s, " lost_despite_wait=", lost_despite_wait);
  return s;
}

WriteLossSummary ClassifyWriteLoss(const scenarios::History& history,
                                   const FinalValues& finals,
                                   const LossContext& context) {
  WriteLossSummary out;
  // (key, value) -> the SETs that wrote it (values are unique per write, but
  // do not rely on it).
  std::map<std::pair<std::string, std::string>, std::vector<const ClientOp*>> writers;
  for (const ClientOp& op : history.ops()) {
    if (op.kind == ClientOp::Kind::kSet) writers[{op.key, op.value}].push_back(&op);
  }
  for (const ClientOp& w : history.ops()) {
    if (!w.acked_write()) continue;
    ++out.acked;
    auto f = finals.find(w.key);
    if (f == finals.end() || !f->second.known) {
      ++out.unknown;
      continue;
    }
    const FinalValue& fv = f->second;
    if (fv.exists && fv.data == w.value) {
      ++out.survived;
      continue;
    }
    bool superseded = false;
    if (fv.exists) {
      auto it = writers.find({w.key, fv.data});
      if (it != writers.end()) {
        for (const ClientOp* other : it->second) {
          if (other->id != w.id && !(other->completed < w.invoked)) superseded = true;
        }
      }
    }
    if (superseded) {
      ++out.superseded;
      continue;
    }
    ++out.lost;
    const LossWindow window = Attribute(context, w);
    ++out.lost_by_window[static_cast<size_t>(window)];
    if (w.wait_replicas >= 1) ++out.lost_despite_wait;
    out.lost_writes.push_back(LostWrite{w.id, w.key, w.node, w.completed, window});
  }
  return out;
}

// ---------------------------------------------------------------- checker

void WriteLossChecker::OnNodeEvent(const scenarios::World& world,
                                   const scenarios::WorldEvent& event) {
  const model::NodeEvent& e = event.event;
  if (e.kind == model::EventKind::kManualFailover) {
    std::string mode;
    if (e.detail == "takeover") mode = "takeover";
    if (absl::StartsWith(e.detail, "force")) mode = "force";
    if (absl::StartsWith(e.detail, "requested")) mode = "default";
    if (!mode.empty()) {
      manual_[event.node] =
          PendingManual{mode, event.at + sim::Duration::Millis(model::kMfTimeoutMs)};
    }
    return;
  }
  if (e.kind == model::EventKind::kCommand) {
    int slot = -1;
    std::string action, id;
    if (!ParseSetSlotOpen(e.detail, &slot, &action, &id)) return;
    const std::optional<model::NodeName> peer = model::NodeName::Parse(id);
    if (!peer) return;
    const std::string other = world.NameOfId(*peer);
    if (other.empty() || other == event.node) return;
    if (action == "migrating") {
      context_.nodes[event.node].migrated.push_back(Migration{event.at, slot, other});
    } else {
      context_.nodes[other].migrated.push_back(Migration{event.at, slot, event.node});
    }
    return;
  }
  if (e.kind != model::EventKind::kPromoted) return;
  std::string mode = "auto";
  auto m = manual_.find(event.node);
  if (m != manual_.end()) {
    if (event.at <= m->second.until) mode = m->second.mode;
    manual_.erase(m);
  }
  const std::string old = world.NameOfId(e.peer);
  if (old.empty()) return;
  context_.nodes[old].replaced.push_back(Replacement{event.at, mode, event.node});
}

void WriteLossChecker::OnFault(const scenarios::World& world,
                               const scenarios::FaultEvent& fault) {
  const std::string& k = fault.kind;
  if (k == "crash" || k == "crash-power-loss") {
    for (const std::string& n : fault.nodes)
      context_.nodes[n].crashes.push_back(fault.at);
  } else if (k == "partition") {
    for (const std::string& n : MinorityOfPartition(world, fault.detail)) {
      context_.nodes[n].cut_off.emplace_back(fault.at, sim::Time::Max());
    }
  } else if (k == "block" || k == "clog") {
    for (const std::string& n : fault.nodes) {
      context_.nodes[n].cut_off.emplace_back(fault.at, sim::Time::Max());
    }
  } else if (k == "heal") {
    for (auto& [name, t] : context_.nodes) {
      for (auto& interval : t.cut_off) {
        if (interval.second == sim::Time::Max()) interval.second = fault.at;
      }
    }
  }
}

void WriteLossChecker::Finish(const scenarios::World& world,
                              const scenarios::RunRecord& record) {
  const ClusterView view = ViewOfWorld(world);
  const AgreementReport agreement = CheckAgreement(view);
  // The node serving each slot that some key of the history lives in.
  std::map<int, int> server;  // slot -> node index, -1 unknown
  for (const scenarios::ClientOp& op : record.history.ops()) {
    if (server.count(op.slot) > 0) continue;
    int who = -1;
    if (agreement.agreed && !agreement.members.empty()) {
      const model::ClusterNode* owner =
          view.nodes[static_cast<size_t>(agreement.members[0])].cluster->slots[op.slot];
      if (owner != nullptr) who = view.IndexOfId(owner->name);
    } else {
      uint64_t best = 0;
      for (size_t i = 0; i < view.nodes.size(); ++i) {
        const NodeView& v = view.nodes[i];
        if (!v.is_master() || !v.SelfOwns(op.slot)) continue;
        const uint64_t e = v.myself()->config_epoch.value();
        if (who < 0 || e > best) {
          who = static_cast<int>(i);
          best = e;
        }
      }
    }
    server[op.slot] = who;
  }
  FinalValues finals;
  for (const scenarios::ClientOp& op : record.history.ops()) {
    if (finals.count(op.key) > 0) continue;
    FinalValue fv;
    const int who = server[op.slot];
    if (who >= 0 && view.nodes[static_cast<size_t>(who)].keyspace != nullptr) {
      fv.known = true;
      if (const model::Value* v =
              view.nodes[static_cast<size_t>(who)].keyspace->Get(op.key)) {
        fv.exists = true;
        fv.data = v->data;
      }
    }
    finals[op.key] = std::move(fv);
  }
  summary_ = ClassifyWriteLoss(record.history, finals, context_);
  int reported = 0;
  for (const LostWrite& lw : summary_.lost_writes) {
    if (lw.window != LossWindow::kUnexplained) continue;
    if (++reported > 10) break;
    Report(world.now(), absl::StrCat("acknowledged write #", lw.op, " to '", lw.key,
                                     "' by ", lw.node, " at ", lw.acked.ToString(),
                                     " is lost and no documented window explains it"));
  }
  if (reported > 10) {
    Report(world.now(),
           absl::StrCat(summary_.unexplained(), " unexplained lost writes in all (",
                        summary_.ToString(), ")"));
  }
}

}  // namespace slotsim::props
