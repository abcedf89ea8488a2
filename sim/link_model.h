// Link model: how long a packet takes between two endpoints, and the
// datagram-style misbehaviour a link may add.
//
// A DelayModel is a base plus one random component: none (fixed), uniform in
// [0, spread], or exponential-like with a mean (Rng::Exponential, integer
// arithmetic only). LinkOptions add integer-ratio probabilities of loss,
// duplication and reordering of data messages (these knowingly break TCP's
// guarantees and are off by default) and the capacity of each direction's
// queue. LinkTable holds the default options and overrides per ordered
// (from, to) endpoint pair.
//
// Invariants: sampled delays are >= 0; every probability's denominator > 0.

#ifndef SLOTSIM_SIM_LINK_MODEL_H_
#define SLOTSIM_SIM_LINK_MODEL_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "sim/ids.h"
#include "sim/rng.h"
#include "sim/time.h"

namespace slotsim::sim {

// numerator / denominator; 0 / 1 (never) by default.
struct Ratio {
  uint64_t numerator = 0;
  uint64_t denominator = 1;
  bool never() const { return numerator == 0; }
};

class DelayModel {
 public:
  enum class Kind : uint8_t { kFixed, kUniform, kExponential };

  // Always `d`.
  static DelayModel Fixed(Duration d);
  // Uniform in [lo, hi] (microsecond resolution). REQUIRES: 0 <= lo <= hi.
  static DelayModel Uniform(Duration lo, Duration hi);
  // base + an exponential-like draw with the given mean.
  static DelayModel Exponential(Duration base, Duration mean);

  Duration Sample(Rng& rng) const;

  Kind kind() const { return kind_; }
  Duration base() const { return base_; }
  // hi - lo for kUniform, the mean for kExponential, zero for kFixed.
  Duration spread() const { return spread_; }
  // "fixed(0.001000s)", "uniform(0.001000s..0.003000s)", "exp(0.001000s+0.002000s)".
  std::string ToString() const;

 private:
  DelayModel(Kind kind, Duration base, Duration spread)
      : kind_(kind), base_(base), spread_(spread) {}
  Kind kind_;
  Duration base_;
  Duration spread_;
};

struct LinkOptions {
  DelayModel delay = DelayModel::Fixed(Duration::Millis(1));
  // Probabilities applied to each data message as it is sent.
  Ratio loss;
  Ratio duplicate;
  Ratio reorder;
  // Data messages a direction may hold (in flight plus arrived but not yet
  // taken by a paused receiver); beyond it, new messages are dropped.
  uint32_t capacity = 100000;
};

class LinkTable {
 public:
  explicit LinkTable(LinkOptions default_options = {})
      : default_(std::move(default_options)) {}

  void SetDefault(LinkOptions options) { default_ = std::move(options); }
  void Set(EndpointId from, EndpointId to, LinkOptions options) {
    pairs_.insert_or_assign(Key(from, to), std::move(options));
  }
  void Reset(EndpointId from, EndpointId to) { pairs_.erase(Key(from, to)); }

  const LinkOptions& Get(EndpointId from, EndpointId to) const {
    if (pairs_.empty()) return default_;
    auto it = pairs_.find(Key(from, to));
    return it == pairs_.end() ? default_ : it->second;
  }
  const LinkOptions& default_options() const { return default_; }

 private:
  static std::pair<uint32_t, uint32_t> Key(EndpointId from, EndpointId to) {
    return {from.value(), to.value()};
  }
  LinkOptions default_;
  std::map<std::pair<uint32_t, uint32_t>, LinkOptions> pairs_;
};

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_LINK_MODEL_H_
