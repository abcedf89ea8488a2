#include "props/run_plan_gen.h"

#include <algorithm>
#include <utility>

#include "sim/check.h"
#include "sim/hash.h"

namespace slotsim::props {
namespace {

using rc::Gen;
using rc::Random;
using rc::Shrinkable;

// Uniform in [lo, hi], shrinking towards lo.
template <typename T>
Gen<T> Range(T lo, T hi) {
  CHECK_LE(lo, hi);
  return rc::gen::inRange<T>(lo, hi + 1);
}

// The same, not shrinking.
template <typename T>
Gen<T> Fixed(T lo, T hi) {
  return rc::gen::noShrink(Range<T>(lo, hi));
}

// A multiple of 100 ms in [lo, hi], shrinking towards lo.
Gen<int64_t> Ms100(int64_t lo, int64_t hi) {
  return rc::gen::map(Range<int64_t>(lo / 100, hi / 100), [](int64_t x) { return x * 100; });
}

// True with `percent` chance, not shrinking.
Gen<bool> Chance(int percent) {
  return rc::gen::map(Fixed<int>(0, 99), [percent](int x) { return x < percent; });
}

// `value` drawn uniformly from [lo, hi] with `percent` chance, else `none`;
// its only shrink is `none`.
Gen<int64_t> MaybeValue(int percent, int64_t lo, int64_t hi, int64_t none) {
  return [=](const Random& random, int) {
    Random r(random);
    const bool set = static_cast<int>(r.split().next() % 100) < percent;
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    const int64_t v = set ? lo + static_cast<int64_t>(r.split().next() % span) : none;
    return rc::shrinkable::shrinkRecur(v, [none](int64_t x) {
      return x == none ? rc::Seq<int64_t>() : rc::seq::just(none);
    });
  };
}

// One element per generator, shrinking element by element (fixed length).
Gen<std::vector<int64_t>> Each(std::vector<Gen<int64_t>> gens) {
  return [gens](const Random& random, int size) {
    Random r(random);
    std::vector<Shrinkable<int64_t>> elems;
    for (const Gen<int64_t>& g : gens) elems.push_back(g(r.split(), size));
    using Elems = std::vector<Shrinkable<int64_t>>;
    return rc::shrinkable::map(
        rc::shrinkable::shrinkRecur(std::move(elems),
                                    [](const Elems& e) {
                                      return rc::shrink::eachElement(
                                          e, [](const Shrinkable<int64_t>& s) {
                                            return s.shrinks();
                                          });
                                    }),
        [](const Elems& e) {
          std::vector<int64_t> out;
          for (const auto& s : e) out.push_back(s.value());
          return out;
        });
  };
}

Gen<int64_t> StepValue(StepKind k, const Profile& p) {
  switch (k) {
    case StepKind::kDelay: return Range<int64_t>(1, 1000);  // ms of extra delay
    case StepKind::kClockJump: return Range<int64_t>(1, std::max<int64_t>(1, p.max_jump_ms));
    case StepKind::kReshard: return Range<int64_t>(1, std::max(1, p.max_reshard_slots));
    default: return rc::gen::just<int64_t>(0);
  }
}

Gen<bool> StepFlag(StepKind k) {
  switch (k) {
    case StepKind::kCrash: return Chance(20);      // lose unsynced writes
    case StepKind::kClockJump: return Chance(50);  // backwards
    case StepKind::kAddNode: return Chance(50);    // as a replica
    default: return rc::gen::just(false);
  }
}

Gen<PlanStep> StepOf(StepKind k, const Profile& p) {
  using rc::gen::set;
  const bool lasts = k == StepKind::kPartition || k == StepKind::kBlock ||
                     k == StepKind::kClog || k == StepKind::kDelay || k == StepKind::kCrash ||
                     k == StepKind::kPause;
  const bool undoable = lasts && k != StepKind::kClog && k != StepKind::kDelay;
  return rc::gen::build<PlanStep>(
      set(&PlanStep::kind, rc::gen::just(k)),
      set(&PlanStep::at_permille, Fixed<int>(0, 999)),
      set(&PlanStep::duration_ms,
          lasts ? Ms100(200, std::max<int64_t>(200, p.max_fault_ms)) : rc::gen::just<int64_t>(0)),
      set(&PlanStep::a, Fixed<uint32_t>(0, 0xfffffffe)),
      set(&PlanStep::b, Fixed<uint32_t>(0, 0xfffffffe)),
      set(&PlanStep::value, StepValue(k, p)),
      set(&PlanStep::mode, Fixed<int>(0, k == StepKind::kFailover ? 2 : 1)),
      set(&PlanStep::flag, StepFlag(k)),
      set(&PlanStep::explicit_undo, undoable ? Chance(30) : rc::gen::just(false)));
}

}  // namespace

Gen<PlanStep> GenStep(const Profile& p) {
  std::vector<std::pair<int, Gen<PlanStep>>> kinds;
  uint64_t total = 0;
  for (int k = 0; k < kStepKinds; ++k) {
    if (p.weights[k] <= 0) continue;
    kinds.emplace_back(p.weights[k], StepOf(static_cast<StepKind>(k), p));
    total += static_cast<uint64_t>(p.weights[k]);
  }
  CHECK_GT(total, 0u) << "profile " << p.name << " has no step kinds";
  // The kind is chosen without shrinking: a crash never shrinks into a
  // partition (that would be a different schedule, not a smaller one).
  return [kinds, total](const Random& random, int size) {
    Random r(random);
    uint64_t x = r.split().next() % total;
    for (const auto& [w, gen] : kinds) {
      if (x < static_cast<uint64_t>(w)) return gen(r, size);
      x -= static_cast<uint64_t>(w);
    }
    return kinds.back().second(r, size);
  };
}

Gen<std::vector<PlanStep>> GenSteps(const Profile& p) {
  const Gen<PlanStep> elem = GenStep(p);
  const int lo = std::max(0, p.min_steps);
  const int hi = std::max(lo, p.max_steps);
  return [elem, lo, hi](const Random& random, int size) {
    Random r(random);
    const size_t count =
        static_cast<size_t>(lo) + r.split().next() % static_cast<uint64_t>(hi - lo + 1);
    using Elems = std::vector<Shrinkable<PlanStep>>;
    Elems elems;
    for (size_t i = 0; i < count; ++i) elems.push_back(elem(r.split(), size));
    return rc::shrinkable::map(
        rc::shrinkable::shrinkRecur(std::move(elems),
                                    [](const Elems& e) {
                                      return rc::seq::concat(
                                          rc::shrink::removeChunks(e),
                                          rc::shrink::eachElement(
                                              e, [](const Shrinkable<PlanStep>& s) {
                                                return s.shrinks();
                                              }));
                                    }),
        [](const Elems& e) {
          std::vector<PlanStep> out;
          for (const auto& s : e) out.push_back(s.value());
          return out;
        });
  };
}

Gen<PlanSetup> GenSetup(const Profile& p) {
  using rc::gen::set;
  std::vector<Gen<int64_t>> knobs;
  if (p.swarm) {
    for (int k = 0; k < kSwarmKnobs; ++k) {
      const SwarmKnobInfo& info = SwarmKnobBounds(static_cast<SwarmKnob>(k));
      knobs.push_back(MaybeValue(50, info.lo, info.hi, kUnset));
    }
  }
  const Gen<int64_t> delay_mean =
      p.swarm ? Fixed<int64_t>(50, 5000) : rc::gen::just<int64_t>(200);
  const Gen<int64_t> delay_jitter_permille =
      p.swarm ? Fixed<int64_t>(0, 1000) : rc::gen::just<int64_t>(500);
  const Gen<PlanSetup> base = rc::gen::build<PlanSetup>(
      set(&PlanSetup::masters, Range<int>(p.min_masters, p.max_masters)),
      set(&PlanSetup::replicas, Range<int>(p.min_replicas, p.max_replicas)),
      set(&PlanSetup::spares, Range<int>(p.min_spares, p.max_spares)),
      set(&PlanSetup::node_timeout_ms,
          rc::gen::noShrink(Ms100(p.min_node_timeout_ms, p.max_node_timeout_ms))),
      set(&PlanSetup::duration_ms, Ms100(p.min_duration_ms, p.max_duration_ms)),
      set(&PlanSetup::delay_mean_us, delay_mean),
      set(&PlanSetup::delay_jitter_us, delay_jitter_permille),
      set(&PlanSetup::partition_mode, Fixed<int>(0, 1)),
      set(&PlanSetup::clients,
          rc::gen::cast<int>(MaybeValue(p.workload_percent, 1, 2, 0))),
      set(&PlanSetup::keys, Fixed<int64_t>(10, 1000)),
      set(&PlanSetup::ops_per_s, Fixed<int>(20, 200)),
      set(&PlanSetup::read_permille, Fixed<int>(0, 1000)),
      set(&PlanSetup::wait, Chance(30)),
      set(&PlanSetup::knobs, Each(knobs)));
  // The jitter was drawn as thousandths of the mean.
  return rc::gen::map(base, [](PlanSetup s) {
    s.delay_jitter_us = s.delay_mean_us * s.delay_jitter_us / 1000;
    return s;
  });
}

Gen<RunPlan> GenRunPlan(const Profile& p) {
  return rc::gen::apply(
      [](std::vector<PlanStep> steps, PlanSetup setup) {
        return RunPlan{std::move(setup), std::move(steps)};
      },
      GenSteps(p), GenSetup(p));
}

Shrinkable<RunPlan> DrawPlan(const Profile& p, uint64_t seed) {
  const uint64_t key = sim::Hasher().AddString(p.name).AddU64(seed).digest();
  return GenRunPlan(p)(Random(key), rc::kNominalSize);
}

}  // namespace slotsim::props
