// RunPlan: the compact form of one exploration run (`slotsim check`): the
// topology, knobs, network and workload of the run, and its fault schedule as
// a list of steps. PlanToScenario turns a plan into an ordinary Scenario with
// an explicit schedule, so a failing run is written as a seed file that
// `slotsim replay` (and later builds, as far as the model allows) reproduce
// without the generator.
//
// Why a plan and not a Scenario directly: the generators (run_plan_gen.h)
// shrink plans, and every shrink must still be a valid scenario. A step names
// nodes by a key: of the nodes it may apply to, the one with the smallest
// hash of (key, name) (rendezvous hashing), so a step keeps its target when
// shrinking removes other masters, replicas or spares; and
// PlanToScenario drops the steps that cannot apply at their time instead of
// producing a schedule validation rejects. Hence:
//
// Invariant: for every RunPlan p (any field values),
//   scenarios::ValidateScenario(PlanToScenario(p, name)) is OK.
//
// What PlanToScenario drops (in time order; the n-th surviving step keeps its
// relative order): steps at or after the end of the safety phase; a crash,
// pause or clock jump of a node that is crashed or paused then (a crash or
// pause occupies its node from its start to its end, both included); a
// failover of a replica that is crashed or paused then, or with no replica in
// the topology; a reshard with fewer than two masters; a second add-node of
// the same spare, or any add-node without spares. Every fault ends before the
// safety phase does (its duration is cut), so the heal phase starts from a
// schedule that has undone itself, and then heals, restarts and resumes the
// rest (Scenario.heal, runner.h).

#ifndef SLOTSIM_PROPS_RUN_PLAN_H_
#define SLOTSIM_PROPS_RUN_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/scenario.pb.h"

namespace slotsim::props {

enum class StepKind : int {
  kPartition = 0,  // node n is on one side iff hash(a, n) is odd; everything
                   // else (clients too) on the other side
  kBlock,          // node a -> node b, one way (the same node: to every other endpoint)
  kClog,           // node a, both ways with every other endpoint
  kDelay,          // node a, `value` ms of extra delay both ways
  kHealAll,        // heal {}: every network fault in effect
  kCrash,          // cluster node a; `flag`: lose unsynced writes
  kPause,          // cluster node a (SIGSTOP)
  kClockJump,      // cluster node a, by `value` ms (`flag`: backwards)
  kFailover,       // CLUSTER FAILOVER on replica a; `mode` 0 default, 1 FORCE, 2 TAKEOVER
  kReshard,        // redis-cli --cluster reshard: `value` slots, master a -> another master
  kAddNode,        // redis-cli --cluster add-node of spare a; `flag`: as a replica of master b
};
inline constexpr int kStepKinds = 11;

// The step's kind as docs and reports name it: partition, block, clog, ...
const char* StepKindName(StepKind kind);

struct PlanStep {
  StepKind kind = StepKind::kHealAll;
  // When, in thousandths of the safety phase (0..999), rounded down to 100 ms:
  // shrinking the phase compresses the schedule rather than cutting it.
  int at_permille = 0;
  // Network faults, crash, pause: how long until undone.
  int64_t duration_ms = 0;
  uint32_t a = 0;
  uint32_t b = 0;
  // Delay ms, clock jump ms (backwards when `flag`), reshard slots.
  int64_t value = 0;
  // Partition and block: 0 HOLD, 1 REJECT (what TCP sees behind a firewall
  // that drops, or one that resets). Failover: see kFailover.
  int mode = 0;
  // crash: lose unsynced writes; clock_jump: backwards; add_node: as a replica.
  bool flag = false;
  // End the fault with an explicit heal / restart / resume action instead of
  // the action's duration_ms (the same thing, written the other way).
  bool explicit_undo = false;
};

// A knob drawn by swarm profiles; kUnset keeps Redis 7.0.15's default.
inline constexpr int64_t kUnset = -1;

enum class SwarmKnob : int {
  kReplicaValidityFactor = 0,
  kMigrationBarrier,
  kAllowReplicaMigration,
  kRequireFullCoverage,
  kAllowReadsWhenDown,
  kReplicaNoFailover,
  kReplPingReplicaPeriod,
  kReplTimeout,
  kReplBacklogSize,
  kReplDisklessSync,
  kMinReplicasToWrite,
};
inline constexpr int kSwarmKnobs = 11;

// The documented bound of each swarm knob (run_plan.cc's table; `slotsim check
// --help` prints it).
struct SwarmKnobInfo {
  const char* name;  // the Knobs field (redis.conf name, '-' as '_')
  int64_t lo;        // inclusive
  int64_t hi;        // inclusive
};
const SwarmKnobInfo& SwarmKnobBounds(SwarmKnob knob);

struct PlanSetup {
  int masters = 3;
  int replicas = 1;  // per master
  int spares = 0;
  int64_t node_timeout_ms = 2000;
  int64_t duration_ms = 30000;  // the safety phase
  // Network: uniform one-way delay mean +- jitter; partition_mode as `mode`.
  int64_t delay_mean_us = 200;
  int64_t delay_jitter_us = 100;
  int partition_mode = 0;
  // Workload (none when clients == 0).
  int clients = 0;
  int64_t keys = 100;
  int ops_per_s = 50;
  int read_permille = 500;
  bool wait = false;  // WAIT 1 100 after half the writes (with replicas)
  // Indexed by SwarmKnob; empty or kUnset entries keep the defaults.
  std::vector<int64_t> knobs;
};

struct RunPlan {
  PlanSetup setup;
  std::vector<PlanStep> steps;
};

// Fixed slack added to the convergence bound (heal.converge_ms) of every
// generated scenario: Redis's fixed delays (CLUSTER_WRITABLE_DELAY 2 s after a
// restart, the 5 s replica-migration delay, the 2 s floor of auth_retry_time)
// do not scale with cluster-node-timeout, and short timeouts are common here.
inline constexpr int64_t kConvergeSlackMs = 10000;

// The scenario of `plan`, named `name` (see the banner for what is dropped).
// Faults come out sorted by at_ms; every network fault gets an id.
scenarios::Scenario PlanToScenario(const RunPlan& plan, const std::string& name);

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_RUN_PLAN_H_
