#include "scenarios/fault_plan.h"

#include <algorithm>
#include <functional>
#include <string>

namespace slotsim::scenarios {
namespace {

struct Kind {
  const char* name;
  const Generator& (FaultGenerators::*get)() const;
  bool (FaultGenerators::*has)() const;
};

std::vector<std::string> Targets(const Generator& g, const Layout& layout, bool replicas_only,
                                 bool masters_only) {
  std::vector<std::string> out;
  if (!g.nodes().empty()) {
    out.assign(g.nodes().begin(), g.nodes().end());
    return out;
  }
  for (const NodeLayout& n : layout.nodes) {
    if (n.role == RoleIntent::kSpare) continue;
    if (replicas_only && n.role != RoleIntent::kReplica) continue;
    if (masters_only && n.role != RoleIntent::kMaster) continue;
    out.push_back(n.name);
  }
  return out;
}

// Fills the kind-specific part of `a`; false if nothing can be generated.
bool Fill(const std::string& kind, const Generator& g, const Layout& layout,
          const Scenario& s, sim::Rng& rng, Action* a) {
  const bool replicas_only = kind == "failover";
  const bool masters_only = kind == "reshard";
  std::vector<std::string> nodes = Targets(g, layout, replicas_only, masters_only);
  if (nodes.empty()) return false;
  const std::string& one = rng.Pick(nodes);
  if (kind == "partition") {
    if (nodes.size() < 2) return false;
    std::vector<std::string> shuffled = nodes;
    rng.Shuffle(shuffled.begin(), shuffled.end());
    const size_t k = 1 + rng.Uniform(shuffled.size() - 1);
    Partition* p = a->mutable_partition();
    Group* group = p->add_group();
    for (size_t i = 0; i < k; ++i) group->add_nodes(shuffled[i]);
    if (g.has_mode()) p->set_mode(g.mode());
  } else if (kind == "block") {
    if (nodes.size() < 2) return false;
    std::string other;
    do {
      other = rng.Pick(nodes);
    } while (other == one);
    Block* b = a->mutable_block();
    b->add_from(one);
    b->add_to(other);
    if (g.has_mode()) b->set_mode(g.mode());
  } else if (kind == "clog") {
    a->mutable_clog()->add_from(one);
  } else if (kind == "delay") {
    ExtraDelay* d = a->mutable_delay();
    d->add_from(one);
    if (g.has_extra()) {
      *d->mutable_extra() = g.extra();
    } else {
      d->mutable_extra()->set_kind(Delay::FIXED);
      d->mutable_extra()->set_mean_us(100000);
    }
  } else if (kind == "crash") {
    Crash* c = a->mutable_crash();
    c->set_node(one);
    c->set_lose_unsynced(rng.Chance(g.lose_unsynced_ppm(), 1000000));
  } else if (kind == "pause") {
    a->mutable_pause()->set_node(one);
  } else if (kind == "clock_jump") {
    ClockJump* j = a->mutable_clock_jump();
    j->set_node(one);
    j->set_jump_ms(rng.UniformRange(-g.max_jump_ms(), g.max_jump_ms()));
    a->clear_duration_ms();
  } else if (kind == "failover") {
    Failover* f = a->mutable_failover();
    f->set_node(one);
    f->set_mode(static_cast<Failover::Mode>(1 + rng.Uniform(3)));
    a->clear_duration_ms();
  } else if (kind == "reshard") {
    if (nodes.size() < 2) return false;
    std::string to;
    do {
      to = rng.Pick(nodes);
    } while (to == one);
    Reshard* r = a->mutable_reshard();
    r->add_from(one);
    r->set_to(to);
    r->set_slots(static_cast<int32_t>(1 + rng.Uniform(std::max(1, g.max_slots()))));
    a->clear_duration_ms();
  }
  (void)s;
  return true;
}

}  // namespace

std::vector<Action> GenerateFaults(const Scenario& s, const Layout& layout,
                                   const sim::Rng& run_rng) {
  std::vector<Action> out;
  if (!s.has_generators()) return out;
  const FaultGenerators& gens = s.generators();
  static const Kind kKinds[] = {
      {"partition", &FaultGenerators::partition, &FaultGenerators::has_partition},
      {"block", &FaultGenerators::block, &FaultGenerators::has_block},
      {"clog", &FaultGenerators::clog, &FaultGenerators::has_clog},
      {"delay", &FaultGenerators::delay, &FaultGenerators::has_delay},
      {"crash", &FaultGenerators::crash, &FaultGenerators::has_crash},
      {"pause", &FaultGenerators::pause, &FaultGenerators::has_pause},
      {"clock_jump", &FaultGenerators::clock_jump, &FaultGenerators::has_clock_jump},
      {"failover", &FaultGenerators::failover, &FaultGenerators::has_failover},
      {"reshard", &FaultGenerators::reshard, &FaultGenerators::has_reshard},
  };
  int serial = 0;
  for (const Kind& kind : kKinds) {
    if (!(gens.*kind.has)()) continue;
    const Generator& g = (gens.*kind.get)();
    sim::Rng rng = run_rng.Fork(std::string("faults/") + kind.name);
    const int64_t end = s.duration_ms() - g.quiet_before_end_ms();
    std::vector<int64_t> active_until;
    int64_t t = g.start_ms();
    while (true) {
      t += rng.Exponential(sim::Duration::Millis(std::max<int64_t>(1, g.mean_interval_ms())))
               .millis();
      if (t >= end) break;
      active_until.erase(std::remove_if(active_until.begin(), active_until.end(),
                                        [&](int64_t u) { return u <= t; }),
                         active_until.end());
      if (static_cast<int>(active_until.size()) >= std::max(1, g.max_concurrent())) continue;
      const int64_t lo = std::max<int64_t>(0, g.min_duration_ms());
      const int64_t hi = std::max(lo, g.max_duration_ms());
      Action a;
      a.set_at_ms(t);
      a.set_duration_ms(rng.UniformRange(lo, hi));
      a.set_id(std::string("gen-") + kind.name + "-" + std::to_string(++serial));
      if (!Fill(kind.name, g, layout, s, rng, &a)) break;
      if (a.has_duration_ms()) active_until.push_back(t + a.duration_ms());
      out.push_back(std::move(a));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Action& a, const Action& b) { return a.at_ms() < b.at_ms(); });
  return out;
}

}  // namespace slotsim::scenarios
