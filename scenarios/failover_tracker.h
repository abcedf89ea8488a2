// FailoverTracker: turns the nodes' events into failover records for
// summaries, timelines and sweeps.
//
// A *suspicion episode* of node S is an interval during which at least one
// node flags S as PFAIL or FAIL in its view (kFlagsChanged events). The
// episode's first PFAIL and first FAIL times are kept; the episode ends when
// no view flags S any more. A failover record is written when a replica R
// reports kPromoted with S as its old master: it takes the episode's times
// (Max if S was never suspected, as in a manual failover), R's election start
// (kElectionStarted for S), the promotion time and R's new configEpoch.
//
// The tracker also counts, for sweeps, masters flagged FAIL while their
// process was running and reachable ("false" suspicions are judged by the
// caller, who knows the faults; the tracker only records FAIL episodes).

#ifndef SLOTSIM_SCENARIOS_FAILOVER_TRACKER_H_
#define SLOTSIM_SCENARIOS_FAILOVER_TRACKER_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "scenarios/run_record.h"
#include "scenarios/world.h"
#include "sim/time.h"

namespace slotsim::scenarios {

// One interval during which some view flagged a node FAIL.
struct FailEpisode {
  std::string node;
  sim::Time pfail_at = sim::Time::Max();
  sim::Time fail_at = sim::Time::Max();
  sim::Time cleared_at = sim::Time::Max();  // when no view flags it any more
  bool replaced = false;                    // a failover record consumed it
};

class FailoverTracker {
 public:
  explicit FailoverTracker(const World& world) : world_(world) {}

  // Feed every world event, in order.
  void OnEvent(const WorldEvent& e);
  // A manual failover was requested on `replica` (CLUSTER FAILOVER ...).
  void NoteManualFailover(const std::string& replica) { manual_.insert(replica); }

  const std::vector<FailoverRecord>& failovers() const { return failovers_; }
  // Every episode in which some view flagged a node FAIL (closed or open).
  std::vector<FailEpisode> fail_episodes() const;

 private:
  struct Episode {
    FailEpisode info;
    std::set<std::string> observers;  // views flagging it now
  };
  std::string NameOf(const model::NodeName& id) const;

  const World& world_;
  std::map<std::string, Episode> open_;      // by suspected node
  std::vector<FailEpisode> closed_;
  std::map<std::string, sim::Time> election_started_;  // by old master
  std::set<std::string> manual_;
  std::vector<FailoverRecord> failovers_;
};

// Whether the printed flags string (FlagsToString) contains `flag`
// ("fail?", "fail", "master", ...).
bool FlagsTextHas(std::string_view flags_text, std::string_view flag);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_FAILOVER_TRACKER_H_
