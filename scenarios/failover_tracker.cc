#include "scenarios/failover_tracker.h"

namespace slotsim::scenarios {

bool FlagsTextHas(std::string_view text, std::string_view flag) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    if (text.substr(start, comma - start) == flag) return true;
    start = comma + 1;
  }
  return false;
}

std::string FailoverTracker::NameOf(const model::NodeName& id) const {
  std::string name = world_.NameOfId(id);
  return name.empty() ? std::string(id.short_name()) : name;
}

void FailoverTracker::OnEvent(const WorldEvent& e) {
  const model::NodeEvent& ev = e.event;
  switch (ev.kind) {
    case model::EventKind::kFlagsChanged: {
      const size_t arrow = ev.detail.find(" -> ");
      if (arrow == std::string::npos) return;
      const std::string_view after = std::string_view(ev.detail).substr(arrow + 4);
      const bool pfail = FlagsTextHas(after, "fail?");
      const bool fail = FlagsTextHas(after, "fail");
      const std::string subject = NameOf(ev.subject);
      if (subject == e.node) return;  // a node never suspects itself
      if (pfail || fail) {
        Episode& ep = open_[subject];
        ep.info.node = subject;
        ep.observers.insert(e.node);
        if (ep.info.pfail_at == sim::Time::Max()) ep.info.pfail_at = e.at;
        if (fail && ep.info.fail_at == sim::Time::Max()) ep.info.fail_at = e.at;
      } else {
        auto it = open_.find(subject);
        if (it == open_.end()) return;
        it->second.observers.erase(e.node);
        if (it->second.observers.empty()) {
          it->second.info.cleared_at = e.at;
          closed_.push_back(it->second.info);
          open_.erase(it);
        }
      }
      return;
    }
    case model::EventKind::kElectionStarted: {
      if (!ev.peer.empty()) election_started_[NameOf(ev.peer)] = e.at;
      return;
    }
    case model::EventKind::kPromoted: {
      FailoverRecord r;
      r.failed_node = ev.peer.empty() ? "" : NameOf(ev.peer);
      r.promoted_node = e.node;
      r.promoted_at = e.at;
      r.config_epoch = static_cast<uint64_t>(ev.value);
      r.manual = manual_.erase(e.node) > 0;
      auto ep = open_.find(r.failed_node);
      if (ep != open_.end()) {
        r.pfail_at = ep->second.info.pfail_at;
        r.fail_at = ep->second.info.fail_at;
        ep->second.info.replaced = true;
      } else {
        // The suspicion may already have cleared (FAIL of a slotless old
        // master clears on its first PONG); take the latest closed episode
        // that started before the promotion and was not used yet.
        for (auto it = closed_.rbegin(); it != closed_.rend(); ++it) {
          if (it->node == r.failed_node && !it->replaced && it->pfail_at <= e.at) {
            r.pfail_at = it->pfail_at;
            r.fail_at = it->fail_at;
            it->replaced = true;
            break;
          }
        }
      }
      auto es = election_started_.find(r.failed_node);
      if (es != election_started_.end()) {
        r.election_started_at = es->second;
        election_started_.erase(es);
      }
      failovers_.push_back(std::move(r));
      return;
    }
    default:
      return;
  }
}

std::vector<FailEpisode> FailoverTracker::fail_episodes() const {
  std::vector<FailEpisode> out;
  for (const FailEpisode& e : closed_) {
    if (e.fail_at != sim::Time::Max()) out.push_back(e);
  }
  for (const auto& [name, ep] : open_) {
    if (ep.info.fail_at != sim::Time::Max()) out.push_back(ep.info);
  }
  return out;
}

}  // namespace slotsim::scenarios
