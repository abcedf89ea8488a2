// Test helpers for the cluster-manager tests (test only): a world with a
// cluster (formed, or fresh nodes), a way to run one manager to its end, and
// queries on its output and on the nodes' views.

#ifndef SLOTSIM_SCENARIOS_CLUSTER_MANAGER_TESTING_H_
#define SLOTSIM_SCENARIOS_CLUSTER_MANAGER_TESTING_H_

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "model/cluster_state.h"
#include "scenarios/cluster_manager.h"
#include "scenarios/cluster_setup.h"
#include "scenarios/world.h"
#include "sim/check.h"

namespace slotsim::scenarios::cli_testing {

using sim::Duration;

class Rig {
 public:
  // masters/replicas/spares as ClusterSpecs; `formed`: start from the formed
  // layout (spares fresh), else every node fresh.
  Rig(int masters, int replicas, int spares, bool formed, uint64_t seed = 1,
      int64_t node_timeout_ms = 2000) {
    model::NodeConfig base;
    base.cluster_node_timeout_ms = node_timeout_ms;
    WorldOptions o;
    o.seed = seed;
    o.nodes = ClusterSpecs(masters, replicas, spares, base);
    world_ = std::make_unique<World>(o);
    if (formed) {
      sim::Rng ids(seed + 7);
      CHECK(StartFormedCluster(*world_, DefaultLayout(masters, replicas), ids).ok());
      std::vector<std::string> members;
      for (const std::string& n : world_->node_names()) {
        if (n[0] != 's') members.push_back(n);
      }
      CHECK(WaitForConvergence(*world_, members, Duration::Seconds(30)));
    } else {
      world_->StartAllFresh();
      world_->RunFor(Duration::Millis(100));
    }
  }

  World& w() { return *world_; }
  NodeAddress Addr(const std::string& name) const {
    return {world_->spec(name).config.ip, world_->spec(name).config.port};
  }
  std::string Id(const std::string& name) const {
    return world_->node(name)->name().str();
  }

  // Adds a manager running `cmd` and runs until it finishes (or `limit`).
  ClusterManager* Run(CliCommand cmd, ClusterManagerOptions o = {},
                      Duration limit = Duration::Seconds(600)) {
    ClusterManager* m = Start(std::move(cmd), o);
    world_->RunUntil([m] { return m->finished(); }, world_->now() + limit);
    // Debugging aid: DUMP_CLI=1 prints every manager's output.
    if (std::getenv("DUMP_CLI") != nullptr) std::cerr << m->output() << "=====\n";
    return m;
  }
  ClusterManager* Start(CliCommand cmd, ClusterManagerOptions o = {}) {
    auto m = std::make_unique<ClusterManager>(std::move(cmd), o);
    ClusterManager* raw = m.get();
    world_->AddActor("cli" + std::to_string(++managers_), "10.0.0.100", std::move(m));
    return raw;
  }

  // Owner of `slot` as node `viewer` sees it ("" if none).
  std::string OwnerOf(const std::string& viewer, int slot) const {
    const model::ClusterNode* n = world_->node(viewer)->cluster().slots[slot];
    return n == nullptr ? "" : world_->NameOfId(n->name);
  }
  int SlotsOf(const std::string& viewer, const std::string& node) const {
    int count = 0;
    for (int s = 0; s < model::kClusterSlots; ++s) count += OwnerOf(viewer, s) == node;
    return count;
  }
  std::string MasterOf(const std::string& node) const {
    const model::ClusterNode* m = world_->node(node)->cluster().myself->replica_of;
    return m == nullptr ? "" : world_->NameOfId(m->name);
  }

 private:
  std::unique_ptr<World> world_;
  int managers_ = 0;
};

inline std::string Dump(const ClusterManager* m) {
  return "---- output:\n" + m->output() + "---- error: " + m->result().error +
         "\n---- step: " + m->result().step;
}

inline bool HasLine(const ClusterManager* m, const std::string& line) {
  const auto lines = m->OutputLines();
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

inline int CountPrefix(const ClusterManager* m, const std::string& prefix) {
  int n = 0;
  for (const std::string& l : m->OutputLines()) n += l.rfind(prefix, 0) == 0;
  return n;
}

inline int CountSent(const ClusterManager* m, const std::string& needle) {
  int n = 0;
  for (const std::string& c : m->commands_sent())
    n += c.find(needle) != std::string::npos;
  return n;
}

inline CliRebalance RebalanceVia(const NodeAddress& via) {
  CliRebalance r;
  r.via = via;
  return r;
}

inline std::vector<NodeAddress> Addrs(const Rig& rig,
                                      const std::vector<std::string>& names) {
  std::vector<NodeAddress> out;
  for (const std::string& n : names) out.push_back(rig.Addr(n));
  return out;
}

}  // namespace slotsim::scenarios::cli_testing

#endif  // SLOTSIM_SCENARIOS_CLUSTER_MANAGER_TESTING_H_
