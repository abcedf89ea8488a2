#include "model/cluster_state_builder.h"

#include <memory>
#include <utility>

#include "sim/check.h"

namespace slotsim::model {

ClusterNode& ClusterStateBuilder::Add(std::string_view name, uint16_t node_flags,
                                      std::string ip, int port, int cport) {
  CHECK(!built_);
  NodeName key = NodeName::FromString(name);
  CHECK(state_.Find(key) == nullptr) << "duplicate node " << name;
  auto node = std::make_unique<ClusterNode>();
  node->name = key;
  node->flags = node_flags;
  node->ip = std::move(ip);
  node->port = port;
  node->cport = cport == 0 ? port + 10000 : cport;
  ClusterNode& ref = *node;
  size_t at = state_.LowerBound(key);
  state_.nodes.insert(state_.nodes.begin() + static_cast<std::ptrdiff_t>(at),
                      std::move(node));
  return ref;
}

ClusterNode& ClusterStateBuilder::Node(std::string_view name) {
  ClusterNode* n = state_.Find(NodeName::FromString(name));
  CHECK(n != nullptr) << "unknown node " << name;
  return *n;
}

ClusterStateBuilder& ClusterStateBuilder::ReplicaOf(std::string_view replica,
                                                    std::string_view master) {
  ClusterNode& r = Node(replica);
  ClusterNode& m = Node(master);
  CHECK(r.replica_of == nullptr) << replica << " already has a master";
  r.replica_of = &m;
  m.replicas.push_back(&r);
  return *this;
}

ClusterStateBuilder& ClusterStateBuilder::Slots(std::string_view owner, int first,
                                                int last) {
  CHECK(0 <= first && first <= last && last < kClusterSlots);
  ClusterNode& n = Node(owner);
  for (int s = first; s <= last; ++s) {
    CHECK(state_.slots[s] == nullptr) << "slot " << s << " already bound";
    state_.slots[s] = &n;
    ++n.num_slots;
  }
  ++state_.slots_version;
  return *this;
}

ClusterStateBuilder& ClusterStateBuilder::Connect(std::string_view name) {
  ClusterNode& n = Node(name);
  CHECK(!n.link.valid()) << name << " already connected";
  n.link = LinkId(next_link_++);
  ClusterLink& link = state_.links[n.link];
  link.id = n.link;
  link.node = &n;
  link.connected = true;
  return *this;
}

ClusterStateBuilder& ClusterStateBuilder::Migrating(int slot, std::string_view to) {
  CHECK(0 <= slot && slot < kClusterSlots);
  state_.migrating_slots_to[slot] = &Node(to);
  return *this;
}

ClusterStateBuilder& ClusterStateBuilder::Importing(int slot, std::string_view from) {
  CHECK(0 <= slot && slot < kClusterSlots);
  state_.importing_slots_from[slot] = &Node(from);
  return *this;
}

ClusterState ClusterStateBuilder::Build() {
  CHECK(!built_);
  built_ = true;
  for (const auto& n : state_.nodes) {
    if (n->is_myself()) state_.myself = n.get();
  }
  state_.CheckConsistency();
  return std::move(state_);
}

}  // namespace slotsim::model
