#include "props/cluster_view.h"

#include <algorithm>
#include <functional>

namespace slotsim::props {

model::NodeName NodeView::id() const {
  return up() ? cluster->myself->name : model::NodeName();
}

bool NodeView::WritesSlot(int slot) const {
  if (!AcceptsWrites() || cluster->slots[slot] != cluster->myself) return false;
  if (cluster->migrating_slots_to.count(slot) > 0 &&
      (keyspace == nullptr || keyspace->CountKeysInSlot(slot) == 0)) {
    return false;
  }
  return true;
}

int ClusterView::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

const NodeView* ClusterView::Find(std::string_view name) const {
  const int i = IndexOf(name);
  return i < 0 ? nullptr : &nodes[static_cast<size_t>(i)];
}

int ClusterView::IndexOfId(const model::NodeName& id) const {
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].up() && nodes[i].cluster->myself->name == id) return static_cast<int>(i);
  }
  return -1;
}

std::string ClusterView::NameOf(const model::NodeName& id) const {
  const int i = IndexOfId(id);
  if (i >= 0) return nodes[static_cast<size_t>(i)].name;
  auto it = known_ids_.find(id);
  if (it != known_ids_.end()) return it->second;
  return id.empty() ? std::string("(none)") : std::string(id.short_name());
}

int SlotOwningMasters(const model::ClusterState& cs) {
  int size = 0;
  for (const auto& n : cs.nodes) size += n->is_master() && n->num_slots > 0;
  return size;
}

int64_t QuorumContactMs(const NodeView& v, sim::Time now) {
  const model::ClusterState& cs = *v.cluster;
  const model::ClusterNode* me = cs.myself;
  std::vector<int64_t> heard;
  int size = 0;
  bool me_counts = false;
  for (const auto& n : cs.nodes) {
    if (!n->is_master() || n->num_slots == 0) continue;
    ++size;
    if (n.get() == me) {
      me_counts = true;
    } else {
      heard.push_back(n->data_received_ms);
    }
  }
  const int need = Quorum(size) - (me_counts ? 1 : 0);
  if (need <= 0) return v.NowMs(now);
  if (static_cast<int>(heard.size()) < need) return 0;
  std::sort(heard.begin(), heard.end(), std::greater<int64_t>());
  return heard[static_cast<size_t>(need - 1)];
}

}  // namespace slotsim::props
