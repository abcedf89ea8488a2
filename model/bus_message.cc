#include "model/bus_message.h"

namespace slotsim::model {

const char* MsgTypeName(MsgType t) {
  switch (t) {
    case MsgType::kPing: return "ping";
    case MsgType::kPong: return "pong";
    case MsgType::kMeet: return "meet";
    case MsgType::kFail: return "fail";
    case MsgType::kPublish: return "publish";
    case MsgType::kAuthRequest: return "auth-req";
    case MsgType::kAuthAck: return "auth-ack";
    case MsgType::kUpdate: return "update";
    case MsgType::kMfStart: return "mfstart";
    case MsgType::kModule: return "module";
    case MsgType::kPublishShard: return "publishshard";
  }
  return "unknown";
}

int BusMessage::WireSize() const {
  switch (type) {
    case MsgType::kPing:
    case MsgType::kPong:
    case MsgType::kMeet: {
      int size = kHeaderBytes + kGossipEntryBytes * static_cast<int>(gossip.size());
      if (!hostname.empty()) {
        // 8-byte extension header + NUL-terminated name padded to 8 bytes.
        int data = static_cast<int>(hostname.size()) + 1;
        size += 8 + (data + 7) / 8 * 8;
      }
      return size;
    }
    case MsgType::kFail:
      return kHeaderBytes + kNameLen;
    case MsgType::kUpdate:
      return kHeaderBytes + 8 + kNameLen + kClusterSlots / 8;
    default:
      return kHeaderBytes;
  }
}

}  // namespace slotsim::model
