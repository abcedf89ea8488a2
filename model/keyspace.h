// Keyspace: one node's database 0, string keys only, indexed by hash slot.
//
// Redis: the main dict of db 0 plus the cluster's per-slot key index
// (server.cluster->slots_keys / slotToKeyAdd / slotToKeyDel in 7.0), which is
// what CLUSTER COUNTKEYSINSLOT, CLUSTER GETKEYSINSLOT and the delete-keys-in-slot
// paths (delKeysInSlot, used when a node loses a slot) read.
//
// Every value carries a `version` chosen by whoever wrote it (e.g. a workload's
// write counter), so two writes of the same bytes can be told apart by checkers
// measuring lost writes.
//
// Invariants:
//   1. Every key is stored under the slot KeyHashSlot(key).
//   2. No empty per-slot map is kept; size() is the sum of the per-slot counts.
//   3. All containers are ordered, so iteration order, GetKeysInSlot's answer and
//      Digest() depend only on the content, never on insertion order or process.
//
// Fidelity: GetKeysInSlot returns keys in ascending byte order. Real Redis 7.0
// walks its per-slot linked list (most recently added key first); callers such as
// the cluster manager only depend on getting *some* keys of the slot.
//
// Example:
//   Keyspace db;
//   db.Set("foo", {"bar", 1});
//   db.CountKeysInSlot(12182);       // 1
//   db.GetKeysInSlot(12182, 10);     // {"foo"}

#ifndef SLOTSIM_MODEL_KEYSPACE_H_
#define SLOTSIM_MODEL_KEYSPACE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"

namespace slotsim::model {

struct Value {
  std::string data;
  uint64_t version = 0;

  bool operator==(const Value& o) const { return data == o.data && version == o.version; }
  bool operator!=(const Value& o) const { return !(*this == o); }
};

class Keyspace {
 public:
  Keyspace() = default;

  // The value of `key`, or nullptr. The pointer is valid until the next write.
  const Value* Get(std::string_view key) const;
  bool Exists(std::string_view key) const { return Get(key) != nullptr; }

  // Inserts or overwrites. Returns true if the key was new.
  bool Set(std::string_view key, Value value);

  // Removes `key`. Returns true if it existed.
  bool Del(std::string_view key);

  // CLUSTER COUNTKEYSINSLOT. REQUIRES: 0 <= slot < kClusterSlots.
  int CountKeysInSlot(int slot) const;

  // CLUSTER GETKEYSINSLOT: up to `count` keys of `slot`, ascending byte order.
  // REQUIRES: 0 <= slot < kClusterSlots, count >= 0.
  std::vector<std::string> GetKeysInSlot(int slot, int count) const;

  // Deletes every key of `slot`; returns how many were deleted (delKeysInSlot).
  // REQUIRES: 0 <= slot < kClusterSlots.
  int DelKeysInSlot(int slot);

  // Number of keys (DBSIZE).
  int64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void Clear();

  // Ascending slots that hold at least one key.
  std::vector<int> SlotsWithKeys() const;

  // Calls fn(slot, key, value) for every key in (slot, key) order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const auto& [slot, keys] : slots_) {
      for (const auto& [key, value] : keys) fn(slot, std::string_view(key), value);
    }
  }

  // Calls fn(key, value) for the keys of one slot, ascending key order.
  template <typename Fn>
  void ForEachInSlot(int slot, Fn&& fn) const {
    auto it = slots_.find(slot);
    if (it == slots_.end()) return;
    for (const auto& [key, value] : it->second) fn(std::string_view(key), value);
  }

  // A platform-independent 64-bit digest of the whole content (keys, data and
  // versions), for checkers comparing nodes. Equal content gives equal digests.
  uint64_t Digest() const;

  // Content equality (same keys, same data, same versions).
  bool operator==(const Keyspace& o) const {
    return size_ == o.size_ && slots_ == o.slots_;
  }
  bool operator!=(const Keyspace& o) const { return !(*this == o); }

 private:
  // absl::btree_map<std::string, ...> compares transparently, so lookups by
  // absl::string_view do not allocate.
  using SlotKeys = absl::btree_map<std::string, Value>;

  absl::btree_map<int, SlotKeys> slots_;  // only non-empty slots
  int64_t size_ = 0;
};

// DUMP / RESTORE payloads. The model's own encoding of a Value, shaped like
// Redis's (createDumpPayload: the serialized object, then a 2-byte RDB
// version and an 8-byte checksum):
//   byte 0        0x00 (RDB_TYPE_STRING)
//   bytes 1..8    `version`, little endian
//   bytes 9..n-11 `data`
//   bytes n-10..  RDB version 10, little endian (2 bytes), then a 64-bit
//                 sim::Hasher digest of everything before it, little endian.
// Deterministic: equal values give equal payloads.
std::string EncodeDumpPayload(const Value& value);
// The Value in `payload`, or nullopt if the trailer or checksum is wrong
// (verifyDumpPayload) or the body is not a string (rdbLoadObject).
std::optional<Value> DecodeDumpPayload(std::string_view payload);
// Whether the trailer (RDB version <= 10, checksum) is right, whatever the body.
bool VerifyDumpPayload(std::string_view payload);
// Wraps `body` in the trailer (also used for FUNCTION DUMP's payload).
std::string SealDumpPayload(std::string body);

// DEBUG DIGEST-VALUE of one key: 40 hex digits computed from the value's
// bytes only (like Redis's xorObjectDigest of a string: neither the key name
// nor the model's `version`); 40 zeros for a missing key.
std::string DigestValueHex(const Value* value);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_KEYSPACE_H_
