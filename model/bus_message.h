// BusMessage: one cluster-bus packet (clusterMsg in Redis's cluster.h).
//
// The model does not serialize to bytes; it keeps the header fields that matter
// as a struct and computes the size the packet would have on the wire
// (WireSize(), from the rules of cluster.h: 2256-byte header, 104-byte gossip
// entries, padded ping extensions, fixed payloads), so byte counts and
// per-type statistics match Redis.
//
// Messages are immutable once built and travel as std::shared_ptr<const
// BusMessage> (BusMessagePtr): a broadcast shares one object.

#ifndef SLOTSIM_MODEL_BUS_MESSAGE_H_
#define SLOTSIM_MODEL_BUS_MESSAGE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/types.h"

namespace slotsim::model {

// CLUSTERMSG_TYPE_*.
enum class MsgType : uint16_t {
  kPing = 0,
  kPong = 1,
  kMeet = 2,
  kFail = 3,
  kPublish = 4,
  kAuthRequest = 5,  // FAILOVER_AUTH_REQUEST
  kAuthAck = 6,      // FAILOVER_AUTH_ACK
  kUpdate = 7,
  kMfStart = 8,
  kModule = 9,
  kPublishShard = 10,
};
inline constexpr int kMsgTypeCount = 11;

// Redis's names for CLUSTER INFO counters (clusterGetMessageTypeString):
// "ping", "pong", "meet", "fail", "publish", "auth-req", "auth-ack", "update",
// "mfstart", "module", "publishshard".
const char* MsgTypeName(MsgType t);

// CLUSTER_NODE_* flag bits (16 bits on the wire).
namespace flags {
inline constexpr uint16_t kMaster = 1;
inline constexpr uint16_t kSlave = 2;
inline constexpr uint16_t kPFail = 4;
inline constexpr uint16_t kFail = 8;
inline constexpr uint16_t kMyself = 16;
inline constexpr uint16_t kHandshake = 32;
inline constexpr uint16_t kNoAddr = 64;
inline constexpr uint16_t kMeet = 128;
inline constexpr uint16_t kMigrateTo = 256;
inline constexpr uint16_t kNoFailover = 512;
}  // namespace flags

// CLUSTERMSG_FLAG0_* (byte 0 of mflags).
namespace mflags {
inline constexpr uint8_t kPaused = 1;
inline constexpr uint8_t kForceAck = 2;
inline constexpr uint8_t kExtData = 4;
}  // namespace mflags

inline constexpr int kHeaderBytes = 2256;     // sizeof(clusterMsg) - sizeof(union data)
inline constexpr int kGossipEntryBytes = 104; // sizeof(clusterMsgDataGossip)

// clusterMsgDataGossip: the sender's view of one other node.
struct GossipEntry {
  NodeName name;
  uint32_t ping_sent_s = 0;      // seconds (ms / 1000), as on the wire
  uint32_t pong_received_s = 0;  // seconds
  std::string ip;
  uint16_t port = 0;
  uint16_t cport = 0;
  uint16_t pport = 0;
  uint16_t flags = 0;
};

struct BusMessage {
  MsgType type = MsgType::kPing;

  // Header (clusterBuildMessageHdr).
  uint16_t port = 0;
  uint16_t cport = 0;
  uint16_t pport = 0;
  Epoch current_epoch;
  Epoch config_epoch;     // sender's, or its master's if the sender is a replica
  uint64_t offset = 0;    // replication offset
  NodeName sender;
  SharedSlots myslots;    // never null in a built message
  NodeName slaveof;       // empty when the sender is a master
  std::string myip;       // announced ip, empty = receiver uses the socket peer
  uint16_t flags = 0;     // sender's myself->flags
  uint8_t state = 0;      // 0 ok / 1 fail; never read by receivers in 7.0
  uint8_t mflags = 0;

  // PING / PONG / MEET.
  std::vector<GossipEntry> gossip;
  std::string hostname;   // HOSTNAME ping extension; empty = no extension

  // FAIL.
  NodeName fail_about;

  // UPDATE.
  Epoch update_config_epoch;
  NodeName update_node;
  SharedSlots update_slots;

  // Bytes this packet occupies on the wire (totlen).
  int WireSize() const;
};

using BusMessagePtr = std::shared_ptr<const BusMessage>;

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_BUS_MESSAGE_H_
