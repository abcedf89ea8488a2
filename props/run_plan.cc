#include "props/run_plan.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "scenarios/topology.h"
#include "sim/check.h"
#include "sim/hash.h"

namespace slotsim::props {
namespace {

using scenarios::Action;
using scenarios::Scenario;

// Documented bounds of the swarm knobs: the ranges redis.conf 7.0.15 allows,
// narrowed to what a short simulated run can exercise.
constexpr SwarmKnobInfo kSwarmKnobTable[kSwarmKnobs] = {
    {"cluster_replica_validity_factor", 0, 20},
    {"cluster_migration_barrier", 0, 3},
    {"cluster_allow_replica_migration", 0, 1},
    {"cluster_require_full_coverage", 0, 1},
    {"cluster_allow_reads_when_down", 0, 1},
    {"cluster_replica_no_failover", 0, 1},
    {"repl_ping_replica_period", 1, 10},
    {"repl_timeout", 5, 60},
    {"repl_backlog_size", 16384, 1048576},
    {"repl_diskless_sync", 0, 1},
    {"min_replicas_to_write", 0, 1},
};

int64_t Clamp(int64_t v, int64_t lo, int64_t hi) { return std::min(std::max(v, lo), hi); }

void ApplyKnob(SwarmKnob k, int64_t v, scenarios::Knobs* knobs) {
  const SwarmKnobInfo& info = SwarmKnobBounds(k);
  v = Clamp(v, info.lo, info.hi);
  switch (k) {
    case SwarmKnob::kReplicaValidityFactor:
      knobs->set_cluster_replica_validity_factor(static_cast<int32_t>(v));
      break;
    case SwarmKnob::kMigrationBarrier:
      knobs->set_cluster_migration_barrier(static_cast<int32_t>(v));
      break;
    case SwarmKnob::kAllowReplicaMigration:
      knobs->set_cluster_allow_replica_migration(v != 0);
      break;
    case SwarmKnob::kRequireFullCoverage:
      knobs->set_cluster_require_full_coverage(v != 0);
      break;
    case SwarmKnob::kAllowReadsWhenDown:
      knobs->set_cluster_allow_reads_when_down(v != 0);
      break;
    case SwarmKnob::kReplicaNoFailover:
      knobs->set_cluster_replica_no_failover(v != 0);
      break;
    case SwarmKnob::kReplPingReplicaPeriod:
      knobs->set_repl_ping_replica_period(static_cast<int32_t>(v));
      break;
    case SwarmKnob::kReplTimeout:
      knobs->set_repl_timeout(static_cast<int32_t>(v));
      break;
    case SwarmKnob::kReplBacklogSize:
      knobs->set_repl_backlog_size(v);
      break;
    case SwarmKnob::kReplDisklessSync:
      knobs->set_repl_diskless_sync(v != 0);
      break;
    case SwarmKnob::kMinReplicasToWrite:
      knobs->set_min_replicas_to_write(static_cast<int32_t>(v));
      break;
  }
}

// Crash and pause intervals per node, both ends included.
class Occupancy {
 public:
  bool Busy(const std::string& node, int64_t t) const {
    auto it = spans_.find(node);
    if (it == spans_.end()) return false;
    for (const auto& [from, to] : it->second) {
      if (t >= from && t <= to) return true;
    }
    return false;
  }
  // REQUIRES: !Busy(node, from). False (nothing recorded) if [from, to]
  // would cover the start of a recorded span.
  bool Take(const std::string& node, int64_t from, int64_t to) {
    for (const auto& [f, t] : spans_[node]) {
      if (f >= from && f <= to) return false;
    }
    spans_[node].emplace_back(from, to);
    return true;
  }

 private:
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> spans_;
};

class Builder {
 public:
  Builder(const RunPlan& plan, Scenario* s) : plan_(plan), s_(s) {
    const scenarios::Layout layout = scenarios::ExpandTopology(*s);
    for (const scenarios::NodeLayout& n : layout.nodes) {
      all_.push_back(n.name);
      if (n.role == scenarios::RoleIntent::kMaster) masters_.push_back(n.name);
      if (n.role == scenarios::RoleIntent::kReplica) replicas_.push_back(n.name);
      if (n.role == scenarios::RoleIntent::kSpare) {
        spares_.push_back(n.name);
      } else {
        cluster_.push_back(n.name);
      }
    }
    // Every fault ends at least this long before the safety phase does.
    last_ms_ = s->duration_ms() - 100;
  }

