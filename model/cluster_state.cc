#include "model/cluster_state.h"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <utility>

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

size_t ClusterState::NameHash::operator()(const NodeName& name) const {
  const std::string_view v = name.view();
  if (v.empty()) return 0;
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (size_t off = 0; off < 40; off += 8) {
    uint64_t w;
    std::memcpy(&w, v.data() + off, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 29;
  }
  return static_cast<size_t>(h);
}

void ClusterState::PrefetchFind(const NodeName& name) const {
  if (index_.size() == nodes.size()) index_.prefetch(name);
}

ClusterNode* ClusterState::FindByUid(uint64_t uid) const {
  auto it = uid_index_.find(uid);
  return it == uid_index_.end() ? nullptr : it->second;
}

ClusterNode* ClusterState::Find(const NodeName& name) const {
  if (index_.size() == nodes.size()) {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : it->second;
  }
  size_t i = LowerBound(name);
  if (i < nodes.size() && nodes[i]->name == name) return nodes[i].get();
  return nullptr;
}

SharedSlots ClusterState::SlotsOf(const ClusterNode* n) const {
  static const SharedSlots kEmpty = std::make_shared<SlotBitmap>();
  const bool cacheable =
      myself != nullptr && (n == myself || n == myself->replica_of);
  if (cacheable && n->slots_cache && n->slots_cache_version == n->slots_version) {
    return n->slots_cache;
  }
  SharedSlots result = kEmpty;
  if (n->num_slots > 0) {
    auto bm = std::make_shared<SlotBitmap>();
    for (int j = 0; j < kClusterSlots; ++j) {
      if (slots[j] == n) bm->Set(j);
    }
    result = std::move(bm);
  }
  if (cacheable) {
    n->slots_cache = result;
    n->slots_cache_version = n->slots_version;
  }
  return result;
}

int ClusterState::AssignedSlots() const {
  int n = 0;
  for (const ClusterNode* owner : slots) n += owner != nullptr;
  return n;
}

Epoch ClusterState::MaxEpoch() const {
  Epoch max;
  for (const auto& n : nodes) max = std::max(max, n->config_epoch);
  return std::max(max, current_epoch);
}

int ClusterState::CountNonFailingReplicas(const ClusterNode* n) const {
  int ok = 0;
  for (const ClusterNode* r : n->replicas) ok += !r->failed();
  return ok;
}

bool ClusterState::MastersHaveReplicas() const {
  // Counts replicas linked through AddReplica (test builders that fill
  // replica lists directly get the slow path below only when this is non-zero).
  if (replica_entries == 0) return false;
  for (const auto& n : nodes) {
    if (n->is_replica()) continue;
    if (!n->replicas.empty()) return true;
  }
  return false;
}

void ClusterState::OrphanReplicasOf(ClusterNode* n) {
  for (ClusterNode* r : n->replicas) r->replica_of = nullptr;
  replica_entries -= static_cast<int>(n->replicas.size());
  n->replicas.clear();
  ++topology_version;
}

ClusterNode* ClusterState::AddNode(std::unique_ptr<ClusterNode> node) {
  ++topology_version;
  const bool index_ok = index_.size() == nodes.size();
  size_t at = LowerBound(node->name);
  CHECK(at == nodes.size() || nodes[at]->name != node->name)
      << "duplicate node " << node->name.str();
  ClusterNode* raw = node.get();
  if (raw->uid == 0) raw->uid = next_uid_++;
  uid_index_[raw->uid] = raw;
  nodes.insert(nodes.begin() + static_cast<std::ptrdiff_t>(at), std::move(node));
  if (index_ok) {
    index_.emplace(raw->name, raw);
  } else {
    index_.clear();
    for (const auto& n : nodes) index_.emplace(n->name, n.get());
  }
  return raw;
}

std::unique_ptr<ClusterNode> ClusterState::RemoveNode(ClusterNode* n) {
  ++topology_version;
  size_t at = LowerBound(n->name);
  CHECK(at < nodes.size() && nodes[at].get() == n) << "node not in table";
  std::unique_ptr<ClusterNode> out = std::move(nodes[at]);
  nodes.erase(nodes.begin() + static_cast<std::ptrdiff_t>(at));
  index_.erase(n->name);
  uid_index_.erase(n->uid);
  if (index_.size() != nodes.size()) {
    index_.clear();
    for (const auto& node : nodes) index_.emplace(node->name, node.get());
  }
  if (myself == n) myself = nullptr;
  return out;
}

void ClusterState::RenameNode(ClusterNode* n, const NodeName& new_name) {
  ClusterNode* keep_myself = myself;
  std::unique_ptr<ClusterNode> owned = RemoveNode(n);
  owned->name = new_name;
  AddNode(std::move(owned));
  myself = keep_myself;
}

void ClusterState::BumpSlotsVersion(ClusterNode* n) {
  n->slots_version = next_node_slots_version_++;
  ++slots_version;
  ++topology_version;
}

bool ClusterState::AddSlot(ClusterNode* n, int slot) {
  if (slots[slot] != nullptr) return false;
  slots[slot] = n;
  ++n->num_slots;
  BumpSlotsVersion(n);
  // clusterNodeSetSlotBit: a master getting its first slot becomes a replica
  // migration target if some master in the cluster has replicas.
  if (n->num_slots == 1 && MastersHaveReplicas()) n->flags |= flags::kMigrateTo;
  return true;
}

bool ClusterState::DelSlot(int slot) {
  ClusterNode* n = slots[slot];
  if (n == nullptr) return false;
  slots[slot] = nullptr;
  --n->num_slots;
  CHECK_GE(n->num_slots, 0);
  BumpSlotsVersion(n);
  return true;
}

int ClusterState::DelNodeSlots(ClusterNode* n) {
  if (n->num_slots == 0) return 0;
  int deleted = 0;
  for (int j = 0; j < kClusterSlots && n->num_slots > 0; ++j) {
    if (slots[j] == n) {
      DelSlot(j);
      ++deleted;
    }
  }
  return deleted;
}

bool ClusterState::AddReplica(ClusterNode* master, ClusterNode* replica) {
  auto& rs = master->replicas;
  if (std::find(rs.begin(), rs.end(), replica) != rs.end()) return false;
  rs.push_back(replica);
  ++replica_entries;
  ++topology_version;
  master->flags |= flags::kMigrateTo;
  return true;
}

bool ClusterState::RemoveReplica(ClusterNode* master, ClusterNode* replica) {
  auto& rs = master->replicas;
  auto it = std::find(rs.begin(), rs.end(), replica);
  if (it == rs.end()) return false;
  rs.erase(it);
  --replica_entries;
  ++topology_version;
  if (rs.empty()) master->flags &= ~flags::kMigrateTo;
  return true;
}

bool ClusterState::AddFailureReport(ClusterNode* failing, ClusterNode* sender,
                                    int64_t now_ms) {
  for (FailReport& fr : failing->fail_reports) {
    if (fr.node == sender) {
      fr.time_ms = now_ms;
      return false;
    }
  }
  failing->fail_reports.push_back(FailReport{sender, now_ms});
  return true;
}

void ClusterState::CleanupFailureReports(ClusterNode* n, int64_t now_ms,
                                         int64_t max_age_ms) {
  auto& l = n->fail_reports;
  l.erase(std::remove_if(l.begin(), l.end(),
                         [&](const FailReport& fr) {
                           return now_ms - fr.time_ms > max_age_ms;
                         }),
          l.end());
}

bool ClusterState::DelFailureReport(ClusterNode* n, ClusterNode* sender,
                                    int64_t now_ms, int64_t max_age_ms) {
  auto& l = n->fail_reports;
  auto it = std::find_if(l.begin(), l.end(),
                         [&](const FailReport& fr) { return fr.node == sender; });
  if (it == l.end()) return false;
  l.erase(it);
  CleanupFailureReports(n, now_ms, max_age_ms);
  return true;
}

int ClusterState::FailureReportsCount(ClusterNode* n, int64_t now_ms,
                                      int64_t max_age_ms) {
  CleanupFailureReports(n, now_ms, max_age_ms);
  return static_cast<int>(n->fail_reports.size());
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
    CHECK(Find(n->name) == n.get()) << "lookup index out of step";
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
