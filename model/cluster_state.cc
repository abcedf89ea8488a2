#include "model/cluster_state.h"

#include <algorithm>

#include "sim/check.h"

namespace slotsim::model {

size_t ClusterState::LowerBound(const NodeName& name) const {
  auto it = std::lower_bound(
      nodes.begin(), nodes.end(), name,
      [](const std::unique_ptr<ClusterNode>& n, const NodeName& key) {
        return n->name < key;
      });
  return static_cast<size_t>(it - nodes.begin());
}

ClusterNode* ClusterState::Find(const NodeName& name) const {
  size_t i = LowerBound(name);
  if (i < nodes.size() && nodes[i]->name == name) return nodes[i].get();
  return nullptr;
}

SharedSlots ClusterState::SlotsOf(const ClusterNode* n) const {
  SlotsCacheEntry& e = slots_cache_[n->name];
  if (e.version != slots_version || !e.bitmap) {
    auto bm = std::make_shared<SlotBitmap>();
    if (n->num_slots > 0) {
      for (int j = 0; j < kClusterSlots; ++j) {
        if (slots[j] == n) bm->Set(j);
      }
    }
    e.bitmap = std::move(bm);
    e.version = slots_version;
  }
  return e.bitmap;
}

int ClusterState::AssignedSlots() const {
  int n = 0;
  for (const ClusterNode* owner : slots) n += owner != nullptr;
  return n;
}

void ClusterState::CheckConsistency() const {
  int myself_count = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (i > 0) CHECK(nodes[i - 1]->name < nodes[i]->name) << "nodes not sorted";
    if (nodes[i]->is_myself()) ++myself_count;
  }
  CHECK_EQ(myself_count, 1);
  CHECK(myself != nullptr && myself->is_myself());
  std::map<const ClusterNode*, int> counts;
  for (const ClusterNode* owner : slots) {
    if (owner != nullptr) {
      CHECK(Find(owner->name) == owner) << "slot owner not in table";
      ++counts[owner];
    }
  }
  std::map<LinkId, const ClusterNode*> link_owner;
  for (const auto& n : nodes) {
    auto it = counts.find(n.get());
    CHECK_EQ(n->num_slots, it == counts.end() ? 0 : it->second) << n->name.str();
    for (const ClusterNode* r : n->replicas) {
      CHECK(r->replica_of == n.get()) << "replica list not mutual";
    }
    if (n->replica_of != nullptr) {
      const auto& rs = n->replica_of->replicas;
      CHECK(std::find(rs.begin(), rs.end(), n.get()) != rs.end())
          << "replica_of not mutual for " << n->name.str();
    }
    for (LinkId l : {n->link, n->inbound_link}) {
      if (!l.valid()) continue;
      CHECK(link_owner.emplace(l, n.get()).second) << "link shared";
    }
  }
}

std::string FlagsToString(uint16_t f) {
  static constexpr struct {
    uint16_t bit;
    const char* name;
  } kNames[] = {
      {flags::kMyself, "myself"},     {flags::kMaster, "master"},
      {flags::kSlave, "slave"},       {flags::kPFail, "fail?"},
      {flags::kFail, "fail"},         {flags::kHandshake, "handshake"},
      {flags::kNoAddr, "noaddr"},     {flags::kNoFailover, "nofailover"},
  };
  std::string out;
  for (const auto& n : kNames) {
    if (f & n.bit) {
      if (!out.empty()) out += ',';
      out += n.name;
    }
  }
  return out.empty() ? "noflags" : out;
}

}  // namespace slotsim::model
