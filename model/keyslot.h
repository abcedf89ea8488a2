// Key -> hash slot mapping: CRC16 (XMODEM) and the hash-tag rule.
//
// Redis: crc16() in src/crc16.c, keyHashSlot() in src/cluster.c and its copy
// clusterManagerKeyHashSlot() in src/redis-cli.c (same algorithm).
//
// Crc16 is CRC-16/XMODEM: polynomial 0x1021, initial value 0, MSB first, no
// reflection, no final XOR; Crc16("123456789") == 0x31C3. The 256-entry table is
// computed at compile time from the polynomial.
//
// KeyHashSlot(key) == Crc16(h) & 0x3FFF where h is:
//   - the whole key if it has no '{';
//   - the whole key if the first '{' has no '}' after it, or that '}' follows it
//     immediately ("{}" is an empty tag);
//   - otherwise the bytes strictly between the first '{' and the first '}' after it.
// Invariant: 0 <= KeyHashSlot(key) < kClusterSlots.
//
// Example:
//   KeyHashSlot("{user1000}.following") == KeyHashSlot("user1000")  // 3443

#ifndef SLOTSIM_MODEL_KEYSLOT_H_
#define SLOTSIM_MODEL_KEYSLOT_H_

#include <cstdint>
#include <string_view>

namespace slotsim::model {

// CRC-16/XMODEM of `data`.
uint16_t Crc16(std::string_view data);

// The part of `key` that is hashed: the hash tag if there is a non-empty one,
// otherwise the whole key.
std::string_view HashTagOf(std::string_view key);

// The hash slot of `key`, in [0, 16384).
int KeyHashSlot(std::string_view key);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_KEYSLOT_H_
