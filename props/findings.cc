#include "props/findings.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace slotsim::props {
namespace {

using scenarios::FaultRecord;
using scenarios::RunRecord;
using scenarios::Violation;

bool ContainsNoCase(const std::string& text, const char* what) {
  return absl::StrContains(absl::AsciiStrToUpper(text), what);
}

// ---- failover-during-open-import
//
// A slot is left open (IMPORTING on the target, MIGRATING on the source) by a
// raw CLUSTER SETSLOT or by a redis-cli run that did not finish, and the
// source's shard fails over while it is open. The importing node ignores every
// claim for the slot (clusterUpdateSlotsConfigWith skips importing slots) and
// unbinds it when the old source announces it is a replica
// (clusterProcessPacket -> clusterDelNodeSlots), so the members never agree
// on the slot again: the convergence property fails on a slot disagreement.

// When the run first left a slot open, or Max.
sim::Time FirstOpenSlot(const RunRecord& record) {
  sim::Time first = sim::Time::Max();
  for (const FaultRecord& f : record.faults) {
    const bool raw_import = f.kind == "command" && ContainsNoCase(f.detail, "SETSLOT") &&
                            ContainsNoCase(f.detail, "IMPORTING");
    // redis-cli --cluster reshard/rebalance that failed mid-way
    // (Runner::StartAdmin records "<kind>-failed").
    const bool failed_move = f.kind == "reshard-failed" || f.kind == "rebalance-failed";
    if ((raw_import || failed_move) && f.at < first) first = f.at;
  }
  return first;
}

bool RecognizeFailoverDuringOpenImport(const Violation& v, const RunRecord& record) {
  // "... after the heal: slot 100: m1 says r1, m2 says (none)"
  if (!absl::StrContains(v.message, ": slot ") || !absl::StrContains(v.message, " says ")) {
    return false;
  }
  const sim::Time opened = FirstOpenSlot(record);
  if (opened == sim::Time::Max()) return false;
  for (const scenarios::FailoverRecord& f : record.failovers) {
    if (f.promoted_at != sim::Time::Max() && f.promoted_at >= opened) return true;
  }
  return false;
}

// ---- takeover-in-minority-split-brain
//
// CLUSTER FAILOVER TAKEOVER on a replica cut off with a minority of the
// masters: the replica takes its master's slots without any vote
// (clusterBumpConfigEpochWithoutConsensus, clusterFailoverReplaceYourMaster),
// so the minority side now holds a majority of the slot-owning masters. It can
// flag the unreachable masters FAIL and elect their replicas, while the
// majority side does the same: two masters accept writes for the same slots
// until the partition heals, and the side that loses the epoch comparison at
// the heal drops the writes it acknowledged (write_loss).

// "A (configEpoch 1) and B (configEpoch 8) both accept writes ..." -> {A, B}.
std::set<std::string> WritersOf(const std::string& message) {
  std::set<std::string> out;
  const size_t first_end = message.find(" (configEpoch");
  const size_t and_at = message.find(") and ");
  if (first_end == std::string::npos || and_at == std::string::npos) return out;
  out.insert(message.substr(0, first_end));
  const size_t second = and_at + 6;
  const size_t second_end = message.find(" (configEpoch", second);
  if (second_end != std::string::npos) out.insert(message.substr(second, second_end - second));
  return out;
}

// write_loss: "acknowledged write #961 to 'k552' by r1b at 13.951s is lost
// ..." -> {r1b}; the run's summary line ("N unexplained lost writes in all")
// -> every node of the run's failovers (it is explained when the run's single
// lost writes are).
std::set<std::string> LosersOf(const Violation& v, const RunRecord& record) {
  std::set<std::string> out;
  const size_t by = v.message.find(" by ");
  if (absl::StartsWith(v.message, "acknowledged write ") && by != std::string::npos) {
    const size_t end = v.message.find(" at ", by + 4);
    if (end != std::string::npos) out.insert(v.message.substr(by + 4, end - by - 4));
  } else if (absl::StrContains(v.message, "unexplained lost writes in all")) {
    for (const scenarios::FailoverRecord& f : record.failovers) {
      out.insert(f.promoted_node);
      out.insert(f.failed_node);
    }
  }
  return out;
}

bool RecognizeTakeoverInMinority(const Violation& v, const RunRecord& record) {
  const std::set<std::string> writers =
      v.property == "write_loss" ? LosersOf(v, record) : WritersOf(v.message);
  if (writers.empty()) return false;
  sim::Time takeover = sim::Time::Max();
  for (const FaultRecord& f : record.faults) {
    if (f.kind == "failover" && ContainsNoCase(f.detail, "TAKEOVER") &&
        !absl::StrContains(f.detail, "-> -") && f.at <= v.at) {
      bool cut = false;  // a network fault started before it
      for (const FaultRecord& n : record.faults) {
        if ((n.kind == "partition" || n.kind == "block") && n.at <= f.at) cut = true;
      }
      if (!cut) continue;
      if (f.at < takeover) takeover = f.at;
      for (const std::string& n : f.nodes) {
        if (writers.count(n)) return true;
      }
    }
  }
  if (takeover == sim::Time::Max()) return false;
  // Or one of the writers was elected after the takeover made the minority a
  // majority (or replaced a master the minority kept writable).
  for (const scenarios::FailoverRecord& f : record.failovers) {
    if (f.promoted_at >= takeover && f.promoted_at <= v.at &&
        (writers.count(f.promoted_node) || writers.count(f.failed_node))) {
      return true;
    }
  }
  return false;
}

// ---- replica-epoch-update-orphans-slots
//
// Two failovers while part of the cluster is cut off: A (m3 -> r3a, epoch e)
// and a later one with a greater epoch whose new master is orphaned, so A's
// old master migrates to it. A member cut off all along still has A's old
// master owning the slots; at the heal it credits that node with the
// configEpoch of its replica header (clusterProcessPacket) and UPDATEs A's
// new master (clusterSendUpdate), which hands the slots to a replica. The
// slots stay unbound: no_lost_slot, convergence (cluster_state fail) and roles
// (replicas of the demoted node) all fail after the heal.

// Whether a network fault started before `t` (and so a member may have
// missed what happened at `t`).
bool CutOffBefore(const RunRecord& record, sim::Time t) {
  for (const FaultRecord& f : record.faults) {
    if ((f.kind == "partition" || f.kind == "block") && f.at < t) return true;
  }
  return false;
}

bool RecognizeReplicaEpochOrphansSlots(const Violation& v, const RunRecord& record) {
  const bool lost = v.property == "no_lost_slot" &&
                    absl::StrContains(v.message, "not served after convergence");
  const bool down = v.property == "convergence" &&
                    absl::StrContains(v.message, "has cluster_state fail");
  const bool roles = v.property == "roles" &&
                     absl::StrContains(v.message, ", which is not a master");
  if (!lost && !down && !roles) return false;
  for (const scenarios::FailoverRecord& a : record.failovers) {
    if (a.promoted_at == sim::Time::Max() || !CutOffBefore(record, a.promoted_at)) continue;
    // roles: the replicas left behind replicate A's demoted new master.
    if (roles && !absl::StrContains(v.message, absl::StrCat("replicates ", a.promoted_node,
                                                            ", which is not a master"))) {
      continue;
    }
    for (const scenarios::FailoverRecord& b : record.failovers) {
      if (b.promoted_at != sim::Time::Max() && b.promoted_at > a.promoted_at &&
          b.config_epoch > a.config_epoch && b.failed_node != a.failed_node) {
        return true;
      }
    }
  }
  return false;
}

// ---- stale-election-win-after-demotion
//
// A replica X wins an election, another node is then promoted over X (X is
// demoted to its replica while still flagging it FAIL), and X "wins" again
// from the vote count of its first election: clusterHandleSlaveFailover
// resets failover_auth_count only when it re-arms an election (after
// auth_retry_time), and neither winning nor clusterSetMaster resets it. The
// votes property reports a promotion without an election.

// "X was promoted without starting an election" -> X.
std::string PromotedWithoutElection(const std::string& message) {
  const size_t end = message.find(" was promoted without starting an election");
  return end == std::string::npos ? "" : message.substr(0, end);
}

bool RecognizeStaleElectionWin(const Violation& v, const RunRecord& record) {
  const std::string x = PromotedWithoutElection(v.message);
  if (x.empty()) return false;
  for (const scenarios::FailoverRecord& won : record.failovers) {
    if (won.promoted_node != x || won.manual || won.election_started_at == sim::Time::Max() ||
        won.promoted_at >= v.at) {
      continue;
    }
    // X could flag its replacer FAIL only if something cut it off first.
    bool fault_before = false;
    for (const FaultRecord& f : record.faults) {
      const bool cuts = f.kind == "partition" || f.kind == "block" ||
                        f.kind.rfind("crash", 0) == 0 || f.kind == "pause";
      if (cuts && f.at < won.promoted_at) fault_before = true;
    }
    if (!fault_before) continue;
    // Winning again without an election means X was demoted in between
    // (by a node promoted over it, or by a claim with a greater epoch).
    return true;
  }
  return false;
}

// ---- unsynced-setslot-node-reopens-slot
//
// CLUSTER SETSLOT NODE saves nodes.conf without fsync, so a node that loses
// power (a crash losing unsynced writes) after a slot move restarts from an
// earlier, fsynced file that still has the slot MIGRATING. The migration
// hygiene property reports the open slot at the end.

bool RecognizeUnsyncedSetslotNode(const Violation& v, const RunRecord& record) {
  // "open slots at the end: m2: slot 5461 migrating to m3[; ...]"
  constexpr char kPrefix[] = "open slots at the end: ";
  if (v.message.rfind(kPrefix, 0) != 0 || !absl::StrContains(v.message, " migrating to ")) {
    return false;
  }
  const size_t start = sizeof(kPrefix) - 1;
  const size_t colon = v.message.find(':', start);
  if (colon == std::string::npos) return false;
  const std::string node = v.message.substr(start, colon - start);
  sim::Time moved = sim::Time::Max();  // the first completed slot move
  for (const FaultRecord& f : record.faults) {
    const bool done = f.kind == "reshard-done" || f.kind == "rebalance-done" ||
                      (f.kind == "command" && ContainsNoCase(f.detail, "SETSLOT") &&
                       ContainsNoCase(f.detail, " NODE "));
    if (done && f.at < moved) moved = f.at;
  }
  if (moved == sim::Time::Max()) return false;
  for (const FaultRecord& f : record.faults) {
    if (f.kind == "crash-lose-unsynced" && f.at > moved &&
        std::find(f.nodes.begin(), f.nodes.end(), node) != f.nodes.end()) {
      return true;
    }
  }
  return false;
}

// ---- not-claiming-mark-survives-failover
//
// A slot moved away from a master while its replica could not see the new
// owner: the replica marks the slot owner_not_claiming_slot. When it then
// takes over the master's slots (any failover), the mark survives
// (clusterAddSlot/clusterDelSlot do not clear it in 7.0.15), so the new
// owner's lower-epoch claim takes the slot from it while the new owner gives
// the slot to it: "slot S: A says B, B says A" for good (or, with more
// observers, any two views naming those two owners).

bool RecognizeNotClaimingMarkAfterFailover(const Violation& v, const RunRecord& record) {
  // "...: slot 12289: m1 says r4a, r4a says m1"
  const size_t at = v.message.find(": slot ");
  if (at == std::string::npos) return false;
  const size_t colon = v.message.find(": ", at + 2);
  if (colon == std::string::npos) return false;
  const std::vector<std::string> parts =
      absl::StrSplit(v.message.substr(colon + 2), absl::ByAnyChar(" ,"), absl::SkipEmpty());
  // parts: A says X B says Y; the two owners named are X and Y (in the
  // minimal case A = Y and B = X: the two owners name each other).
  if (parts.size() != 6 || parts[1] != "says" || parts[4] != "says" || parts[2] == parts[5]) {
    return false;
  }
  sim::Time moved = sim::Time::Max();  // the first completed slot move
  for (const FaultRecord& f : record.faults) {
    const bool done = f.kind == "reshard-done" || f.kind == "rebalance-done" ||
                      (f.kind == "command" && ContainsNoCase(f.detail, "SETSLOT") &&
                       ContainsNoCase(f.detail, " NODE "));
    if (done && f.at < moved) moved = f.at;
  }
  if (moved == sim::Time::Max()) return false;
  for (const scenarios::FailoverRecord& f : record.failovers) {
    if (f.promoted_at != sim::Time::Max() && f.promoted_at > moved &&
        (f.promoted_node == parts[2] || f.promoted_node == parts[5])) {
      return true;
    }
  }
  return false;
}

// ---- new-master-votes-in-its-own-epoch
//
// A replica still in an election (its requests held by a partition, or its
// votes slow) and another replica elected in the same epoch: the new master
// never voted in that epoch (lastVoteEpoch is a voter's record, and it was a
// replica), so it grants the late request, which with an earlier vote makes
// a second winner of the epoch.

bool RecognizeTwoWinnersOfAnEpoch(const Violation& v, const RunRecord& record) {
  // "r1b and r3b both won the election of epoch 10"
  const size_t and_at = v.message.find(" and ");
  const size_t both = v.message.find(" both won the election of epoch ");
  if (and_at == std::string::npos || both == std::string::npos || both < and_at) return false;
  const std::string a = v.message.substr(0, and_at);
  const std::string b = v.message.substr(and_at + 5, both - and_at - 5);
  for (const scenarios::FailoverRecord& first : record.failovers) {
    if (first.promoted_node != a && first.promoted_node != b) continue;
    for (const scenarios::FailoverRecord& second : record.failovers) {
      if (&second == &first || second.config_epoch != first.config_epoch ||
          (second.promoted_node != a && second.promoted_node != b) ||
          second.promoted_node == first.promoted_node || second.promoted_at < first.promoted_at ||
          second.election_started_at >= first.promoted_at) {
        continue;
      }
      // The second election was open when the first was won; a network fault
      // delayed its requests.
      for (const FaultRecord& f : record.faults) {
        if ((f.kind == "partition" || f.kind == "block") && f.at < first.promoted_at) return true;
      }
    }
  }
  return false;
}

std::vector<Finding> BuildFindings() {
  return {
      {"failover-during-open-import", "convergence",
       "a failover of a slot's source while the slot is open (IMPORTING) leaves the importing "
       "node with the slot unbound forever; it reports cluster_state:fail until an operator "
       "closes the slot",
       {},
       &RecognizeFailoverDuringOpenImport},
      {"takeover-in-minority-split-brain", "single_writer",
       "CLUSTER FAILOVER TAKEOVER in a minority partition gives the minority a majority of "
       "masters; both sides elect masters for the same slots and accept writes until the heal",
       {"write_loss"},
       &RecognizeTakeoverInMinority},
      {"replica-epoch-update-orphans-slots", "no_lost_slot",
       "a member that missed a failover credits the old master, now another master's replica, "
       "with its replica header's epoch and UPDATEs the new owner into handing the slots back "
       "to it: the slots have no master until an operator assigns them",
       {"convergence", "roles"},
       &RecognizeReplicaEpochOrphansSlots},
      {"stale-election-win-after-demotion", "votes",
       "a replica that won an election and was then demoted under a master it still flags FAIL "
       "counts its old votes again and takes the slots without an election",
       {},
       &RecognizeStaleElectionWin},
      {"unsynced-setslot-node-reopens-slot", "migration_hygiene",
       "CLUSTER SETSLOT NODE saves nodes.conf without fsync: a source that loses power after a "
       "slot move restarts with the slot MIGRATING again, an open slot only an operator closes",
       {},
       &RecognizeUnsyncedSetslotNode},
      {"not-claiming-mark-survives-failover", "convergence",
       "a replica taking over its master's slots keeps the not-claiming mark of a slot that "
       "moved away; it and the slot's new owner each give the slot to the other, for good",
       {},
       &RecognizeNotClaimingMarkAfterFailover},
      {"new-master-votes-in-its-own-epoch", "votes",
       "a replica just elected in an epoch has never voted in it and grants a late request of "
       "the same epoch: two replicas win one epoch",
       {},
       &RecognizeTwoWinnersOfAnEpoch},
  };
}

}  // namespace

const std::vector<Finding>& KnownFindings() {
  static const std::vector<Finding>* const kFindings = new std::vector<Finding>(BuildFindings());
  return *kFindings;
}

const Finding* ExplainViolation(const scenarios::Violation& violation,
                                const scenarios::RunRecord& record) {
  for (const Finding& f : KnownFindings()) {
    const bool property = f.property == violation.property ||
                          std::find(f.also.begin(), f.also.end(), violation.property) !=
                              f.also.end();
    if (property && f.recognize(violation, record)) return &f;
  }
  return nullptr;
}

}  // namespace slotsim::props
