// Vocabulary types of the Redis Cluster model: node names, epochs, slots, slot
// bitmaps, link ids.
//
// Redis (cluster.h): CLUSTER_SLOTS = 16384, CLUSTER_NAMELEN = 40. A node name is 40
// lowercase hex characters drawn at random (getRandomHexChars); here they are
// drawn from the node's own Rng stream so runs replay.
//
// SlotBitmap is the 2048-byte `myslots` bitmap of the bus header: bit j is byte
// j/8, bit j&7 (LSB first). Bitmaps travel in messages as SharedSlots (immutable,
// shared) so a broadcast to 999 peers does not copy 2 KiB 999 times.

#ifndef SLOTSIM_MODEL_TYPES_H_
#define SLOTSIM_MODEL_TYPES_H_

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/rng.h"

namespace slotsim::model {

inline constexpr int kClusterSlots = 16384;  // CLUSTER_SLOTS
inline constexpr int kNameLen = 40;          // CLUSTER_NAMELEN

// A 40-character node ID. The all-zero value (40 NUL bytes, as in a header's
// empty `slaveof` field) means "none".
class NodeName {
 public:
  NodeName() { chars_.fill(0); }

  // 40 random lowercase hex characters from `rng`.
  static NodeName Random(sim::Rng& rng);
  // Accepts exactly 40 characters of [0-9a-f]; anything else is nullopt.
  static std::optional<NodeName> Parse(std::string_view text);
  // For tests and fixtures: `text` must be 40 chars (CHECKed), not validated.
  static NodeName FromString(std::string_view text);

  bool empty() const { return chars_[0] == 0; }
  std::string_view view() const {
    return empty() ? std::string_view() : std::string_view(chars_.data(), kNameLen);
  }
  std::string str() const { return std::string(view()); }
  // The first 8 characters, for logs and timelines ("a66f5dbc").
  std::string_view short_name() const { return view().substr(0, 8); }

  bool operator==(const NodeName& o) const { return chars_ == o.chars_; }
  bool operator!=(const NodeName& o) const { return chars_ != o.chars_; }
  // Byte order (memcmp), which is also Redis's order for the epoch-collision rule.
  bool operator<(const NodeName& o) const {
    return std::memcmp(chars_.data(), o.chars_.data(), kNameLen) < 0;
  }

  template <typename H>
  friend H AbslHashValue(H h, const NodeName& n) {
    return H::combine_contiguous(std::move(h), n.chars_.data(), kNameLen);
  }

 private:
  std::array<char, kNameLen> chars_;
};

// A 64-bit epoch (currentEpoch, configEpoch, lastVoteEpoch). Plain value type;
// the strong type keeps epochs from being mixed with offsets or times.
class Epoch {
 public:
  constexpr Epoch() = default;
  constexpr explicit Epoch(uint64_t v) : v_(v) {}
  constexpr uint64_t value() const { return v_; }
  constexpr bool operator==(Epoch o) const { return v_ == o.v_; }
  constexpr bool operator!=(Epoch o) const { return v_ != o.v_; }
  constexpr bool operator<(Epoch o) const { return v_ < o.v_; }
  constexpr bool operator<=(Epoch o) const { return v_ <= o.v_; }
  constexpr bool operator>(Epoch o) const { return v_ > o.v_; }
  constexpr bool operator>=(Epoch o) const { return v_ >= o.v_; }
  constexpr Epoch Next() const { return Epoch(v_ + 1); }

 private:
  uint64_t v_ = 0;
};

// The 16384-bit slot bitmap.
class SlotBitmap {
 public:
  SlotBitmap() { words_.fill(0); }

  bool Test(int slot) const { return (words_[slot >> 6] >> (slot & 63)) & 1; }
  void Set(int slot) {
    words_[slot >> 6] |= uint64_t{1} << (slot & 63);
    digest_valid_ = false;
  }
  void Clear(int slot) {
    words_[slot >> 6] &= ~(uint64_t{1} << (slot & 63));
    digest_valid_ = false;
  }
  void SetRange(int first, int last);  // inclusive
  // A 64-bit digest of the bitmap's content, computed once and cached until
  // the next change (bitmaps shared by messages are digested for the trace
  // hash on every delivery). Not thread-safe; a bitmap belongs to one run.
  uint64_t Digest() const;
  int Count() const;
  bool None() const;
  bool operator==(const SlotBitmap& o) const { return words_ == o.words_; }
  bool operator!=(const SlotBitmap& o) const { return words_ != o.words_; }

  // Ascending [first, last] runs of set bits.
  std::vector<std::pair<int, int>> Ranges() const;
  // "0-5460 10923" style text (CLUSTER NODES slot tokens, single slots bare).
  std::string ToRangeString() const;

  // Raw 64-bit words, word i holding slots 64i..64i+63 (bit k = slot 64i+k).
  const std::array<uint64_t, kClusterSlots / 64>& words() const { return words_; }

 private:
  std::array<uint64_t, kClusterSlots / 64> words_;
  mutable uint64_t digest_ = 0;
  mutable bool digest_valid_ = false;
};

using SharedSlots = std::shared_ptr<const SlotBitmap>;

// A node's handle for one of its connections (cluster bus or client port).
// Allocated by the node; 0 means "no link".
class LinkId {
 public:
  constexpr LinkId() = default;
  constexpr explicit LinkId(uint64_t v) : v_(v) {}
  constexpr uint64_t value() const { return v_; }
  constexpr bool valid() const { return v_ != 0; }
  constexpr bool operator==(LinkId o) const { return v_ == o.v_; }
  constexpr bool operator!=(LinkId o) const { return v_ != o.v_; }
  constexpr bool operator<(LinkId o) const { return v_ < o.v_; }

 private:
  uint64_t v_ = 0;
};

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_TYPES_H_
