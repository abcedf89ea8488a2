#include "props/testing/fake_cluster.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "model/cluster_state_builder.h"
#include "model/keyslot.h"
#include "sim/check.h"

namespace slotsim::props::testing {

model::NodeName FakeId(std::string_view name) {
  static constexpr char kHex[] = "0123456789abcdef";
  CHECK(name.size() * 2 <= static_cast<size_t>(model::kNameLen)) << name;
  std::string id;
  for (unsigned char c : name) {
    id += kHex[c >> 4];
    id += kHex[c & 15];
  }
  id.resize(model::kNameLen, '0');
  return model::NodeName::FromString(id);
}

std::string KeyInSlot(int slot) {
  for (int i = 0;; ++i) {
    std::string k = absl::StrCat("k", i);
    if (model::KeyHashSlot(k) == slot) return k;
  }
}

FakeCluster::FakeCluster(std::vector<FakeNodeSpec> layout, sim::Time now)
    : layout_(std::move(layout)) {
  view_.now = now;
  for (const FakeNodeSpec& spec : layout_) {
    auto n = std::make_unique<Node>();
    n->state = BuildState(spec.name);
    nodes_.push_back(std::move(n));
  }
  for (size_t i = 0; i < layout_.size(); ++i) {
    NodeView v;
    v.name = layout_[i].name;
    v.cluster = &nodes_[i]->state;
    v.keyspace = &nodes_[i]->keyspace;
    v.clock_base_ms = kClockBaseMs;
    v.node_timeout_ms = 15000;
    view_.nodes.push_back(v);
    view_.RememberId(FakeId(v.name), v.name);
  }
}

FakeCluster FakeCluster::Standard(int masters, int replicas_per_master, sim::Time now) {
  std::vector<FakeNodeSpec> layout;
  const int per = model::kClusterSlots / masters;
  for (int i = 0; i < masters; ++i) {
    const int first = i * per;
    const int last = i == masters - 1 ? model::kClusterSlots - 1 : first + per - 1;
    layout.push_back(
        {absl::StrCat("m", i + 1), "", {{first, last}}, static_cast<uint64_t>(i + 1)});
  }
  for (int i = 0; i < masters; ++i) {
    for (int r = 0; r < replicas_per_master; ++r) {
      std::string name = absl::StrCat("r", i + 1);
      if (replicas_per_master > 1) name += static_cast<char>('a' + r);
      layout.push_back({name, absl::StrCat("m", i + 1), {}, 0});
    }
  }
  return FakeCluster(std::move(layout), now);
}

model::ClusterState FakeCluster::BuildState(std::string_view observer) const {
  model::ClusterStateBuilder b;
  const int64_t now_ms = NowMs();
  uint64_t max_epoch = 0;
  int port = 7000;
  for (const FakeNodeSpec& spec : layout_) {
    uint16_t f = spec.master.empty() ? model::flags::kMaster : model::flags::kSlave;
    if (spec.name == observer) f |= model::flags::kMyself;
    model::ClusterNode& n = b.Add(FakeId(spec.name).view(), f, "127.0.0.1", port++);
    n.pong_received_ms = now_ms;
    n.data_received_ms = now_ms;
    n.config_epoch = model::Epoch(spec.config_epoch);
    max_epoch = std::max(max_epoch, spec.config_epoch);
  }
  for (const FakeNodeSpec& spec : layout_) {
    const std::string id = FakeId(spec.name).str();
    if (!spec.master.empty()) {
      b.ReplicaOf(id, FakeId(spec.master).str());
      b.Node(id).config_epoch = b.Node(FakeId(spec.master).str()).config_epoch;
    }
    for (const auto& [first, last] : spec.slots) b.Slots(id, first, last);
  }
  model::ClusterState s = b.Build();
  s.current_epoch = model::Epoch(max_epoch);
  s.state = model::ClusterHealth::kOk;
  int size = 0;
  for (const auto& n : s.nodes) size += n->is_master() && n->num_slots > 0;
  s.size = size;
  return s;
}

NodeView& FakeCluster::node(std::string_view name) {
  const int i = view_.IndexOf(name);
  CHECK(i >= 0) << name;
  return view_.nodes[static_cast<size_t>(i)];
}

model::ClusterState& FakeCluster::state(std::string_view observer) {
  const int i = view_.IndexOf(observer);
  CHECK(i >= 0) << observer;
  return nodes_[static_cast<size_t>(i)]->state;
}

model::Keyspace& FakeCluster::keyspace(std::string_view name) {
  const int i = view_.IndexOf(name);
  CHECK(i >= 0) << name;
  return nodes_[static_cast<size_t>(i)]->keyspace;
}

model::ClusterNode& FakeCluster::peer(std::string_view observer, std::string_view name) {
  model::ClusterNode* n = state(observer).Find(FakeId(name));
  CHECK(n != nullptr) << name << " unknown to " << observer;
  return *n;
}

void FakeCluster::Bind(std::string_view observer, int first, int last,
                       std::string_view owner) {
  model::ClusterState& s = state(observer);
  model::ClusterNode* to = owner.empty() ? nullptr : &peer(observer, owner);
  for (int j = first; j <= last; ++j) {
    s.DelSlot(j);
    if (to != nullptr) s.AddSlot(to, j);
  }
}

void FakeCluster::SetRole(std::string_view observer, std::string_view name,
                          std::string_view master) {
  model::ClusterState& s = state(observer);
  model::ClusterNode& n = peer(observer, name);
  if (n.replica_of != nullptr) {
    s.RemoveReplica(n.replica_of, &n);
    n.replica_of = nullptr;
  }
  const uint16_t keep = n.flags & ~(model::flags::kMaster | model::flags::kSlave);
  if (master.empty()) {
    n.flags = keep | model::flags::kMaster;
  } else {
    model::ClusterNode& m = peer(observer, master);
    n.flags = keep | model::flags::kSlave;
    n.replica_of = &m;
    s.AddReplica(&m, &n);
  }
}

void FakeCluster::BindEverywhere(int first, int last, std::string_view owner,
                                 uint64_t epoch) {
  for (const FakeNodeSpec& spec : layout_) {
    if (view_.Find(spec.name)->cluster == nullptr) continue;
    Bind(spec.name, first, last, owner);
    peer(spec.name, owner).config_epoch = model::Epoch(epoch);
    model::ClusterState& s = state(spec.name);
    if (s.current_epoch.value() < epoch) s.current_epoch = model::Epoch(epoch);
  }
}

void FakeCluster::Down(std::string_view name) {
  NodeView& v = node(name);
  v.cluster = nullptr;
  v.keyspace = nullptr;
}

void FakeCluster::Up(std::string_view name) {
  const int i = view_.IndexOf(name);
  CHECK(i >= 0) << name;
  NodeView& v = view_.nodes[static_cast<size_t>(i)];
  v.cluster = &nodes_[static_cast<size_t>(i)]->state;
  v.keyspace = &nodes_[static_cast<size_t>(i)]->keyspace;
}

void FakeCluster::LastHeard(std::string_view observer, std::string_view name,
                            int64_t at_ms) {
  model::ClusterNode& n = peer(observer, name);
  n.data_received_ms = at_ms;
  n.pong_received_ms = at_ms;
}

}  // namespace slotsim::props::testing
