// ShrinkGreedily: walks a RapidCheck Shrinkable's shrinks towards a minimal
// value that still fails, within a budget of trials.
//
// Algorithm: take the current value's shrinks in RapidCheck's order; the first
// one for which `trial` says kFails becomes the current value and the walk
// restarts from its shrinks; when none of them fails, the current value is
// minimal (locally: no single shrink of it still fails). `trial` may answer
// kSkipped for a candidate it did not need to run (e.g. one equal to a value
// already tried); skips do not count towards the budget, but at most
// 20 x budget candidates are looked at in all, so the walk always ends.
//
// Determinism: the result is a function of the start value, the order of its
// shrinks (deterministic in RapidCheck) and `trial`'s answers.

#ifndef SLOTSIM_PROPS_SHRINK_H_
#define SLOTSIM_PROPS_SHRINK_H_

#include <cstdint>

#include "rapidcheck.h"

namespace slotsim::props {

enum class Verdict { kFails, kPasses, kSkipped };

template <typename T>
struct ShrinkResult {
  rc::Shrinkable<T> value;
  int trials = 0;      // candidates run (kFails or kPasses)
  int steps = 0;       // candidates adopted
  bool minimal = false;  // false: the budget ran out first
};

// REQUIRES: `start` fails. `trial(const T&) -> Verdict`.
template <typename T, typename TrialFn>
ShrinkResult<T> ShrinkGreedily(rc::Shrinkable<T> start, int budget, TrialFn trial) {
  ShrinkResult<T> r{std::move(start)};
  int64_t looked = 0;
  const int64_t max_looked = int64_t{20} * (budget > 0 ? budget : 0);
  while (true) {
    rc::Seq<rc::Shrinkable<T>> candidates = r.value.shrinks();
    bool adopted = false;
    while (rc::Maybe<rc::Shrinkable<T>> next = candidates.next()) {
      if (r.trials >= budget || looked >= max_looked) return r;
      ++looked;
      const Verdict t = trial(next->value());
      if (t == Verdict::kSkipped) continue;
      ++r.trials;
      if (t == Verdict::kFails) {
        r.value = std::move(*next);
        ++r.steps;
        adopted = true;
        break;
      }
    }
    if (!adopted) {
      r.minimal = true;
      return r;
    }
  }
}

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_SHRINK_H_
