#include "props/epochs.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "model/nodes_conf.h"
#include "props/agreement.h"
#include "props/world_view.h"
#include "scenarios/run_record.h"
#include "scenarios/world.h"

namespace slotsim::props {

const model::ClusterNode* EpochAboveCurrent(const model::ClusterState& cs) {
  for (const auto& n : cs.nodes) {
    if (n->config_epoch > cs.current_epoch) return n.get();
  }
  return nullptr;
}

std::vector<std::pair<int, int>> DuplicateMasterEpochs(const ClusterView& view) {
  std::vector<std::pair<int, int>> out;
  std::map<uint64_t, int> seen;
  for (int i : Members(view)) {
    const NodeView& v = view.nodes[static_cast<size_t>(i)];
    if (!v.is_master()) continue;
    auto [it, fresh] = seen.emplace(v.myself()->config_epoch.value(), i);
    if (!fresh) out.emplace_back(it->second, i);
  }
  return out;
}

uint64_t PersistedCurrentEpoch(const std::string& nodes_conf) {
  auto parsed = model::ParseNodesConf(nodes_conf);
  return parsed.ok() ? parsed->current_epoch.value() : 0;
}

// ---------------------------------------------------------------- checker

void EpochsChecker::Init(const scenarios::World& world) {
  view_ = ViewOfWorld(world);
  nodes_.assign(view_.nodes.size(), NodeState{});
  for (size_t i = 0; i < view_.nodes.size(); ++i) {
    const NodeView& v = view_.nodes[i];
    nodes_[i].cs = v.cluster;
    nodes_[i].current = v.up() ? v.cluster->current_epoch.value() : 0;
  }
  active_ = true;
}

void EpochsChecker::OnPhase(const scenarios::World& world, scenarios::RunPhase phase,
                            const scenarios::RunRecord& record) {
  if (phase == scenarios::RunPhase::kSafety && !active_) Init(world);
}

void EpochsChecker::OnFault(const scenarios::World& world,
                            const scenarios::FaultEvent& fault) {
  if (!active_) return;
  for (const std::string& name : fault.nodes) {
    const int i = view_.IndexOf(name);
    if (i < 0) continue;
    dirty_.push_back(i);
    NodeState& s = nodes_[static_cast<size_t>(i)];
    if (fault.kind == "crash") s.down = Down::kProcess;
    if (fault.kind == "crash-power-loss") s.down = Down::kPowerLoss;
    // A new ClusterState may sit where the old one was.
    if (s.down != Down::kNo || fault.kind == "restart") s.cs = nullptr;
  }
}

void EpochsChecker::OnNodeEvent(const scenarios::World& world,
                                const scenarios::WorldEvent& event) {
  if (!active_) return;
  const int i = view_.IndexOf(event.node);
  if (i < 0) return;
  NodeState& s = nodes_[static_cast<size_t>(i)];
  if (event.event.kind == model::EventKind::kConfigEpoch) {
    s.config_epochs.push_back(static_cast<uint64_t>(event.event.value));
  } else if (event.event.kind == model::EventKind::kCommand) {
    const std::string argv = absl::AsciiStrToLower(event.event.detail);
    if (argv == "cluster reset hard") s.reset_hard = true;
  }
}

void EpochsChecker::AfterEvent(const scenarios::World& world, int touched) {
  if (!active_) Init(world);
  for (int i : RefreshView(world, touched, &view_)) CheckNode(world, i);
  for (int i : dirty_) {
    RefreshNodeView(world, i, &view_.nodes[static_cast<size_t>(i)]);
    CheckNode(world, i);
  }
  dirty_.clear();
}

void EpochsChecker::CheckNode(const scenarios::World& world, int i) {
  const NodeView& v = view_.nodes[static_cast<size_t>(i)];
  NodeState& s = nodes_[static_cast<size_t>(i)];
  if (!v.up()) {
    s.cs = nullptr;
    s.config_epochs.clear();
    s.reset_hard = false;
    return;
  }
  const model::ClusterState& cs = *v.cluster;
  const uint64_t current = cs.current_epoch.value();
  if (v.cluster != s.cs || s.down != Down::kNo) {
    // (Re)started from its nodes.conf: at least what the file says. Redis
    // does not save a currentEpoch adopted from a header (clusterProcessPacket
    // only flags a save for a configEpoch change), so it may come back lower
    // than before the crash; that is counted, not reported.
    if (s.down != Down::kNo) {
      const auto conf = world.PersistedConfig(v.name);
      const uint64_t on_disk = conf.has_value() ? PersistedCurrentEpoch(*conf) : 0;
      if (current < on_disk) {
        Report(world.now(), absl::StrCat(v.name, " restarted with currentEpoch ", current,
                                         " < ", on_disk, " in its nodes.conf"));
      }
      if (current < s.current) ++regressions_;
    }
    if (const model::ClusterNode* n = EpochAboveCurrent(cs)) {
      Report(world.now(),
             absl::StrCat(v.name, " loaded configEpoch ", n->config_epoch.value(), " of ",
                          view_.NameOf(n->name), " > currentEpoch ", current));
    }
    s.cs = v.cluster;
    s.down = Down::kNo;
  } else if (current < s.current && !s.reset_hard) {
    Report(world.now(), absl::StrCat(v.name, "'s currentEpoch went down from ", s.current,
                                     " to ", current, " without CLUSTER RESET HARD"));
  }
  if (cs.myself->config_epoch.value() > current) {
    Report(world.now(),
           absl::StrCat(v.name, "'s own configEpoch ", cs.myself->config_epoch.value(),
                        " > its currentEpoch ", current));
  }
  for (uint64_t e : s.config_epochs) {
    if (e > current) {
      Report(world.now(), absl::StrCat(v.name, " adopted configEpoch ", e,
                                       " > its currentEpoch ", current));
    }
  }
  s.config_epochs.clear();
  s.reset_hard = false;
  s.current = current;
}

void EpochsChecker::Finish(const scenarios::World& world,
                           const scenarios::RunRecord& record) {
  if (!active_ || record.converged_at == sim::Time::Max()) return;
  int64_t nt = 0;
  for (const std::string& n : world.node_names()) {
    nt = std::max(nt, world.spec(n).config.cluster_node_timeout_ms);
  }
  if ((world.now() - record.converged_at).millis() < nt) return;  // too early to tell
  const ClusterView view = ViewOfWorld(world);
  if (!CheckAgreement(view).agreed) return;
  for (const auto& [a, b] : DuplicateMasterEpochs(view)) {
    Report(world.now(),
           absl::StrCat("masters ", view.nodes[static_cast<size_t>(a)].name, " and ",
                        view.nodes[static_cast<size_t>(b)].name, " share configEpoch ",
                        view.nodes[static_cast<size_t>(a)].myself()->config_epoch.value(),
                        " after convergence"));
  }
}

}  // namespace slotsim::props