  int64_t AtMs(const PlanStep& step) const {
    const int64_t permille = Clamp(step.at_permille, 0, 999);
    return permille * s_->duration_ms() / 1000 / 100 * 100;
  }

  void Add(const PlanStep& step) {
    const int64_t t = AtMs(step);
    if (t < 0 || t >= last_ms_) return;
    const int64_t end = std::min(t + Clamp(step.duration_ms, 100, last_ms_), last_ms_);
    switch (step.kind) {
      case StepKind::kPartition: Partition(step, t, end); break;
      case StepKind::kBlock: Block(step, t, end); break;
      case StepKind::kClog: {
        Action* a = Timed(t, end, step.explicit_undo, "clog");
        a->mutable_clog()->add_from(Pick(all_, step.a));
        break;
      }
      case StepKind::kDelay: {
        Action* a = Timed(t, end, step.explicit_undo, "delay");
        scenarios::ExtraDelay* d = a->mutable_delay();
        d->add_from(Pick(all_, step.a));
        d->mutable_extra()->set_kind(scenarios::Delay::FIXED);
        d->mutable_extra()->set_mean_us(Clamp(step.value, 1, 10000) * 1000);
        break;
      }
      case StepKind::kHealAll: {
        Action* a = s_->add_faults();
        a->set_at_ms(t);
        a->mutable_heal();
        break;
      }
      case StepKind::kCrash:
      case StepKind::kPause: Process(step, t, end); break;
      case StepKind::kClockJump: {
        const std::string& n = Pick(cluster_, step.a);
        if (busy_.Busy(n, t)) return;
        Action* a = s_->add_faults();
        a->set_at_ms(t);
        a->mutable_clock_jump()->set_node(n);
        const int64_t jump = Clamp(step.value, 1, 60000);
        a->mutable_clock_jump()->set_jump_ms(step.flag ? -jump : jump);
        break;
      }
      case StepKind::kFailover: {
        if (replicas_.empty()) return;
        const std::string& n = Pick(replicas_, step.a);
        if (busy_.Busy(n, t)) return;
        Action* a = s_->add_faults();
        a->set_at_ms(t);
        a->mutable_failover()->set_node(n);
        a->mutable_failover()->set_mode(
            static_cast<scenarios::Failover::Mode>(1 + Clamp(step.mode, 0, 2)));
        break;
      }
      case StepKind::kReshard: {
        if (masters_.size() < 2) return;
        const std::string& from = Pick(masters_, step.a);
        std::vector<std::string> others;
        for (const std::string& m : masters_) {
          if (m != from) others.push_back(m);
        }
        const std::string& to = Pick(others, step.b);
        Action* a = s_->add_faults();
        a->set_at_ms(t);
        scenarios::Reshard* r = a->mutable_reshard();
        r->add_from(from);
        r->set_to(to);
        r->set_slots(static_cast<int32_t>(Clamp(step.value, 1, 16384)));
        r->set_via(to);
        r->set_timeout_ms(5000);
        break;
      }
      case StepKind::kAddNode: {
        if (spares_.empty()) return;
        const std::string& n = Pick(spares_, step.a);
        if (!added_.insert(n).second) return;
        Action* a = s_->add_faults();
        a->set_at_ms(t);
        a->mutable_add_node()->set_node(n);
        if (step.flag) {
          a->mutable_add_node()->set_replica(true);
          a->mutable_add_node()->set_master(Pick(masters_, step.b));
        }
        break;
      }
    }
  }

