// votes: a master grants at most one vote per epoch (across crashes and
// restarts), only a slot-owning master votes, and at most one replica wins an
// election epoch, with a majority of votes.
//
// Redis behaviour encoded (docs/redis-cluster-7.0-behaviour.md, 11.3-11.5):
//   - clusterSendFailoverAuthIfNeeded grants only if the voter is a master
//     with slots (rule 1) and lastVoteEpoch != currentEpoch (rule 3), then sets
//     lastVoteEpoch = currentEpoch and saves nodes.conf with fsync before the
//     ACK can leave (clusterBeforeSleep), so a restart cannot vote twice in an
//     epoch; CLUSTER RESET HARD zeroes the epochs (a new cluster life);
//   - a candidate starts an election by incrementing currentEpoch
//     (failover_auth_epoch) and wins with failover_auth_count >=
//     floor(size/2)+1 ACKs, then becomes master with configEpoch = that epoch
//     (clusterFailoverReplaceYourMaster). Two winners of one epoch would need
//     two majorities of single votes. CLUSTER FAILOVER TAKEOVER promotes
//     without an election (clusterBumpConfigEpochWithoutConsensus) and is not
//     an election win.
//
// Statement, over node events (kVoteGranted: value = epoch, peer = candidate;
// kElectionStarted: value = epoch; kPromoted; kManualFailover "takeover"):
//   (a) no node (world name, any incarnation) emits two kVoteGranted with the
//       same epoch, unless it ran CLUSTER RESET HARD in between;
//   (b) when it grants, the voter is a master owning slots in its own view;
//   (c) at most one node is promoted by winning a given election epoch;
//   (d) the winner of epoch E was granted votes by at least floor(size/2)+1
//       distinct masters (size = slot-owning masters in the winner's view when
//       promoted) in epochs E' <= E after its previous win. A win short of a
//       quorum in E itself is counted (stale_vote_wins), not reported: 7.0.15
//       resets failover_auth_count when it schedules an election but compares
//       an ACK's currentEpoch with the previous failover_auth_epoch until the
//       election starts (clusterProcessPacket, FAILOVER_AUTH_ACK), so an ACK of
//       the previous epoch delivered in between counts toward the next one.

#ifndef SLOTSIM_PROPS_VOTES_H_
#define SLOTSIM_PROPS_VOTES_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/types.h"
#include "scenarios/checker.h"

namespace slotsim::props {

// The pure state machine: feed it events, it returns violations.
class VoteLedger {
 public:
  // Each returns "" or the violation text.
  std::string Granted(const std::string& voter, uint64_t epoch,
                      const model::NodeName& candidate, bool voter_is_slot_owning_master);
  void ResetHard(const std::string& node);
  void ElectionStarted(const std::string& candidate, uint64_t epoch);
  // A promotion by election (not TAKEOVER) of `winner` (ID `winner_id`),
  // `size` slot-owning masters in its view.
  std::string Promoted(const std::string& winner, const model::NodeName& winner_id,
                       int size);

  int grants() const { return grants_; }
  int elections_won() const { return static_cast<int>(winners_.size()); }
  // Wins that needed votes granted in earlier epochs (see (d)).
  int stale_vote_wins() const { return stale_vote_wins_; }

 private:
  std::map<std::pair<std::string, uint64_t>, model::NodeName> votes_;  // (voter, epoch)
  // candidate -> (epoch, voter) of every vote granted to it since its last win
  std::map<model::NodeName, std::vector<std::pair<uint64_t, std::string>>> tally_;
  std::map<std::string, uint64_t> election_epoch_;  // candidate -> epoch
  std::map<uint64_t, std::string> winners_;         // epoch -> winner
  int grants_ = 0;
  int stale_vote_wins_ = 0;
};

class VotesChecker : public scenarios::Checker {
 public:
  std::string_view name() const override { return "votes"; }
  void OnNodeEvent(const scenarios::World& world,
                   const scenarios::WorldEvent& event) override;
  const VoteLedger& ledger() const { return ledger_; }

 private:
  VoteLedger ledger_;
  std::map<std::string, bool> takeover_;  // node -> TAKEOVER under way in this step
};

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_VOTES_H_
