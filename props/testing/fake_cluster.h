// FakeCluster: hand-built ClusterViews for checker tests, no simulation.
//
// Every node gets its own ClusterState (built with model/ClusterStateBuilder)
// describing the same formed layout: masters own their slot ranges with
// configEpochs as given, replicas follow their masters, every peer was heard
// from "now", currentEpoch is the greatest configEpoch, cluster_state is ok.
// Tests then bend one view (rebind a slot, flip a role, take a node down,
// silence peers) and hand view() to the invariant under test.
//
// IDs are derived from names (FakeId), so they are stable and readable in
// failures. The view's pointers stay valid while the FakeCluster lives.
//
// Example:
//   FakeCluster c = FakeCluster::Standard(3, 1);   // m1..m3, r1..r3
//   c.Bind("m2", 0, 10, "m2");                      // m2 thinks it owns 0-10
//   EXPECT_FALSE(FindWriterOverlaps(c.view()).empty());

#ifndef SLOTSIM_PROPS_TESTING_FAKE_CLUSTER_H_
#define SLOTSIM_PROPS_TESTING_FAKE_CLUSTER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/cluster_state.h"
#include "model/keyspace.h"
#include "model/types.h"
#include "props/cluster_view.h"
#include "sim/time.h"

namespace slotsim::props::testing {

// "m1" -> "m1" in hex, padded with '0' to 40 characters.
model::NodeName FakeId(std::string_view name);
// The first of "k0", "k1", ... that hashes to `slot`.
std::string KeyInSlot(int slot);

struct FakeNodeSpec {
  std::string name;
  std::string master;                      // empty: a master
  std::vector<std::pair<int, int>> slots;  // masters: inclusive ranges
  uint64_t config_epoch = 0;
};

class FakeCluster {
 public:
  static constexpr int64_t kClockBaseMs = 1700000000000;

  explicit FakeCluster(std::vector<FakeNodeSpec> layout,
                       sim::Time now = sim::Time::FromMillis(100000));
  // m1..mM own an even split of the slots with configEpochs 1..M; r<i>
  // (or r<i>a, r<i>b ... with several replicas) replicate m<i>.
  static FakeCluster Standard(int masters, int replicas_per_master,
                              sim::Time now = sim::Time::FromMillis(100000));
  FakeCluster(FakeCluster&&) = default;

  ClusterView& view() { return view_; }
  NodeView& node(std::string_view name);
  model::ClusterState& state(std::string_view observer);
  model::Keyspace& keyspace(std::string_view name);
  // `name`'s entry in `observer`'s view.
  model::ClusterNode& peer(std::string_view observer, std::string_view name);
  const std::vector<FakeNodeSpec>& layout() const { return layout_; }

  // Moves the view's clock; node clocks follow.
  void SetNow(sim::Time now) { view_.now = now; }
  int64_t NowMs() const { return kClockBaseMs + view_.now.millis(); }

  // In `observer`'s view: binds first..last to `owner` ("" unbinds).
  void Bind(std::string_view observer, int first, int last, std::string_view owner);
  // In `observer`'s view: `name` becomes a master (master == "") or a replica
  // of `master`. Slots are left alone.
  void SetRole(std::string_view observer, std::string_view name, std::string_view master);
  // Every view: `owner` (already a master) takes first..last, with configEpoch
  // `epoch`; the views then agree again.
  void BindEverywhere(int first, int last, std::string_view owner, uint64_t epoch);
  // The process is down (view has no state) / up again.
  void Down(std::string_view name);
  void Up(std::string_view name);
  // In `observer`'s view, nothing was heard from `name` since `at_ms`.
  void LastHeard(std::string_view observer, std::string_view name, int64_t at_ms);

 private:
  struct Node {
    model::ClusterState state;
    model::Keyspace keyspace;
  };
  model::ClusterState BuildState(std::string_view observer) const;

  std::vector<FakeNodeSpec> layout_;
  std::vector<std::unique_ptr<Node>> nodes_;  // layout order
  ClusterView view_;
};

}  // namespace slotsim::props::testing

#endif  // SLOTSIM_PROPS_TESTING_FAKE_CLUSTER_H_
