// write_loss: which acknowledged writes are missing at the end, and whether
// each loss falls in a window Redis documents.
//
// Redis Cluster does not promise that acknowledged writes survive (behaviour
// doc section 20); this property measures losses and flags only those no
// documented window explains:
//   async replication (20.1, 17): a master acknowledges before replicating;
//       if it is failed over (automatic, FORCE or TAKEOVER) before the write
//       reached the promoted replica, "last failover wins" drops it. A default
//       CLUSTER FAILOVER waits for the replica to catch up (12) and explains
//       nothing;
//   minority side (20.2): a master cut off with a minority acknowledges writes
//       until its failure detector stops it, and loses them when the majority
//       fails it over;
//   stale routing after rejoin (20.3): an old master that was already replaced
//       acknowledges writes from clients with an old slot map until it hears
//       the new configuration, and drops them when it demotes itself;
//   restart without persistence: the simulated nodes keep no RDB/AOF, so a
//       master that crashes and restarts comes back empty (Redis persistence
//       documentation; its replicas then resynchronise from the empty master).
//
// Definitions (History: values are unique per write, history.h):
//   acked     a SET with outcome kOk (ClientOp::acked_write).
//   final(k)  the value of key k, at the end of the run, on the owner of k's
//             slot (the agreed owner if the members agree, else the up master
//             that binds the slot to itself with the greatest configEpoch);
//             unknown if no such node.
//   survived  final(k) is the write's value.
//   superseded final(k) is the value of another SET w' of k (any outcome) that
//             is not entirely before w in real time (not w'.completed <
//             w.invoked): w' may legally be ordered after w.
//   lost      otherwise (including k missing at the end).
// Attribution of a lost write w acknowledged by node A at t = w.completed:
//   1. A had already been replaced (a kPromoted naming A) at or before t:
//      minority side if a network fault cut A off at t, else stale routing;
//   2. else A is replaced after t by an automatic, FORCE or TAKEOVER
//      failover: minority side if cut off at t, else async replication;
//   2-3. else follow the write's data from A at t: a holder H that has held
//      it since time s
//      - is replaced after s by an automatic, FORCE or TAKEOVER failover:
//        minority side if H is cut off at s, else async replication;
//      - else crashed after s: restart without persistence;
//      - else hands the data on, and the next holder is checked from then:
//        to the replica that replaced H after s by a default CLUSTER FAILOVER
//        (it took over H's dataset), or to the node H migrated the key's slot
//        to after s (redis-cli's reshard or fix: CLUSTER SETSLOT MIGRATING on
//        H naming the target, or IMPORTING on the target naming H; MIGRATE
//        then RESTOREs the keys there and deletes them on H, so a target that
//        crashes and restarts empty or is failed over before its replica got
//        the RESTORE loses them), and so on down the chain;
//   4. else unexplained: a violation.
// "Cut off at t": a fault started at or before t and no heal followed before t
// (any heal ends it: an approximation, it only chooses between two explained
// windows), where the fault is a partition that leaves A's group together with
// the nodes named in no group (World::Partition leaves those connected to
// everyone) without a quorum of the slot-owning masters, or a one-way block or
// clog naming A.

#ifndef SLOTSIM_PROPS_WRITE_LOSS_H_
#define SLOTSIM_PROPS_WRITE_LOSS_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenarios/checker.h"
#include "scenarios/history.h"
#include "sim/time.h"

namespace slotsim::props {

enum class LossWindow {
  kAsyncReplication = 0,
  kMinoritySide,
  kStaleRouting,
  kRestartWithoutPersistence,
  kUnexplained,
};
inline constexpr int kLossWindows = 5;
const char* LossWindowName(LossWindow w);

struct Replacement {
  sim::Time at;
  std::string mode;  // "auto", "default", "force", "takeover"
  std::string by;    // the promoted replica (world name); it holds the data now
};

// A slot migration started from one node to another (either side's
// CLUSTER SETSLOT MIGRATING / IMPORTING).
struct Migration {
  sim::Time at;
  int slot = -1;
  std::string to;  // the target (world name); it holds the slot's keys now
};

// What happened to one node, for attribution.
struct NodeTimeline {
  std::vector<Replacement> replaced;  // it lost its slots to a replica
  std::vector<Migration> migrated;    // it moved a slot's keys to another node
  std::vector<sim::Time> crashes;
  std::vector<std::pair<sim::Time, sim::Time>> cut_off;  // [from, to)
};

struct LossContext {
  std::map<std::string, NodeTimeline> nodes;  // by world name
};

struct FinalValue {
  bool known = false;  // some node serves the key's slot
  bool exists = false;
  std::string data;
};
using FinalValues = std::map<std::string, FinalValue>;  // by key

struct LostWrite {
  uint64_t op = 0;
  std::string key;
  std::string node;  // who acknowledged it
  sim::Time acked;
  LossWindow window = LossWindow::kUnexplained;
};

struct WriteLossSummary {
  int64_t acked = 0;
  int64_t survived = 0;
  int64_t superseded = 0;
  int64_t lost = 0;
  int64_t unknown = 0;  // final value unknown (no node serves the slot)
  std::array<int64_t, kLossWindows> lost_by_window{};
  int64_t lost_despite_wait = 0;  // lost although WAIT reported >= 1 replica
  std::vector<LostWrite> lost_writes;

  int64_t unexplained() const {
    return lost_by_window[static_cast<int>(LossWindow::kUnexplained)];
  }
  // "acked=.. lost=.. async_replication=.. ..." for summaries.
  std::string ToString() const;
};

// "a,b | c mode=drop" (World::Partition's FaultEvent detail) -> {{a,b},{c}}.
std::vector<std::vector<std::string>> PartitionGroups(const std::string& detail);
// The nodes a partition leaves without a quorum of slot-owning masters (in a
// member's view of `world`), per the "cut off" rule above.
std::vector<std::string> MinorityOfPartition(const scenarios::World& world,
                                             const std::string& detail);

// The definitions of the file comment.
WriteLossSummary ClassifyWriteLoss(const scenarios::History& history,
                                   const FinalValues& finals, const LossContext& context);

class WriteLossChecker : public scenarios::Checker {
 public:
  std::string_view name() const override { return "write_loss"; }
  void OnNodeEvent(const scenarios::World& world,
                   const scenarios::WorldEvent& event) override;
  void OnFault(const scenarios::World& world,
               const scenarios::FaultEvent& fault) override;
  void Finish(const scenarios::World& world, const scenarios::RunRecord& record) override;

  const WriteLossSummary& summary() const { return summary_; }
  const LossContext& context() const { return context_; }

 private:
  struct PendingManual {
    std::string mode;
    sim::Time until;
  };
  LossContext context_;
  std::map<std::string, PendingManual> manual_;  // by the replica's name
  WriteLossSummary summary_;
};

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_WRITE_LOSS_H_
