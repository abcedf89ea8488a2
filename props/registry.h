// The property registry: every checker of props/ by the name scenario files
// use (Scenario.properties), and the default set.
//
// Names (docs/invariants.md describes each):
//   single_writer          two masters accept writes for a slot only inside
//                          Redis's documented windows
//   single_writer_strict   any such overlap (a measurement; not default)
//   no_lost_slot           slots are unbound only on purpose; all served at the end
//   convergence            the cluster agrees and is ok within the heal bound
//   epochs                 currentEpoch monotonic, configEpoch <= currentEpoch,
//                          distinct master epochs at the end
//   votes                  one vote per epoch per master, one winner per epoch
//   roles                  no replica-of cycle or chain at the end
//   migration_hygiene      no open slots, keys on their shard after resharding
//   failover_liveness      a down master is replaced within a bound
//   write_loss             lost acknowledged writes fall in documented windows

#ifndef SLOTSIM_PROPS_REGISTRY_H_
#define SLOTSIM_PROPS_REGISTRY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/checker.h"

namespace slotsim::props {

// Every property name, in the order above.
const std::vector<std::string>& AllPropertyNames();
// The properties a scenario with no `properties` checks: all but
// single_writer_strict.
const std::vector<std::string>& DefaultPropertyNames();

// A fresh checker, or NotFound (with the known names) for an unknown name.
absl::StatusOr<std::unique_ptr<scenarios::Checker>> MakeChecker(std::string_view name);

// Checkers for `names` (DefaultPropertyNames() if empty), in that order;
// InvalidArgument on an unknown or repeated name.
absl::StatusOr<std::vector<std::unique_ptr<scenarios::Checker>>> MakeCheckers(
    const std::vector<std::string>& names);

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_REGISTRY_H_
