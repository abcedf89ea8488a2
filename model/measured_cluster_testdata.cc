#include "model/measured_cluster_testdata.h"

#include <string>
#include <vector>

#include "model/bus_message.h"
#include "model/cluster_state_builder.h"

namespace slotsim::model::testdata {
namespace {

// One node as a measured CLUSTER NODES line shows it.
struct Row {
  const char* name;
  uint16_t flags;
  const char* master;  // nullptr = "-"
  int64_t ping_sent_ms;
  int64_t pong_received_ms;
  bool link;
  uint64_t repl_offset;
};

struct Spec {
  std::vector<Row> rows;
  bool promoted = false;  // E owns 0-5460 with epoch 7, A has no slots
  Epoch current_epoch{6};
  ClusterHealth health = ClusterHealth::kOk;
  std::vector<std::pair<MsgType, uint64_t>> sent, received;
  uint64_t my_repl_offset = 0;
};

constexpr uint16_t kM = flags::kMaster;
constexpr uint16_t kS = flags::kSlave;
constexpr uint16_t kMe = flags::kMyself;

int PortOf(const std::string& name) {
  if (name == kNodeA) return 11001;
  if (name == kNodeB) return 11002;
  if (name == kNodeC) return 11003;
  if (name == kNodeD) return 11004;
  if (name == kNodeE) return 11005;
  return 11006;
}

Spec SpecOf(Snapshot snapshot) {
  using T = MsgType;
  Spec s;
  switch (snapshot) {
    case Snapshot::kSteady:
      s.rows = {{kNodeE, kS, kNodeA, 0, 1795547551557, true, 0},
                {kNodeA, kM, nullptr, 0, 1795547553064, true, 0},
                {kNodeC, kM, nullptr, 0, 1795547552059, true, 0},
                {kNodeD, kS, kNodeC, 0, 1795547552000, true, 0},
                {kNodeF, kS, kNodeB, 0, 1795547551000, true, 0},
                {kNodeB, kMe | kM, nullptr, 0, 1795547552000, false, 0}};
      s.sent = {{T::kPing, 17}, {T::kPong, 17}, {T::kMeet, 1}};
      s.received = {{T::kPing, 17}, {T::kPong, 18}};
      break;
    case Snapshot::kNodesConfExample:
      s.rows = {{kNodeE, kS, kNodeA, 0, 1795547549045, true, 0},
                {kNodeA, kM, nullptr, 0, 1795547548038, true, 0},
                {kNodeC, kM, nullptr, 0, 1795547548139, true, 0},
                {kNodeD, kS, kNodeC, 0, 1795547550050, true, 0},
                {kNodeF, kS, kNodeB, 0, 1795547548239, true, 0},
                {kNodeB, kMe | kM, nullptr, 0, 1795547549000, false, 0}};
      break;
    case Snapshot::kFromReplica:
      s.rows = {{kNodeF, kS, kNodeB, 0, 1795547553058, true, 0},
                {kNodeD, kS, kNodeC, 0, 1795547552000, true, 0},
                {kNodeC, kM, nullptr, 0, 1795547552056, true, 0},
                {kNodeA, kM, nullptr, 0, 1795547552557, true, 0},
                {kNodeB, kM, nullptr, 0, 1795547552000, true, 0},
                {kNodeE, kMe | kS, kNodeA, 0, 1795547551000, false, 0}};
      break;
    case Snapshot::kPFail:
      s.rows = {
          {kNodeE, kS, kNodeA, 0, 1795547558111, true, 0},
          {kNodeA, kM | flags::kPFail, nullptr, 1795547555082, 1795547553064, false, 0},
          {kNodeC, kM, nullptr, 0, 1795547559626, true, 14},
          {kNodeD, kS, kNodeC, 0, 1795547559121, true, 14},
          {kNodeF, kS, kNodeB, 0, 1795547560131, true, 14},
          {kNodeB, kMe | kM, nullptr, 0, 1795547560000, false, 0}};
      s.sent = {{T::kPing, 28}, {T::kPong, 31}, {T::kMeet, 1}};
      s.received = {{T::kPing, 31}, {T::kPong, 28}};
      s.my_repl_offset = 14;
      break;
    case Snapshot::kFail:
      s.rows = {
          {kNodeE, kS, kNodeA, 0, 1795547560635, true, 0},
          {kNodeA, kM | flags::kFail, nullptr, 1795547555082, 1795547553064, false, 0},
          {kNodeC, kM, nullptr, 0, 1795547559626, true, 14},
          {kNodeD, kS, kNodeC, 0, 1795547559121, true, 14},
          {kNodeF, kS, kNodeB, 0, 1795547560131, true, 14},
          {kNodeB, kMe | kM, nullptr, 0, 1795547560000, false, 0}};
      s.health = ClusterHealth::kFail;
      s.sent = {{T::kPing, 29}, {T::kPong, 32}, {T::kMeet, 1}};
      s.received = {{T::kPing, 32}, {T::kPong, 29}, {T::kFail, 1}};
      s.my_repl_offset = 14;
      break;
    case Snapshot::kAfterFailover:
    case Snapshot::kAfterFailoverSettled: {
      bool settled = snapshot == Snapshot::kAfterFailoverSettled;
      s.rows = {
          {kNodeE, kM, nullptr, 0, 1795547561000, true, 0},
          {kNodeA, kM | flags::kFail, nullptr, 1795547555082, 1795547553064, false, 0},
          {kNodeC, kM, nullptr, 0, 1795547561000, true, 14},
          {kNodeD, kS, kNodeC, 0, 1795547561139, true, 14},
          {kNodeF, kS, kNodeB, 0, settled ? 1795547562149 : 1795547560131, true, 14},
          {kNodeB, kMe | kM, nullptr, 0, settled ? 1795547562000 : 1795547560000, false,
           0}};
      s.promoted = true;
      s.current_epoch = Epoch(7);
      s.sent = {{T::kPing, settled ? 31u : 30u},
                {T::kPong, settled ? 35u : 32u},
                {T::kMeet, 1},
                {T::kAuthAck, 1}};
      s.received = {{T::kPing, settled ? 35u : 32u},
                    {T::kPong, settled ? 32u : 31u},
                    {T::kFail, 1},
                    {T::kAuthRequest, 1}};
      s.my_repl_offset = 14;
      break;
    }
    case Snapshot::kAfterRejoin:
      s.rows = {{kNodeE, kM, nullptr, 0, 1795547566000, true, 0},
                {kNodeA, kS, kNodeE, 0, 1795547568066, true, 0},
                {kNodeC, kM, nullptr, 0, 1795547567162, true, 28},
                {kNodeD, kS, kNodeC, 0, 1795547568166, true, 28},
                {kNodeF, kS, kNodeB, 0, 1795547567000, true, 14},
                {kNodeB, kMe | kM, nullptr, 0, 1795547568000, false, 0}};
      s.promoted = true;
      s.current_epoch = Epoch(7);
      s.my_repl_offset = 28;
      break;
  }
  return s;
}

}  // namespace

MeasuredCluster MeasuredState(Snapshot snapshot) {
  Spec spec = SpecOf(snapshot);
  ClusterStateBuilder b;
  for (const Row& r : spec.rows) {
    ClusterNode& n = b.Add(r.name, r.flags, "127.0.0.1", PortOf(r.name));
    n.ping_sent_ms = r.ping_sent_ms;
    n.pong_received_ms = r.pong_received_ms;
    n.repl_offset = r.repl_offset;
    if (r.link) b.Connect(r.name);
  }
  // Replica lists in the order Redis built them (one replica per master).
  for (const Row& r : spec.rows) {
    if (r.master != nullptr) b.ReplicaOf(r.name, r.master);
  }
  b.Node(kNodeA).config_epoch = Epoch(1);
  b.Node(kNodeB).config_epoch = Epoch(2);
  b.Node(kNodeC).config_epoch = Epoch(3);
  b.Node(kNodeE).config_epoch = Epoch(spec.promoted ? 7 : 4);
  b.Node(kNodeF).config_epoch = Epoch(5);
  b.Node(kNodeD).config_epoch = Epoch(6);
  b.Slots(spec.promoted ? kNodeE : kNodeA, 0, 5460);
  b.Slots(kNodeB, 5461, 10922);
  b.Slots(kNodeC, 10923, 16383);
  ClusterState& st = b.state();
  st.current_epoch = spec.current_epoch;
  st.state = spec.health;
  st.size = 3;
  for (auto [type, count] : spec.sent) st.stats_sent[static_cast<int>(type)] = count;
  for (auto [type, count] : spec.received) {
    st.stats_received[static_cast<int>(type)] = count;
  }
  return MeasuredCluster{b.Build(), spec.my_repl_offset};
}

}  // namespace slotsim::model::testdata
