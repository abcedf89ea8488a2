#include "sim/rng.h"

#include "sim/hash.h"

namespace slotsim::sim {
namespace {

uint64_t SplitMix64Next(uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  return Mix64(state);
}

constexpr uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

using u128 = unsigned __int128;

// ln(2) in 0.64 fixed point.
constexpr uint64_t kLn2Q64 = 0xB17217F7D1CF79ABULL;

}  // namespace

Rng::Rng(uint64_t seed) : seed_(seed) {
  uint64_t sm = seed;
  for (uint64_t& word : s_) word = SplitMix64Next(sm);
}

Rng Rng::Fork(uint64_t tag) const {
  return Rng(Mix64(seed_ ^ Mix64(tag + 0x5851f42d4c957f2dULL)));
}

Rng Rng::Fork(std::string_view tag) const { return Fork(Fnv1a64(tag)); }

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t Rng::Uniform(uint64_t n) {
  CHECK_GT(n, 0u);
  u128 m = static_cast<u128>(Next()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<u128>(Next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

int64_t Rng::UniformRange(int64_t lo, int64_t hi) {
  CHECK_LE(lo, hi);
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<int64_t>(Next());
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + Uniform(span + 1));
}

bool Rng::Chance(uint64_t numerator, uint64_t denominator) {
  CHECK_GT(denominator, 0u);
  if (numerator == 0) return false;
  if (numerator >= denominator) return true;
  return Uniform(denominator) < numerator;
}

Duration Rng::UniformDuration(Duration lo, Duration hi) {
  return Duration::Micros(UniformRange(lo.micros(), hi.micros()));
}

uint64_t NegLnQ32(uint64_t x) {
  CHECK(x >= 1 && x <= (uint64_t{1} << 53));
  // log2(x) = e + log2(m), m = x / 2^e in [1, 2). Fraction bits by repeated
  // squaring of m held in 2.62 fixed point.
  int e = 63 - __builtin_clzll(x);
  uint64_t m = e >= 62 ? x >> (e - 62) : x << (62 - e);
  uint64_t frac = 0;
  for (int bit = 31; bit >= 0; --bit) {
    m = static_cast<uint64_t>((static_cast<u128>(m) * m) >> 62);
    if (m >= (uint64_t{1} << 63)) {  // m >= 2.0 in 2.62 format
      m >>= 1;
      frac |= uint64_t{1} << bit;
    }
  }
  // -log2(x / 2^53) = 53 - e - frac, in 32.32.
  const uint64_t log2_q32 = (static_cast<uint64_t>(e) << 32) | frac;
  const uint64_t neg_log2_q32 = (uint64_t{53} << 32) - log2_q32;
  // times ln 2.
  return static_cast<uint64_t>((static_cast<u128>(neg_log2_q32) * kLn2Q64) >> 64);
}

Duration Rng::Exponential(Duration mean) {
  CHECK_GE(mean.micros(), 0);
  if (mean.micros() == 0) return Duration::Zero();
  const uint64_t x = (Next() >> 11) + 1;  // uniform in [1, 2^53]
  uint64_t q = NegLnQ32(x);
  const uint64_t cap = uint64_t{40} << 32;
  if (q > cap) q = cap;
  const u128 us = (static_cast<u128>(mean.micros()) * q) >> 32;
  return Duration::Micros(static_cast<int64_t>(us));
}

}  // namespace slotsim::sim
