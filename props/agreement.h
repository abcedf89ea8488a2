// Agreement: do the cluster members see the same configuration?
//
// What redis-cli --cluster check calls "all nodes agree about slots
// configuration" (clusterManagerIsConfigConsistent compares config
// signatures), extended to what the convergence property needs:
//
//   members  up nodes whose own view knows some node besides itself (a spare
//            never met, or a node restarted without nodes.conf, is not in the
//            cluster and is ignored);
//   agreed   every member's view binds every slot to the same node ID (or
//            none), and gives every member the same role, the same master
//            (replica-of) and, for masters, the same configEpoch.
//
// Nodes a view knows that are not members (failed nodes that never came back,
// old IDs) are not compared: Redis never forgets them on its own and does not
// gossip them to newcomers, so views may differ on them forever.
//
// AgreementDigest summarises one view for the incremental convergence
// checker (equal configurations give equal digests); CheckAgreement is the
// exact comparison, O(members x (16384 + members)).

#ifndef SLOTSIM_PROPS_AGREEMENT_H_
#define SLOTSIM_PROPS_AGREEMENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "model/types.h"
#include "props/cluster_view.h"

namespace slotsim::props {

// True if `v` is up and its view knows a node besides itself.
bool IsMember(const NodeView& v);
// Indexes of the members, ascending.
std::vector<int> Members(const ClusterView& view);
// The members' IDs, sorted.
std::vector<model::NodeName> MemberIds(const ClusterView& view,
                                       const std::vector<int>& members);

struct AgreementReport {
  bool agreed = false;
  std::vector<int> members;
  // Empty when agreed; else the first difference found, with node names.
  std::string difference;
};

// The exact comparison (the file comment's `agreed`).
AgreementReport CheckAgreement(const ClusterView& view);

// 64-bit summaries of one view: of its slot owner table (by owner ID), and of
// the roles, masters and master configEpochs it gives the members `ids`.
uint64_t SlotTableDigest(const model::ClusterState& cs);
uint64_t RolesDigest(const model::ClusterState& cs,
                     const std::vector<model::NodeName>& ids);

// The node ID the view binds `slot` to (empty if unbound).
inline model::NodeName OwnerId(const model::ClusterState& cs, int slot) {
  return cs.slots[slot] == nullptr ? model::NodeName() : cs.slots[slot]->name;
}

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_AGREEMENT_H_
