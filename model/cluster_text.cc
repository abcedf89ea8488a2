#include "model/cluster_text.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "model/bus_message.h"
#include "sim/check.h"

namespace slotsim::model {
namespace {

// Debian's Abseil has its own absl::string_view, not an alias of
// std::string_view; StrCat and friends take that type.
absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }

// Appends the line for `node` given its slot runs (no trailing newline).
void AppendNodeLine(const ClusterState& state, const ClusterNode& node,
                    const SlotRanges& ranges, std::string* out) {
  absl::StrAppend(out, Sv(node.name.view()), " ", node.ip, ":", node.port, "@",
                  node.cport);
  if (!node.hostname.empty()) absl::StrAppend(out, ",", node.hostname);
  absl::StrAppend(out, " ", FlagsToString(node.flags), " ");
  if (node.replica_of != nullptr) {
    absl::StrAppend(out, Sv(node.replica_of->name.view()));
  } else {
    out->push_back('-');
  }
  Epoch epoch = node.config_epoch;
  if (node.is_replica() && node.replica_of != nullptr) {
    epoch = node.replica_of->config_epoch;
  }
  bool connected = node.link.valid() || node.is_myself();
  absl::StrAppend(out, " ", node.ping_sent_ms, " ", node.pong_received_ms, " ",
                  epoch.value(), connected ? " connected" : " disconnected");
  for (const auto& [first, last] : ranges) {
    if (first == last) {
      absl::StrAppend(out, " ", first);
    } else {
      absl::StrAppend(out, " ", first, "-", last);
    }
  }
  if (!node.is_myself()) return;
  // Open slots in slot order; a slot both migrating and importing prints as
  // migrating (Redis's if / else if over the two tables).
  auto mig = state.migrating_slots_to.begin();
  auto imp = state.importing_slots_from.begin();
  const auto mig_end = state.migrating_slots_to.end();
  const auto imp_end = state.importing_slots_from.end();
  while (mig != mig_end || imp != imp_end) {
    int slot = mig == mig_end   ? imp->first
               : imp == imp_end ? mig->first
                                : std::min(mig->first, imp->first);
    const ClusterNode* to = nullptr;
    const ClusterNode* from = nullptr;
    if (mig != mig_end && mig->first == slot) to = (mig++)->second;
    if (imp != imp_end && imp->first == slot) from = (imp++)->second;
    if (to != nullptr) {
      absl::StrAppend(out, " [", slot, "->-", Sv(to->name.view()), "]");
    } else if (from != nullptr) {
      absl::StrAppend(out, " [", slot, "-<-", Sv(from->name.view()), "]");
    }
  }
}

// Effective epoch and link state as AppendNodeLine prints them.
uint64_t PrintedEpoch(const ClusterNode& node) {
  if (node.is_replica() && node.replica_of != nullptr) {
    return node.replica_of->config_epoch.value();
  }
  return node.config_epoch.value();
}

// text[pos, pos + len) == s, compared inline eight bytes at a time (a call to
// memcmp per field was a fifth of a 1000-node run's time).
bool SameText(const std::string& text, uint32_t pos, uint32_t len, std::string_view s) {
  if (len != s.size() || size_t{pos} + len > text.size()) return false;
  const char* a = text.data() + pos;
  const char* b = s.data();
  uint32_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) return false;
  }
  for (; i < len; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// A node other than myself: its line from node.line_cache when every input
// of AppendNodeLine still matches, else rendered again (reusing the cached
// slot ranges text while the node's slot set is unchanged) and cached.
void AppendCachedNodeLine(const ClusterState& state, const ClusterNode& node,
                          std::string* out) {
  ClusterNode::LineCache& c = node.line_cache;
  const uint64_t epoch = PrintedEpoch(node);
  const bool connected = node.link.valid();
  const std::string_view name = node.name.view();
  const std::string_view master =
      node.replica_of != nullptr ? node.replica_of->name.view() : std::string_view();
  if (c.valid && c.flags == node.flags && c.ping_sent_ms == node.ping_sent_ms &&
      c.pong_received_ms == node.pong_received_ms && c.epoch == epoch &&
      c.connected == connected && c.port == node.port && c.cport == node.cport &&
      c.slots_version == node.slots_version &&
      c.has_master == (node.replica_of != nullptr) &&
      SameText(c.text, 0, static_cast<uint32_t>(name.size()), name) &&
      c.text[name.size()] == ' ' &&
      SameText(c.text, static_cast<uint32_t>(name.size() + 1), c.ip_len, node.ip) &&
      SameText(c.text, c.host_pos + 1, c.host_len, node.hostname) &&
      (node.replica_of == nullptr || SameText(c.text, c.master_pos, c.master_len, master))) {
    out->append(c.text);
    return;
  }
  std::string text;
  absl::StrAppend(&text, Sv(name), " ", node.ip, ":", node.port, "@", node.cport);
  const uint32_t host_pos = static_cast<uint32_t>(text.size());
  if (!node.hostname.empty()) absl::StrAppend(&text, ",", node.hostname);
  absl::StrAppend(&text, " ", FlagsToString(node.flags), " ");
  const uint32_t master_pos = static_cast<uint32_t>(text.size());
  if (node.replica_of != nullptr) {
    absl::StrAppend(&text, Sv(master));
  } else {
    text.push_back('-');
  }
  absl::StrAppend(&text, " ", node.ping_sent_ms, " ", node.pong_received_ms, " ", epoch,
                  connected ? " connected" : " disconnected");
  const uint32_t slots_pos = static_cast<uint32_t>(text.size());
  if (c.valid && c.slots_version == node.slots_version) {
    text.append(c.text, c.slots_pos, std::string::npos);
  } else if (node.num_slots > 0) {
    for (const auto& [first, last] : state.SlotsOf(&node)->Ranges()) {
      if (first == last) {
        absl::StrAppend(&text, " ", first);
      } else {
        absl::StrAppend(&text, " ", first, "-", last);
      }
    }
  }
  c.text = std::move(text);
  c.ping_sent_ms = node.ping_sent_ms;
  c.pong_received_ms = node.pong_received_ms;
  c.epoch = epoch;
  c.slots_version = node.slots_version;
  c.port = node.port;
  c.cport = node.cport;
  c.ip_len = static_cast<uint32_t>(node.ip.size());
  c.host_pos = host_pos;
  c.host_len = static_cast<uint32_t>(node.hostname.size());
  c.master_pos = master_pos;
  c.master_len = static_cast<uint32_t>(master.size());
  c.has_master = node.replica_of != nullptr;
  c.slots_pos = slots_pos;
  c.flags = node.flags;
  c.connected = connected;
  c.valid = true;
  out->append(c.text);
}

}  // namespace

