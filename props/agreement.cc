#include "props/agreement.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace slotsim::props {
namespace {

// FNV-1a over bytes, then mixed: a stable, platform-independent hash.
uint64_t HashBytes(uint64_t h, const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(p[i]);
    h *= 1099511628211ull;
  }
  return h;
}

uint64_t HashU64(uint64_t h, uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    h ^= (v >> (8 * i)) & 0xff;
    h *= 1099511628211ull;
  }
  return h;
}

constexpr uint64_t kSeed = 1469598103934665603ull;

uint64_t HashName(uint64_t h, const model::NodeName& n) {
  const std::string_view v = n.view();
  return HashBytes(HashU64(h, v.size()), v.data(), v.size());
}

std::string Describe(const ClusterView& view, const model::ClusterNode* n) {
  if (n == nullptr) return "(none)";
  return view.NameOf(n->name);
}

std::string RoleText(const ClusterView& view, const model::ClusterNode* n) {
  if (n == nullptr) return "unknown";
  if (n->is_master()) return absl::StrCat("master configEpoch ", n->config_epoch.value());
  if (n->replica_of == nullptr) return "replica of (unknown)";
  return absl::StrCat("replica of ", view.NameOf(n->replica_of->name));
}

bool SameRole(const model::ClusterNode* a, const model::ClusterNode* b) {
  if ((a == nullptr) != (b == nullptr)) return false;
  if (a == nullptr) return true;
  if (a->is_master() != b->is_master()) return false;
  if (a->is_master()) return a->config_epoch == b->config_epoch;
  const model::NodeName ma = a->replica_of ? a->replica_of->name : model::NodeName();
  const model::NodeName mb = b->replica_of ? b->replica_of->name : model::NodeName();
  return ma == mb;
}

}  // namespace

bool IsMember(const NodeView& v) {
  if (!v.up()) return false;
  for (const auto& n : v.cluster->nodes) {
    if (n.get() != v.cluster->myself) return true;
  }
  return false;
}

std::vector<int> Members(const ClusterView& view) {
  std::vector<int> out;
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    if (IsMember(view.nodes[i])) out.push_back(static_cast<int>(i));
  }
  return out;
}

std::vector<model::NodeName> MemberIds(const ClusterView& view,
                                       const std::vector<int>& members) {
  std::vector<model::NodeName> ids;
  for (int i : members) ids.push_back(view.nodes[static_cast<size_t>(i)].id());
  std::sort(ids.begin(), ids.end());
  return ids;
}

AgreementReport CheckAgreement(const ClusterView& view) {
  AgreementReport r;
  r.members = Members(view);
  if (r.members.empty()) {
    r.agreed = true;
    return r;
  }
  const std::vector<model::NodeName> ids = MemberIds(view, r.members);
  const NodeView& ref = view.nodes[static_cast<size_t>(r.members[0])];
  for (size_t k = 1; k < r.members.size(); ++k) {
    const NodeView& other = view.nodes[static_cast<size_t>(r.members[k])];
    for (int j = 0; j < model::kClusterSlots; ++j) {
      if (OwnerId(*ref.cluster, j) != OwnerId(*other.cluster, j)) {
        r.difference = absl::StrCat(
            "slot ", j, ": ", ref.name, " says ", Describe(view, ref.cluster->slots[j]),
            ", ", other.name, " says ", Describe(view, other.cluster->slots[j]));
        return r;
      }
    }
    for (const model::NodeName& id : ids) {
      const model::ClusterNode* a = ref.cluster->Find(id);
      const model::ClusterNode* b = other.cluster->Find(id);
      if (!SameRole(a, b)) {
        r.difference =
            absl::StrCat(view.NameOf(id), ": ", ref.name, " says ", RoleText(view, a),
                         ", ", other.name, " says ", RoleText(view, b));
        return r;
      }
    }
  }
  r.agreed = true;
  return r;
}

uint64_t SlotTableDigest(const model::ClusterState& cs) {
  uint64_t h = kSeed;
  const model::ClusterNode* last = nullptr;
  uint64_t last_hash = 0;
  for (int j = 0; j < model::kClusterSlots; ++j) {
    const model::ClusterNode* owner = cs.slots[j];
    if (owner != last) {
      last = owner;
      last_hash = owner == nullptr ? 0 : HashName(kSeed, owner->name);
    }
    h = (h ^ last_hash) * 1099511628211ull + static_cast<uint64_t>(j);
  }
  return h;
}

uint64_t RolesDigest(const model::ClusterState& cs,
                     const std::vector<model::NodeName>& ids) {
  uint64_t h = kSeed;
  for (const model::NodeName& id : ids) {
    const model::ClusterNode* n = cs.Find(id);
    if (n == nullptr) {
      h = HashU64(h, 0);
      continue;
    }
    if (n->is_master()) {
      h = HashU64(h, 1);
      h = HashU64(h, n->config_epoch.value());
    } else {
      h = HashU64(h, 2);
      h = HashName(h, n->replica_of ? n->replica_of->name : model::NodeName());
    }
  }
  return h;
}

}  // namespace slotsim::props
