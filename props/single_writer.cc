#include "props/single_writer.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "props/world_view.h"
#include "scenarios/run_record.h"
#include "scenarios/world.h"

namespace slotsim::props {

std::vector<WriterOverlap> FindWriterOverlaps(const ClusterView& view) {
  std::vector<WriterOverlap> out;
  const int n = static_cast<int>(view.nodes.size());
  std::map<std::pair<int, int>, WriterOverlap> found;
  std::vector<int> writers;
  for (int j = 0; j < model::kClusterSlots; ++j) {
    writers.clear();
    for (int i = 0; i < n; ++i) {
      if (view.nodes[static_cast<size_t>(i)].WritesSlot(j)) writers.push_back(i);
    }
    for (size_t x = 0; x < writers.size(); ++x) {
      for (size_t y = x + 1; y < writers.size(); ++y) {
        WriterOverlap& o = found[{writers[x], writers[y]}];
        if (o.slots == 0) {
          o.a = writers[x];
          o.b = writers[y];
          o.first_slot = j;
        }
        ++o.slots;
      }
    }
  }
  for (const auto& [pair, o] : found) out.push_back(o);
  return out;
}

int WritableSharedSlots(const NodeView& a, const NodeView& b, int shared) {
  if (!a.AcceptsWrites() || !b.AcceptsWrites()) return 0;
  std::set<int> excluded;
  for (const NodeView* x : {&a, &b}) {
    for (const auto& [slot, to] : x->cluster->migrating_slots_to) {
      if (a.SelfOwns(slot) && b.SelfOwns(slot) &&
          !(a.WritesSlot(slot) && b.WritesSlot(slot))) {
        excluded.insert(slot);
      }
    }
  }
  return shared - static_cast<int>(excluded.size());
}

const char* WriterWindowName(WriterWindow w) {
  switch (w) {
    case WriterWindow::kNone:
      return "none";
    case WriterWindow::kMinority:
      return "minority";
    case WriterWindow::kRejoin:
      return "rejoin";
    case WriterWindow::kBack:
      return "restart/resume";
  }
  return "?";
}

WriterWindow DocumentedWindow(const NodeView& x, sim::Time now, sim::Time back_at) {
  if (!x.up()) return WriterWindow::kNone;
  const int64_t nt = x.node_timeout_ms;
  if (back_at != sim::Time::Max() && back_at <= now &&
      (now - back_at).millis() <= 2 * nt) {
    return WriterWindow::kBack;
  }
  const int64_t silence_ms = x.NowMs(now) - QuorumContactMs(x, now);
  if (silence_ms <= nt / 2) return WriterWindow::kRejoin;
  if (silence_ms <= 2 * nt) return WriterWindow::kMinority;
  return WriterWindow::kNone;
}

WriterWindow EpisodeExcuse(const NodeView& a, const NodeView& b, sim::Time since,
                           sim::Time now, sim::Time a_back_at, sim::Time b_back_at) {
  const int64_t cap_ms = 2 * std::max(a.node_timeout_ms, b.node_timeout_ms);
  if ((now - since).millis() > cap_ms) return WriterWindow::kNone;
  // The older claim (lower configEpoch) is the one Redis expects to lose:
  // report its window first.
  const bool a_older = a.myself()->config_epoch <= b.myself()->config_epoch;
  const NodeView& first = a_older ? a : b;
  const NodeView& second = a_older ? b : a;
  const WriterWindow w1 = DocumentedWindow(first, now, a_older ? a_back_at : b_back_at);
  if (w1 != WriterWindow::kNone) return w1;
  return DocumentedWindow(second, now, a_older ? b_back_at : a_back_at);
}

// ---------------------------------------------------------------- checker

void SingleWriterChecker::Init(const scenarios::World& world) {
  view_ = ViewOfWorld(world);
  claims_ = SlotClaims(static_cast<int>(view_.nodes.size()));
  claims_.UpdateAll(view_);
  back_at_.assign(view_.nodes.size(), sim::Time::Max());
  active_ = true;
}

void SingleWriterChecker::OnPhase(const scenarios::World& world,
                                  scenarios::RunPhase phase,
                                  const scenarios::RunRecord& record) {
  if (phase == scenarios::RunPhase::kSafety && !active_) Init(world);
  if (phase == scenarios::RunPhase::kEnd) {
    for (const auto& [pair, e] : episodes_open_) {
      longest_ = std::max(longest_, world.now() - e.since);
    }
  }
}

void SingleWriterChecker::OnFault(const scenarios::World& world,
                                  const scenarios::FaultEvent& fault) {
  if (!active_) return;
  const bool back = fault.kind == "restart" || fault.kind == "resume";
  for (const std::string& name : fault.nodes) {
    const int i = view_.IndexOf(name);
    if (i < 0) continue;
    dirty_.push_back(i);
    claims_.Forget(i);
    if (back) back_at_[static_cast<size_t>(i)] = fault.at;
  }
}

void SingleWriterChecker::AfterEvent(const scenarios::World& world, int touched) {
  if (!active_) Init(world);
  for (int i : RefreshView(world, touched, &view_))
    claims_.Update(i, view_.nodes[static_cast<size_t>(i)]);
  for (int i : dirty_) {
    RefreshNodeView(world, i, &view_.nodes[static_cast<size_t>(i)]);
    claims_.Update(i, view_.nodes[static_cast<size_t>(i)]);
  }
  dirty_.clear();
  Examine(world.now());
}

void SingleWriterChecker::Examine(sim::Time now) {
  std::set<std::pair<int, int>> current;
  for (const auto& [pair, shared] : claims_.shared()) {
    const NodeView& a = view_.nodes[static_cast<size_t>(pair.first)];
    const NodeView& b = view_.nodes[static_cast<size_t>(pair.second)];
    const int writable = WritableSharedSlots(a, b, shared);
    if (writable <= 0) continue;
    current.insert(pair);
    auto [it, is_new] = episodes_open_.try_emplace(pair, Episode{now, false});
    Episode& e = it->second;
    if (is_new) ++episodes_;
    if (e.reported) continue;
    std::string why;
    if (strict_) {
      why = "overlap started";
    } else {
      const WriterWindow w =
          EpisodeExcuse(a, b, e.since, now, back_at_[static_cast<size_t>(pair.first)],
                        back_at_[static_cast<size_t>(pair.second)]);
      if (w != WriterWindow::kNone) continue;
      why = absl::StrCat(
          "outside the documented windows after ", (now - e.since).ToString(),
          " (bound 2*node_timeout; quorum contact ",
          a.NowMs(now) - QuorumContactMs(a, now), " ms ago on ", a.name, ", ",
          b.NowMs(now) - QuorumContactMs(b, now), " ms ago on ", b.name, ")");
    }
    e.reported = true;
    Report(now, absl::StrCat(a.name, " (configEpoch ", a.myself()->config_epoch.value(),
                             ") and ", b.name, " (configEpoch ",
                             b.myself()->config_epoch.value(),
                             ") both accept writes for ", writable, " slot(s), first ",
                             claims_.FirstShared(pair.first, pair.second), ": ", why));
  }
  for (auto it = episodes_open_.begin(); it != episodes_open_.end();) {
    if (current.count(it->first) > 0) {
      ++it;
      continue;
    }
    longest_ = std::max(longest_, now - it->second.since);
    it = episodes_open_.erase(it);
  }
}

}  // namespace slotsim::props
