// failover_liveness: a slot-owning master that stays down is replaced within
// a bound, when Redis has what it needs to replace it.
//
// Redis behaviour encoded (docs/redis-cluster-7.0-behaviour.md, 6, 11, 19):
//   - peers flag a silent node PFAIL between NT and ~1.5 NT after its last
//     packet (6.1), and FAIL once a quorum of slot-owning masters' reports
//     meet in one node, spread by gossip that every node sends at least once a
//     second (6.3);
//   - a replica whose master is FAIL, not flagged NOFAILOVER
//     (cluster-replica-no-failover no) and whose data age passes (11.2)
//     schedules its election 500 + random(0..499) + rank * 1000 ms later, and
//     wins with floor(size/2)+1 votes (11.3, 11.4);
//   - a failed attempt (split votes between replicas of equal rank, a vote
//     lost) is retried auth_retry_time = 2 * max(2 NT, 2000) ms after the
//     previous attempt's scheduled start.
//
// Statement: when master X, owning slots in the view of the other members,
// goes down (crash or pause) at t0 while the network has no fault (no
// partition, block, clog, delay or clock jump since the last heal-all), the
// checker requires a kPromoted event replacing X by
//     t0 + Bound(NT, R),  Bound = 1.5 NT + 1 s           (PFAIL, FAIL gossip)
//                                + (1 s + (R-1) s)        (election delay)
//                                + 2 max(2 NT, 2 s)       (one retry)
//                                + (1 s + (R-1) s) + 1 s  (its delay, slack)
// (NT = the greatest cluster-node-timeout of the nodes, R = X's replicas),
// provided that throughout [t0, deadline]: X stays down; no network fault
// happens; a quorum of the slot-owning masters (counting X in the size) other
// than X stays up and unpaused; and at least one replica of X that at t0 was
// up, unpaused, streaming from X, not NOFAILOVER, and whose data-age limit
// (repl-ping-replica-period + validity_factor x NT, or none with factor 0)
// is not below Bound - NT, stays up and unpaused. Otherwise the requirement is
// dropped (Redis may legitimately not fail over).

#ifndef SLOTSIM_PROPS_FAILOVER_LIVENESS_H_
#define SLOTSIM_PROPS_FAILOVER_LIVENESS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/types.h"
#include "props/cluster_view.h"
#include "scenarios/checker.h"
#include "sim/time.h"

namespace slotsim::props {

// The bound of the file comment.
sim::Duration FailoverBound(int64_t node_timeout_ms, int replicas);

// Whether `replica` could win an election for its master within `bound`
// (the fresh-replica conditions of the file comment, at the failure time).
bool FreshReplica(const NodeView& replica, sim::Duration bound);

class FailoverLivenessChecker : public scenarios::Checker {
 public:
  std::string_view name() const override { return "failover_liveness"; }

  void OnPhase(const scenarios::World& world, scenarios::RunPhase phase,
               const scenarios::RunRecord& record) override;
  void AfterEvent(const scenarios::World& world, int touched) override;
  void OnNodeEvent(const scenarios::World& world,
                   const scenarios::WorldEvent& event) override;
  void OnFault(const scenarios::World& world,
               const scenarios::FaultEvent& fault) override;
  void Finish(const scenarios::World& world, const scenarios::RunRecord& record) override;

  // Replacements that were required, and the slowest one.
  int required() const { return required_; }
  int met() const { return met_; }
  sim::Duration slowest() const { return slowest_; }

 private:
  struct Watch {
    int failed = -1;
    model::NodeName id;
    sim::Time since;
    sim::Time deadline;
    std::vector<int> masters;   // other slot-owning masters at t0
    int quorum = 0;             // how many of them must stay up
    std::vector<int> replicas;  // fresh replicas at t0
    bool open = true;
  };
  void Init(const scenarios::World& world);
  void Down(const scenarios::World& world, int i, sim::Time at);
  void Recheck();
  void Expire(sim::Time now);

  bool active_ = false;
  ClusterView view_;
  std::vector<model::NodeName> ids_;  // last known ID per node
  std::vector<bool> down_;            // crashed or paused, by faults
  int64_t node_timeout_ms_ = 15000;
  bool net_impaired_ = false;
  std::vector<Watch> watches_;
  int required_ = 0;
  int met_ = 0;
  sim::Duration slowest_;
};

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_FAILOVER_LIVENESS_H_