 private:
  // Rendezvous choice: the name with the smallest hash of (key, name). A node
  // that stays in `v` stays chosen when others leave it (shrinking removes
  // nodes), which an index modulo the size would not give.
  static const std::string& Pick(const std::vector<std::string>& v, uint32_t key) {
    CHECK(!v.empty());
    size_t best = 0;
    uint64_t best_hash = ~uint64_t{0};
    for (size_t i = 0; i < v.size(); ++i) {
      const uint64_t h = sim::Hasher().AddU64(key).AddString(v[i]).digest();
      if (h < best_hash) {
        best_hash = h;
        best = i;
      }
    }
    return v[best];
  }

  scenarios::PartitionMode Mode(int mode) const {
    return mode % 2 == 0 ? scenarios::HOLD : scenarios::REJECT;
  }

  // A network fault at t that ends at `end`, with an id.
  Action* Timed(int64_t t, int64_t end, bool explicit_undo, const std::string& kind) {
    Action* a = s_->add_faults();
    a->set_at_ms(t);
    a->set_id(absl::StrCat(kind, ++serial_));
    if (explicit_undo) {
      Action* h = s_->add_faults();
      h->set_at_ms(end);
      h->mutable_heal()->add_fault(a->id());
      // add_faults may have moved `a`.
      return &(*s_->mutable_faults())[s_->faults_size() - 2];
    }
    a->set_duration_ms(end - t);
    return a;
  }

  void Partition(const PlanStep& step, int64_t t, int64_t end) {
    const size_t n = all_.size();
    std::vector<std::string> side;
    std::set<std::string> in_side;
    // A node's side depends on the key and its name only (as in Pick).
    for (size_t i = 0; i < n; ++i) {
      if (sim::Hasher().AddU64(step.a).AddString(all_[i]).digest() & 1u) {
        side.push_back(all_[i]);
        in_side.insert(all_[i]);
      }
    }
    // One side must be a non-empty proper subset of the cluster's nodes.
    size_t cluster_in = 0;
    for (const std::string& c : cluster_) cluster_in += in_side.count(c);
    if (side.empty()) side.push_back(Pick(cluster_, step.b));
    if (cluster_in == cluster_.size()) {
      const std::string& drop = Pick(cluster_, step.b);
      side.erase(std::find(side.begin(), side.end(), drop));
    }
    if (side.empty()) return;  // a one-node cluster has nothing to split
    Action* a = Timed(t, end, step.explicit_undo, "partition");
    scenarios::Partition* p = a->mutable_partition();
    for (const std::string& x : side) p->add_group()->add_nodes(x);
    // Several single-node groups would cut them from each other too: one group.
    if (p->group_size() > 1) {
      scenarios::Group one;
      for (const std::string& x : side) one.add_nodes(x);
      p->clear_group();
      *p->add_group() = one;
    }
    if (step.mode != plan_.setup.partition_mode) p->set_mode(Mode(step.mode));
  }

  void Block(const PlanStep& step, int64_t t, int64_t end) {
    const std::string& from = Pick(all_, step.a);
    const std::string& to = Pick(all_, step.b);
    Action* a = Timed(t, end, step.explicit_undo, "block");
    scenarios::Block* b = a->mutable_block();
    b->add_from(from);
    if (to != from) b->add_to(to);
    if (step.mode != plan_.setup.partition_mode) b->set_mode(Mode(step.mode));
  }

  void Process(const PlanStep& step, int64_t t, int64_t end) {
    const std::string& n = Pick(cluster_, step.a);
    if (busy_.Busy(n, t) || !busy_.Take(n, t, end)) return;
    const bool crash = step.kind == StepKind::kCrash;
    Action* a = s_->add_faults();
    a->set_at_ms(t);
    if (crash) {
      a->mutable_crash()->set_node(n);
      if (step.flag) a->mutable_crash()->set_lose_unsynced(true);
    } else {
      a->mutable_pause()->set_node(n);
    }
    if (!step.explicit_undo) {
      a->set_duration_ms(end - t);
      return;
    }
    Action* u = s_->add_faults();
    u->set_at_ms(end);
    if (crash) {
      u->mutable_restart()->set_node(n);
    } else {
      u->mutable_resume()->set_node(n);
    }
  }

