#include "props/slot_claims.h"

#include <algorithm>

#include "sim/check.h"

namespace slotsim::props {

SlotClaims::SlotClaims(int nodes)
    : nodes_(static_cast<size_t>(nodes)), claimants_(model::kClusterSlots) {}

bool SlotClaims::Update(int i, const NodeView& v) {
  NodeClaims& n = nodes_[Idx(i)];
  const model::ClusterState* cs = v.cluster;
  const model::ClusterNode* me = cs != nullptr ? cs->myself : nullptr;
  const uint64_t version = me != nullptr ? me->slots_version : 0;
  if (cs == n.cs && me == n.myself && version == n.slots_version) return false;
  n.cs = cs;
  n.myself = me;
  n.slots_version = version;
  model::SlotBitmap now;
  if (me != nullptr && me->num_slots > 0) now = *cs->SlotsOf(me);
  if (now == n.bits) return false;
  const auto& old_words = n.bits.words();
  const auto& new_words = now.words();
  for (size_t w = 0; w < old_words.size(); ++w) {
    uint64_t diff = old_words[w] ^ new_words[w];
    while (diff != 0) {
      const int bit = __builtin_ctzll(diff);
      diff &= diff - 1;
      const int slot = static_cast<int>(w * 64) + bit;
      Set(i, slot, (new_words[w] >> bit) & 1);
    }
  }
  CHECK(n.bits == now);
  return true;
}

void SlotClaims::Forget(int i) {
  NodeClaims& n = nodes_[Idx(i)];
  n.cs = nullptr;
  n.myself = nullptr;
  n.slots_version = ~uint64_t{0};
}

void SlotClaims::UpdateAll(const ClusterView& view) {
  CHECK_EQ(view.nodes.size(), nodes_.size());
  for (size_t i = 0; i < view.nodes.size(); ++i)
    Update(static_cast<int>(i), view.nodes[i]);
}

void SlotClaims::Set(int i, int slot, bool claimed) {
  NodeClaims& n = nodes_[Idx(i)];
  std::vector<int>& who = claimants_[Idx(slot)];
  auto pos = std::lower_bound(who.begin(), who.end(), i);
  if (claimed) {
    CHECK(pos == who.end() || *pos != i);
    for (int other : who) ++shared_[{std::min(i, other), std::max(i, other)}];
    who.insert(pos, i);
    n.bits.Set(slot);
    ++n.count;
  } else {
    CHECK(pos != who.end() && *pos == i);
    who.erase(pos);
    for (int other : who) {
      auto it = shared_.find({std::min(i, other), std::max(i, other)});
      CHECK(it != shared_.end());
      if (--it->second == 0) shared_.erase(it);
    }
    n.bits.Clear(slot);
    --n.count;
  }
}

int SlotClaims::FirstShared(int a, int b) const {
  const auto& wa = nodes_[Idx(a)].bits.words();
  const auto& wb = nodes_[Idx(b)].bits.words();
  for (size_t w = 0; w < wa.size(); ++w) {
    const uint64_t both = wa[w] & wb[w];
    if (both != 0) return static_cast<int>(w * 64) + __builtin_ctzll(both);
  }
  return -1;
}

}  // namespace slotsim::props
