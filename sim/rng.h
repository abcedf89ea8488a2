// Rng: the project's own pseudo-random generator and integer distributions.
//
// xoshiro256** (Blackman & Vigna) seeded through SplitMix64. Every distribution
// here is integer arithmetic only, so a seed gives the same sequence on every
// platform and library version. The standard library's distributions, the C
// library's generator and Abseil's are banned in sim/ and model/ because their
// outputs are not stable across versions (design brief).
//
// Streams: Fork(tag) derives an independent generator from this generator's
// *seed* and the tag, not from its current position. So forking never consumes
// draws, and adding a draw in one component does not shift any other component's
// stream (style practice 5). Fork the same tag twice and you get the same stream.
//
// Example:
//   Rng run(seed);
//   Rng node_rng = run.Fork("node/3");
//   uint64_t jitter_ms = node_rng.Uniform(500);            // 0..499
//   bool lost = node_rng.Chance(1, 1000);                  // p = 1/1000
//   Duration d = node_rng.Exponential(Duration::Millis(2));

#ifndef SLOTSIM_SIM_RNG_H_
#define SLOTSIM_SIM_RNG_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/check.h"
#include "sim/time.h"

namespace slotsim::sim {

class Rng {
 public:
  explicit Rng(uint64_t seed);

  // The seed this generator was built from (forks derive from it).
  uint64_t seed() const { return seed_; }

  // Independent streams named by a tag (see the file comment).
  Rng Fork(uint64_t tag) const;
  Rng Fork(std::string_view tag) const;

  // 64 uniformly random bits.
  uint64_t Next();

  // Uniform integer in [0, n). REQUIRES: n > 0. Unbiased (Lemire's method with
  // rejection).
  uint64_t Uniform(uint64_t n);

  // Uniform integer in [lo, hi], both inclusive. REQUIRES: lo <= hi.
  int64_t UniformRange(int64_t lo, int64_t hi);

  // True with probability numerator/denominator. REQUIRES: denominator > 0.
  // numerator >= denominator is always true; numerator == 0 never.
  bool Chance(uint64_t numerator, uint64_t denominator);

  // Uniform duration in [lo, hi], both inclusive, at microsecond resolution.
  Duration UniformDuration(Duration lo, Duration hi);

  // An exponential-like draw with the given mean, computed as mean * -ln(U) in
  // 32.32 fixed point (no floating point), capped at 40 * mean.
  // REQUIRES: mean >= 0.
  Duration Exponential(Duration mean);

  // A uniformly chosen element. REQUIRES: !v.empty().
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    CHECK(!v.empty());
    return v[Uniform(v.size())];
  }

  // Fisher-Yates shuffle of [first, last).
  template <typename It>
  void Shuffle(It first, It last) {
    auto n = last - first;
    for (auto i = n - 1; i > 0; --i) {
      auto j = static_cast<decltype(i)>(Uniform(static_cast<uint64_t>(i) + 1));
      using std::swap;
      swap(first[i], first[j]);
    }
  }

 private:
  uint64_t seed_;
  uint64_t s_[4];
};

// -ln(x / 2^53) for x in [1, 2^53], in 32.32 fixed point. Exposed for tests.
uint64_t NegLnQ32(uint64_t x);

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_RNG_H_
