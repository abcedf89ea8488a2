// Checker: what the runner calls to check a property during and after a run.
//
// The runner (scenarios/runner.h) knows nothing of particular properties; the
// checkers live in props/ and implement this interface. A run has phases:
//
//   kSetup     the cluster is being formed (no checks expected to hold yet);
//   kSafety    faults happen (from the scenario's start to duration_ms);
//   kHeal      the runner healed every partition, restarted crashed nodes and
//              resumed paused ones, and waits for convergence within a bound;
//   kEnd       the run is over (final checks: convergence, write loss).
//
// AfterEvent runs after every dispatched kernel event in kSafety and kHeal.
// `touched` names the node whose state the event may have changed (an index
// into World::node_names()), or kTouchedNone when the event touched no node (a
// network pump, an actor timer), or kTouchedSeveral. A state checker can
// therefore re-check only that node; a step checker keeps what it needs of the
// previous state.
//
// A checker reports violations with Report(); the first violation of a run is
// what `slotsim` prints with its reproduce line. Checkers never change the
// world.

#ifndef SLOTSIM_SCENARIOS_CHECKER_H_
#define SLOTSIM_SCENARIOS_CHECKER_H_

#include <string>
#include <string_view>
#include <vector>

#include "sim/time.h"

namespace slotsim::scenarios {

class World;
struct RunRecord;
struct WorldEvent;
struct FaultEvent;

inline constexpr int kTouchedNone = -1;
inline constexpr int kTouchedSeveral = -2;

enum class RunPhase { kSetup, kSafety, kHeal, kEnd };
const char* RunPhaseName(RunPhase p);

struct Violation {
  std::string property;
  sim::Time at;          // simulated time
  std::string message;   // what went wrong, with node names
};

class Checker {
 public:
  virtual ~Checker() = default;
  // The property's name as scenario files and reports use it.
  virtual std::string_view name() const = 0;

  // The phase starts now (called after the runner's own actions for it, e.g.
  // after healing for kHeal).
  virtual void OnPhase(const World& world, RunPhase phase, const RunRecord& record) {}
  // After every dispatched event in kSafety and kHeal.
  virtual void AfterEvent(const World& world, int touched) {}
  // Every node event (votes, promotions, flag changes ...) in every phase,
  // as it happens (before AfterEvent of the same kernel event).
  virtual void OnNodeEvent(const World& world, const WorldEvent& event) {}
  // Every fault or admin action the world applied, as it happens.
  virtual void OnFault(const World& world, const FaultEvent& fault) {}
  // At the end of the run, with everything the runner recorded.
  virtual void Finish(const World& world, const RunRecord& record) {}

  const std::vector<Violation>& violations() const { return violations_; }
  bool ok() const { return violations_.empty(); }

 protected:
  void Report(sim::Time at, std::string message) {
    violations_.push_back(Violation{std::string(name()), at, std::move(message)});
  }

 private:
  std::vector<Violation> violations_;
};

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_CHECKER_H_
