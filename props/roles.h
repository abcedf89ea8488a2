// roles: after convergence no replica-of cycle and no replica of a replica.
//
// Redis behaviour encoded (docs/redis-cluster-7.0-behaviour.md): a node
// replicates only a master (CLUSTER REPLICATE refuses a replica target;
// clusterSetMaster is called with the node that took the slots, 10.3 step 1),
// and clusterUpdateSlotsConfigWith's sub-replica safeguard (10.3 step 2)
// re-points a replica whose master became a replica of a third node to that
// grand-master. Chains can exist for a moment while news spreads; once the
// members agree there are none.
//
// Statement: at the end of the run, if the members agree
// (props/agreement.h), in every member's view: following replica-of from any
// node never revisits a node (no cycle), and every node whose replica-of is
// set points to a node flagged master in that view (no replica of a replica).

#ifndef SLOTSIM_PROPS_ROLES_H_
#define SLOTSIM_PROPS_ROLES_H_

#include <string>
#include <string_view>

#include "model/cluster_state.h"
#include "props/cluster_view.h"
#include "scenarios/checker.h"

namespace slotsim::props {

// "" if `cs` has no replica-of cycle and no replica of a replica; else the
// first problem found (names through `view`).
std::string RoleProblem(const ClusterView& view, const model::ClusterState& cs);

class RolesChecker : public scenarios::Checker {
 public:
  std::string_view name() const override { return "roles"; }
  void Finish(const scenarios::World& world, const scenarios::RunRecord& record) override;
};

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_ROLES_H_
