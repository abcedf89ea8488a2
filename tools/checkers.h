// The property checkers a run uses (props/), chosen by the scenario's
// `properties` list (empty: every property), and the write-loss count.

#ifndef SLOTSIM_TOOLS_CHECKERS_H_
#define SLOTSIM_TOOLS_CHECKERS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "scenarios/checker.h"
#include "scenarios/run_record.h"
#include "scenarios/scenario.pb.h"
#include "scenarios/world.h"

namespace slotsim::tools {

class CheckerSet {
 public:
  std::vector<scenarios::Checker*> pointers() const;
  // name -> held, for every checker in the set.
  std::map<std::string, bool> Results() const;
  // Acknowledged writes lost (by the write-loss analysis), 0 without one.
  int64_t WritesLost(const scenarios::World& world, const scenarios::RunRecord& record) const;

  // The checkers of the scenario's properties.
  std::vector<std::unique_ptr<scenarios::Checker>> checkers;
  // A write-loss checker for the counts when write_loss is not among them.
  std::unique_ptr<scenarios::Checker> accounting_;
};

CheckerSet MakeCheckers(const scenarios::Scenario& scenario);

// Every property name props/ knows.
std::vector<std::string> KnownPropertyNames();

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_CHECKERS_H_
