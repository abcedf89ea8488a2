// convergence (liveness): after the heal, the cluster members agree on the
// configuration and every member reports cluster_state:ok, within a bound.
//
// Redis behaviour encoded (docs/redis-cluster-7.0-behaviour.md): once the
// network is whole and every process runs, PING/PONG headers and UPDATE
// messages spread every master's slots and configEpoch, the greater
// configEpoch wins each slot (10.3, 10.4), old masters that lost all their
// slots become replicas of the winner, FAIL flags clear on reachable nodes
// (6.4), and clusterUpdateState turns ok once every slot is served by a
// reachable master (14). redis-cli --cluster check's "all nodes agree" is the
// same test (clusterManagerIsConfigConsistent).
//
// Statement: let H be the start of the heal phase (RunRecord.heal_start, the
// runner's OnPhase(kHeal)) and B the bound (RunRecord.converge_bound; the
// scenario sets it as converge_node_timeouts x cluster-node-timeout +
// converge_ms, default 10 NT). Some time T <= H + B must exist at which
// Converged(view) holds: CheckAgreement agrees (props/agreement.h) and every
// member's cluster_state is ok. The checker reports T - H (time_to_converge).
//
// Cost: checked once per cron period (100 ms) of simulated time, on digests
// recomputed only for nodes touched since the last check (slot digest only
// when the slot table changed); a digest match is confirmed with the exact
// comparison before convergence is declared. So T is quantised to 100 ms.

#ifndef SLOTSIM_PROPS_CONVERGENCE_H_
#define SLOTSIM_PROPS_CONVERGENCE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/types.h"
#include "props/agreement.h"
#include "props/cluster_view.h"
#include "scenarios/checker.h"
#include "sim/time.h"

namespace slotsim::props {

// CheckAgreement plus "every member's cluster_state is ok". `why` gets the
// first reason it does not hold.
bool Converged(const ClusterView& view, std::string* why);

class ConvergenceChecker : public scenarios::Checker {
 public:
  explicit ConvergenceChecker(sim::Duration check_period = sim::Duration::Millis(100))
      : period_(check_period) {}
  std::string_view name() const override { return "convergence"; }

  void OnPhase(const scenarios::World& world, scenarios::RunPhase phase,
               const scenarios::RunRecord& record) override;
  void AfterEvent(const scenarios::World& world, int touched) override;
  void OnFault(const scenarios::World& world,
               const scenarios::FaultEvent& fault) override;
  void Finish(const scenarios::World& world, const scenarios::RunRecord& record) override;

  bool converged() const { return converged_at_ != sim::Time::Max(); }
  sim::Time converged_at() const { return converged_at_; }
  // converged_at - heal start; Duration::Max() if it never converged.
  sim::Duration time_to_converge() const;

 private:
  struct Cache {
    const model::ClusterState* cs = nullptr;
    uint64_t slots_version = 0;
    uint64_t slot_digest = 0;
    uint64_t roles_digest = 0;
    bool roles_valid = false;
  };
  void Check(const scenarios::World& world);
  // Why the world is not converged now (exact, O(members x 16384)).
  std::string Reason(const scenarios::World& world);

  sim::Duration period_;
  bool active_ = false;
  ClusterView view_;
  std::vector<Cache> cache_;
  std::vector<bool> dirty_;
  std::vector<model::NodeName> member_ids_;
  sim::Time heal_start_ = sim::Time::Max();
  sim::Duration bound_;
  sim::Time next_check_;
  sim::Time converged_at_ = sim::Time::Max();
  bool reported_ = false;
};

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_CONVERGENCE_H_
