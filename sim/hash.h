// Hasher: a platform-independent 64-bit hash over a canonical encoding.
//
// The trace hash (sim/trace.h) and message digests feed values through a Hasher
// one field at a time: integers as 64-bit words, strings as their length followed
// by their bytes packed little-endian into words. The result depends only on the
// sequence of Add calls, never on memory layout, pointer values, endianness or
// library versions, so equal runs give equal hashes on every machine. (Serialized
// protobufs are not canonical and must not be hashed: design brief.)
//
// Not cryptographic. Mixing is the SplitMix64 finalizer, which is a bijection on
// 64-bit words, applied after every word.
//
// Example:
//   Hasher h;
//   h.AddU64(42).AddString("PING");
//   uint64_t d = h.digest();

#ifndef SLOTSIM_SIM_HASH_H_
#define SLOTSIM_SIM_HASH_H_

#include <cstdint>
#include <string_view>

namespace slotsim::sim {

// The SplitMix64 output function: a fast, well-mixing bijection on uint64_t.
constexpr uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// FNV-1a over bytes: a stable hash for short tags such as stream names.
constexpr uint64_t Fnv1a64(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

class Hasher {
 public:
  Hasher() = default;
  explicit Hasher(uint64_t state) : state_(state) {}

  Hasher& AddU64(uint64_t v) {
    state_ = Mix64(state_ ^ (v + 0x9e3779b97f4a7c15ULL + (state_ << 6)));
    return *this;
  }
  Hasher& AddI64(int64_t v) { return AddU64(static_cast<uint64_t>(v)); }
  Hasher& AddBool(bool v) { return AddU64(v ? 1 : 0); }
  Hasher& AddString(std::string_view s);

  uint64_t digest() const { return Mix64(state_); }

 private:
  uint64_t state_ = 0x736c6f7473696d00ULL;  // "slotsim\0"
};

inline Hasher& Hasher::AddString(std::string_view s) {
  AddU64(s.size());
  uint64_t word = 0;
  int filled = 0;
  for (char c : s) {
    word |= static_cast<uint64_t>(static_cast<unsigned char>(c)) << (8 * filled);
    if (++filled == 8) {
      AddU64(word);
      word = 0;
      filled = 0;
    }
  }
  if (filled > 0) AddU64(word);
  return *this;
}

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_HASH_H_
