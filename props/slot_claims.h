// SlotClaims: which nodes claim which slots in their own view, kept up to
// date incrementally.
//
// A node "claims" slot j when its own ClusterState binds j to myself (Redis's
// server.cluster->slots[j] == myself: it serves j, getNodeByQuery). The table
// keeps, per slot, the nodes that claim it, and per pair of nodes the number of
// slots both claim, so a checker learns of double claims in O(1) per event
// instead of O(nodes x 16384):
//
//   - Update(i, v) re-reads node i only when its claim set may have changed:
//     the ClusterState object, myself, or myself->slots_version differ from the
//     last call (slots_version changes whenever the slots bound to a node
//     change, model/cluster_state.h); then it diffs 256 words of bitmap.
//   - A down node claims nothing. A restarted node may get its new state at
//     the old address: callers Forget(i) on process faults.
//
// Invariants: claimants(j) holds i iff claims(i).Test(j); shared(a, b) (a < b)
// equals the number of j with both; pairs with zero shared slots are absent.

#ifndef SLOTSIM_PROPS_SLOT_CLAIMS_H_
#define SLOTSIM_PROPS_SLOT_CLAIMS_H_

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "model/types.h"
#include "props/cluster_view.h"

namespace slotsim::props {

class SlotClaims {
 public:
  explicit SlotClaims(int nodes);

  // Re-reads node i's claims from its view (cheap when unchanged). Returns
  // whether they changed.
  bool Update(int i, const NodeView& v);
  // Re-reads every node of the view.
  void UpdateAll(const ClusterView& view);
  // Makes the next Update(i) re-read node i even if its state object, myself
  // and version look unchanged: call it on a crash or restart, since a new
  // ClusterState may be allocated where the old one was.
  void Forget(int i);

  const model::SlotBitmap& claims(int i) const { return nodes_[Idx(i)].bits; }
  int claim_count(int i) const { return nodes_[Idx(i)].count; }
  const std::vector<int>& claimants(int slot) const { return claimants_[Idx(slot)]; }
  // Pairs (a < b) of nodes that claim at least one common slot, with how many.
  const std::map<std::pair<int, int>, int>& shared() const { return shared_; }
  // The lowest slot both claim, or -1.
  int FirstShared(int a, int b) const;

 private:
  struct NodeClaims {
    const model::ClusterState* cs = nullptr;
    const model::ClusterNode* myself = nullptr;
    uint64_t slots_version = 0;
    model::SlotBitmap bits;
    int count = 0;
  };
  static size_t Idx(int i) { return static_cast<size_t>(i); }
  void Set(int i, int slot, bool claimed);

  std::vector<NodeClaims> nodes_;
  std::vector<std::vector<int>> claimants_;  // per slot, ascending node index
  std::map<std::pair<int, int>, int> shared_;
};

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_SLOT_CLAIMS_H_
