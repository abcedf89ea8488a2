#include "props/votes.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "props/cluster_view.h"
#include "scenarios/world.h"

namespace slotsim::props {

std::string VoteLedger::Granted(const std::string& voter, uint64_t epoch,
                                const model::NodeName& candidate,
                                bool voter_is_slot_owning_master) {
  ++grants_;
  auto [it, fresh] = votes_.emplace(std::make_pair(voter, epoch), candidate);
  tally_[candidate].emplace_back(epoch, voter);
  if (!fresh) {
    return absl::StrCat(voter, " voted twice in epoch ", epoch, " (for ",
                        std::string(it->second.short_name()), " and ",
                        std::string(candidate.short_name()), ")");
  }
  if (!voter_is_slot_owning_master) {
    return absl::StrCat(voter, " voted in epoch ", epoch,
                        " without being a master with slots");
  }
  return "";
}

void VoteLedger::ResetHard(const std::string& node) {
  for (auto it = votes_.begin(); it != votes_.end();) {
    it = it->first.first == node ? votes_.erase(it) : std::next(it);
  }
}

void VoteLedger::ElectionStarted(const std::string& candidate, uint64_t epoch) {
  election_epoch_[candidate] = epoch;
}

std::string VoteLedger::Promoted(const std::string& winner,
                                 const model::NodeName& winner_id, int size) {
  auto e = election_epoch_.find(winner);
  if (e == election_epoch_.end()) {
    return absl::StrCat(winner, " was promoted without starting an election");
  }
  const uint64_t epoch = e->second;
  election_epoch_.erase(e);
  auto [w, fresh] = winners_.emplace(epoch, winner);
  if (!fresh && w->second != winner) {
    return absl::StrCat(w->second, " and ", winner, " both won the election of epoch ",
                        epoch);
  }
  std::set<std::string> in_epoch;
  std::set<std::string> up_to_epoch;
  auto t = tally_.find(winner_id);
  if (t != tally_.end()) {
    for (const auto& [e, voter] : t->second) {
      if (e == epoch) in_epoch.insert(voter);
      if (e <= epoch) up_to_epoch.insert(voter);
    }
    tally_.erase(t);
  }
  const int quorum = Quorum(size);
  if (static_cast<int>(in_epoch.size()) >= quorum) return "";
  if (static_cast<int>(up_to_epoch.size()) >= quorum) {
    ++stale_vote_wins_;
    return "";
  }
  return absl::StrCat(winner, " won epoch ", epoch, " with ", up_to_epoch.size(),
                      " vote(s) granted, quorum ", quorum, " of ", size, " masters");
}

void VotesChecker::OnNodeEvent(const scenarios::World& world,
                               const scenarios::WorldEvent& event) {
  const model::NodeEvent& e = event.event;
  const model::Node* node = world.node(event.node);
  std::string violation;
  switch (e.kind) {
    case model::EventKind::kVoteGranted: {
      const bool owner =
          node != nullptr && node->is_master() && node->cluster().myself->num_slots > 0;
      violation =
          ledger_.Granted(event.node, static_cast<uint64_t>(e.value), e.peer, owner);
      break;
    }
    case model::EventKind::kElectionStarted:
      ledger_.ElectionStarted(event.node, static_cast<uint64_t>(e.value));
      break;
    case model::EventKind::kManualFailover:
      if (e.detail == "takeover") takeover_[event.node] = true;
      break;
    case model::EventKind::kPromoted: {
      auto t = takeover_.find(event.node);
      if (t != takeover_.end()) {
        takeover_.erase(t);  // no election
        break;
      }
      const int size = node != nullptr ? SlotOwningMasters(node->cluster()) : 0;
      violation = ledger_.Promoted(event.node, e.subject, size);
      break;
    }
    case model::EventKind::kCommand:
      if (absl::AsciiStrToLower(e.detail) == "cluster reset hard")
        ledger_.ResetHard(event.node);
      break;
    default:
      break;
  }
  if (!violation.empty()) Report(event.at, violation);
}

}  // namespace slotsim::props