std::vector<SlotRanges> SlotRangesByNode(const ClusterState& state) {
  std::vector<SlotRanges> out(state.nodes.size());
  int slot = 0;
  while (slot < kClusterSlots) {
    const ClusterNode* owner = state.slots[slot];
    int last = slot;
    while (last + 1 < kClusterSlots && state.slots[last + 1] == owner) ++last;
    if (owner != nullptr) {
      size_t i = state.LowerBound(owner->name);
      CHECK(i < state.nodes.size() && state.nodes[i].get() == owner)
          << "slot " << slot << " owner not in the node table";
      out[i].emplace_back(slot, last);
    }
    slot = last + 1;
  }
  return out;
}

std::string ClusterNodeLine(const ClusterState& state, const ClusterNode& node) {
  SlotRanges ranges;
  if (node.num_slots > 0) ranges = state.SlotsOf(&node)->Ranges();
  std::string out;
  AppendNodeLine(state, node, ranges, &out);
  return out;
}

std::string ClusterNodesText(const ClusterState& state, uint16_t exclude_flags) {
  std::string out;
  out.reserve(state.nodes.size() * 160);
  for (const auto& node_ptr : state.nodes) {
    const ClusterNode& node = *node_ptr;
    if (node.flags & exclude_flags) continue;
    if (node.is_myself()) {
      // Never cached: myself's line carries the open slots.
      SlotRanges ranges;
      if (node.num_slots > 0) ranges = state.SlotsOf(&node)->Ranges();
      AppendNodeLine(state, node, ranges, &out);
    } else {
      AppendCachedNodeLine(state, node, &out);
    }
    out.push_back('\n');
  }
  return out;
}

std::string ClusterInfoText(const ClusterState& state) {
  int assigned = 0, ok = 0, pfail = 0, fail = 0;
  for (const ClusterNode* n : state.slots) {
    if (n == nullptr) continue;
    ++assigned;
    if (n->Has(flags::kFail)) {
      ++fail;
    } else if (n->Has(flags::kPFail)) {
      ++pfail;
    } else {
      ++ok;
    }
  }
  const ClusterNode* me = state.myself;
  CHECK(me != nullptr);
  Epoch my_epoch = (me->is_replica() && me->replica_of != nullptr)
                       ? me->replica_of->config_epoch
                       : me->config_epoch;
  std::string out = absl::StrCat(
      "cluster_state:", state.state == ClusterHealth::kOk ? "ok" : "fail",
      "\r\ncluster_slots_assigned:", assigned, "\r\ncluster_slots_ok:", ok,
      "\r\ncluster_slots_pfail:", pfail, "\r\ncluster_slots_fail:", fail,
      "\r\ncluster_known_nodes:", state.nodes.size(), "\r\ncluster_size:", state.size,
      "\r\ncluster_current_epoch:", state.current_epoch.value(),
      "\r\ncluster_my_epoch:", my_epoch.value(), "\r\n");
  struct Direction {
    const char* suffix;
    const std::array<uint64_t, kMsgTypeCount>* counts;
  };
  for (const Direction& d : {Direction{"sent", &state.stats_sent},
                             Direction{"received", &state.stats_received}}) {
    uint64_t total = 0;
    for (int t = 0; t < kMsgTypeCount; ++t) {
      uint64_t count = (*d.counts)[t];
      if (count == 0) continue;
      total += count;
      absl::StrAppend(&out, "cluster_stats_messages_",
                      MsgTypeName(static_cast<MsgType>(t)), "_", d.suffix, ":", count,
                      "\r\n");
    }
    absl::StrAppend(&out, "cluster_stats_messages_", d.suffix, ":", total, "\r\n");
  }
  absl::StrAppend(&out, "total_cluster_links_buffer_limit_exceeded:",
                  state.stats_links_buffer_limit_exceeded, "\r\n");
  return out;
}

}  // namespace slotsim::model
