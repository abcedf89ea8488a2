// How redis-cli's cluster manager reads node replies: CLUSTER NODES lines
// (clusterManagerNodeLoadInfo), INFO fields (getLongInfoField), CLUSTER SLOTS
// owners (clusterManagerGetSlotOwner) and node addresses
// (parseClusterNodeAddress), all from src/redis-cli.c at 7.0.15.
//
// CLUSTER NODES, per "\n"-terminated line (a trailing unterminated line is
// ignored): the first eight space-terminated fields are id, address, flags,
// master id, ping-sent, pong-recv, config-epoch, link-state; what follows the
// eighth is the slot part. A line without a flags field, or whose address has
// no ':', makes the whole reply invalid (redis-cli's load fails). The address
// is split at the last '@' (bus port, atoi so ",hostname" is ignored) and then
// at the last ':'. Flags are the comma-separated words in order. Slot tokens:
// "a-b" ranges, "n" single slots, "[n->-id]" migrating and "[n-<-id]"
// importing (only lines that redis-cli reads slots from matter: myself's).
// `replicate` is the master id, set only when the flags include "slave".
//
// INFO: getLongInfoField finds the first occurrence of the field name
// anywhere in the text (substring, as strstr), skips the ':' and reads a
// number up to '\r' or ','. A missing field reads as LONG_MIN.

#ifndef SLOTSIM_SCENARIOS_CLI_NODES_H_
#define SLOTSIM_SCENARIOS_CLI_NODES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/reply.h"
#include "model/types.h"

namespace slotsim::scenarios {

// CLUSTER_MANAGER_FLAG_* bits.
inline constexpr uint32_t kCliFlagMyself = 1 << 0;
inline constexpr uint32_t kCliFlagSlave = 1 << 1;
inline constexpr uint32_t kCliFlagFriend = 1 << 2;
inline constexpr uint32_t kCliFlagNoAddr = 1 << 3;
inline constexpr uint32_t kCliFlagDisconnect = 1 << 4;
inline constexpr uint32_t kCliFlagFail = 1 << 5;

struct CliNodesLine {
  std::string name;
  std::string addr;  // the raw address field
  std::string ip;
  int port = 0;
  int bus_port = 0;
  std::string flags_text;          // the raw flags field
  std::vector<std::string> flags;  // in listed order
  uint32_t flag_bits = 0;          // kCliFlag* from the words above
  std::string master_id;           // the raw field ("-" for masters)
  std::string replicate;           // master id when "slave" is a flag, else ""
  int64_t config_epoch = 0;
  std::string link_state;  // "connected" / "disconnected" ("" if absent)
  bool myself = false;
  bool has_slot_part = false;
  model::SlotBitmap slots;
  int slots_count = 0;  // as redis-cli counts: per token (overlaps count twice)
  std::vector<std::pair<int, model::NodeName>> migrating;
  std::vector<std::pair<int, model::NodeName>> importing;
};

// Nullopt (and *error set) when redis-cli's load would fail.
std::optional<std::vector<CliNodesLine>> ParseCliNodes(std::string_view text,
                                                       std::string* error);

// parseClusterNodeAddress: "ip:port[@bus]". False without ':'.
bool ParseCliAddress(std::string_view addr, std::string* ip, int* port, int* bus_port);

// getLongInfoField; INT64_MIN when the field is missing.
int64_t InfoLongField(std::string_view info, std::string_view field);

// clusterManagerGetSlotOwner over a CLUSTER SLOTS reply: the master of every
// range holding `slot`, in reply order, as (id, ip, port); id is "" when the
// entry has none (the caller then matches by address). Malformed entries are
// skipped (redis-cli would assert).
struct SlotOwnerRef {
  std::string id;
  std::string ip;
  int port = 0;
};
std::vector<SlotOwnerRef> SlotOwnersFromClusterSlots(const model::Reply& reply, int slot);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_CLI_NODES_H_
