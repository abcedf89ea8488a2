// Expectations: the "by 30 s node r1 is master of 0-5460" checks of a
// scenario (message Expectation), evaluated against the world.
//
// Timing (done by the runner): with at_ms the expectation is checked at that
// instant; with by_ms it must hold at some check no later than by_ms (checks
// run every cron period and at by_ms); with neither it is checked at the end
// of the run. Counts (failovers, writes lost) cover the run up to the check.
//
// Views: "running cluster nodes" are nodes that are up, not paused, and know
// at least one other node (a spare that never joined is not one).

#ifndef SLOTSIM_SCENARIOS_EXPECTATIONS_H_
#define SLOTSIM_SCENARIOS_EXPECTATIONS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "scenarios/run_record.h"
#include "scenarios/scenario.pb.h"
#include "scenarios/world.h"

namespace slotsim::scenarios {

struct ExpectationOutcome {
  int index = 0;             // position in Scenario.expect
  std::string description;   // "by 30.000s: r1 is master of 0-5460"
  bool held = false;
  std::string observed;      // what was seen when it last failed (or held)
  int64_t checked_at_ms = 0; // scenario ms of the deciding check
};

class ExpectationEvaluator {
 public:
  // `lost_writes` counts acknowledged writes lost so far (props/ supplies it;
  // null: writes_lost expectations fail with "no write-loss analysis").
  ExpectationEvaluator(const World& world, const RunRecord& record,
                       std::function<int64_t()> lost_writes)
      : world_(world), record_(record), lost_writes_(std::move(lost_writes)) {}

  // Whether `e` holds now; `observed` says what was seen.
  bool Holds(const Expectation& e, std::string* observed) const;

  static std::string Describe(const Expectation& e);

 private:
  std::vector<std::string> RunningClusterNodes() const;
  bool RoleHolds(const RoleIs& r, std::string* observed) const;
  bool OwnsHolds(const OwnsSlots& o, std::string* observed) const;
  bool StateHolds(const StateIs& s, std::string* observed) const;
  bool FlaggedHolds(const FlaggedFail& f, std::string* observed) const;
  bool EpochHolds(const ConfigEpochIs& c, std::string* observed) const;
  bool ReplicasHold(const ReplicaCount& r, std::string* observed) const;
  bool AdminHolds(const AdminOutcome& a, std::string* observed) const;
  int FailoversSoFar() const;

  const World& world_;
  const RunRecord& record_;
  std::function<int64_t()> lost_writes_;
};

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_EXPECTATIONS_H_
