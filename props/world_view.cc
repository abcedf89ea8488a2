#include "props/world_view.h"

#include "scenarios/checker.h"
#include "sim/check.h"

namespace slotsim::props {

void RefreshNodeView(const scenarios::World& world, int index, NodeView* v) {
  const std::string& name = world.node_names()[static_cast<size_t>(index)];
  const model::Node* node = world.node(name);
  const model::NodeConfig& config =
      node != nullptr ? node->config() : world.spec(name).config;
  v->name = name;
  v->cluster = node != nullptr ? &node->cluster() : nullptr;
  v->keyspace = node != nullptr ? &node->keyspace() : nullptr;
  v->replication = node != nullptr ? &node->replication() : nullptr;
  v->paused = node != nullptr && world.IsPaused(name);
  v->writes_paused = node != nullptr && node->writes_paused_until_ms() != 0;
  v->announced_offset = node != nullptr ? node->announced_offset() : 0;
  v->clock_base_ms = config.clock_base_ms;
  v->node_timeout_ms = config.cluster_node_timeout_ms;
  v->replica_no_failover = config.cluster_replica_no_failover;
  v->replica_validity_factor = config.cluster_replica_validity_factor;
  v->repl_ping_replica_period_s = config.repl_ping_replica_period_s;
}

ClusterView ViewOfWorld(const scenarios::World& world) {
  ClusterView view;
  view.now = world.now();
  view.nodes.resize(world.node_names().size());
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    RefreshNodeView(world, static_cast<int>(i), &view.nodes[i]);
    if (view.nodes[i].up()) view.RememberId(view.nodes[i].id(), view.nodes[i].name);
  }
  return view;
}

std::vector<int> RefreshView(const scenarios::World& world, int touched,
                             ClusterView* view) {
  CHECK_EQ(view->nodes.size(), world.node_names().size());
  view->now = world.now();
  std::vector<int> refreshed;
  if (touched == scenarios::kTouchedNone) return refreshed;
  if (touched == scenarios::kTouchedSeveral) {
    for (size_t i = 0; i < view->nodes.size(); ++i)
      refreshed.push_back(static_cast<int>(i));
  } else {
    refreshed.push_back(touched);
  }
  for (int i : refreshed) {
    NodeView& v = view->nodes[static_cast<size_t>(i)];
    RefreshNodeView(world, i, &v);
    if (v.up()) view->RememberId(v.id(), v.name);
  }
  return refreshed;
}

void RefreshNamed(const scenarios::World& world, const std::vector<std::string>& names,
                  ClusterView* view) {
  view->now = world.now();
  for (const std::string& name : names) {
    const int i = view->IndexOf(name);
    if (i < 0) continue;  // an actor, not a node
    NodeView& v = view->nodes[static_cast<size_t>(i)];
    RefreshNodeView(world, i, &v);
    if (v.up()) view->RememberId(v.id(), v.name);
  }
}

}  // namespace slotsim::props