  const RunPlan& plan_;
  Scenario* s_;
  std::vector<std::string> all_, cluster_, masters_, replicas_, spares_;
  int64_t last_ms_ = 0;
  Occupancy busy_;
  std::set<std::string> added_;
  int serial_ = 0;
};

}  // namespace

const char* StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kPartition: return "partition";
    case StepKind::kBlock: return "block";
    case StepKind::kClog: return "clog";
    case StepKind::kDelay: return "delay";
    case StepKind::kHealAll: return "heal";
    case StepKind::kCrash: return "crash";
    case StepKind::kPause: return "pause";
    case StepKind::kClockJump: return "clock_jump";
    case StepKind::kFailover: return "failover";
    case StepKind::kReshard: return "reshard";
    case StepKind::kAddNode: return "add_node";
  }
  return "?";
}

const SwarmKnobInfo& SwarmKnobBounds(SwarmKnob knob) {
  const int i = static_cast<int>(knob);
  CHECK(i >= 0 && i < kSwarmKnobs);
  return kSwarmKnobTable[i];
}

Scenario PlanToScenario(const RunPlan& plan, const std::string& name) {
  const PlanSetup& p = plan.setup;
  Scenario s;
  s.set_name(name);
  scenarios::Topology* topo = s.mutable_topology();
  topo->set_masters(static_cast<int32_t>(Clamp(p.masters, 1, 16)));
  topo->set_replicas_per_master(static_cast<int32_t>(Clamp(p.replicas, 0, 4)));
  const int32_t spares = static_cast<int32_t>(Clamp(p.spares, 0, 4));
  if (spares > 0) topo->set_spares(spares);

  scenarios::Knobs* knobs = s.mutable_knobs();
  knobs->set_cluster_node_timeout(Clamp(p.node_timeout_ms, 100, 60000));
  for (size_t k = 0; k < p.knobs.size() && k < static_cast<size_t>(kSwarmKnobs); ++k) {
    if (p.knobs[k] != kUnset) ApplyKnob(static_cast<SwarmKnob>(k), p.knobs[k], knobs);
  }

  scenarios::NetworkModel* net = s.mutable_network();
  const int64_t mean = Clamp(p.delay_mean_us, 1, 1000000);
  net->mutable_delay()->set_kind(scenarios::Delay::UNIFORM);
  net->mutable_delay()->set_mean_us(mean);
  net->mutable_delay()->set_jitter_us(Clamp(p.delay_jitter_us, 0, mean));
  net->set_partition_mode(p.partition_mode % 2 == 0 ? scenarios::HOLD : scenarios::REJECT);

  if (p.clients > 0) {
    scenarios::Workload* w = s.mutable_workload();
    w->set_clients(static_cast<int32_t>(Clamp(p.clients, 1, 8)));
    w->set_keys(Clamp(p.keys, 1, 100000));
    w->set_ops_per_s(static_cast<int32_t>(Clamp(p.ops_per_s, 1, 10000)));
    w->set_read_ppm(static_cast<uint32_t>(Clamp(p.read_permille, 0, 1000) * 1000));
    if (p.wait && topo->replicas_per_master() > 0) {
      w->mutable_wait()->set_numreplicas(1);
      w->mutable_wait()->set_timeout_ms(100);
      w->mutable_wait()->set_ppm(500000);
    }
  }

  s.set_duration_ms(Clamp(p.duration_ms, 2000, 3600000));
  s.mutable_heal()->set_converge_ms(kConvergeSlackMs);

  // Steps in time order (stable: equal times keep plan order).
  std::vector<size_t> order(plan.steps.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return plan.steps[x].at_permille < plan.steps[y].at_permille;
  });
  Builder b(plan, &s);
  for (size_t i : order) b.Add(plan.steps[i]);
  // Undo actions (explicit heal/restart/resume) were appended beside their
  // fault; sort the whole schedule by time for readers (the runner orders by
  // time, then position, and nothing here shares an instant with its undo).
  std::vector<Action> faults(s.faults().begin(), s.faults().end());
  std::stable_sort(faults.begin(), faults.end(),
                   [](const Action& x, const Action& y) { return x.at_ms() < y.at_ms(); });
  s.clear_faults();
  for (Action& a : faults) *s.add_faults() = std::move(a);
  return s;
}

}  // namespace slotsim::props
