// Semantic validation of a scenario (or seed file): everything the text
// format's grammar cannot say. Every problem is reported at the position of
// the value that causes it, as `path: message` (path = the field path, e.g.
// `faults[2].crash.node`), so the user sees all of them at once.
//
// What is checked (docs/scenario-format.md, "Validation", has the full list):
// node names exist (with suggestions), counts and ranges (Redis's own ranges
// for Redis options), addresses do not collide, times are within the run,
// slot ranges are well formed and do not overlap, partition groups are
// disjoint, the schedule is consistent (see below), generator bounds are
// ordered, expectation fields fit their kind.
//
// Schedule consistency is an error, not a warning: restart of a node that is
// not crashed at that time, crash of a crashed node, pause of a paused or
// crashed node, resume of a running node, heal of an unknown or later fault,
// add_node of a node already in the cluster, del_node of one that is not.
// Such actions have no Redis meaning and usually mean a wrong name or time;
// an error makes the author say what they mean instead of the runner guessing.

#ifndef SLOTSIM_SCENARIOS_VALIDATE_H_
#define SLOTSIM_SCENARIOS_VALIDATE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "scenarios/cursor.h"
#include "scenarios/diagnostics.h"
#include "scenarios/scenario.pb.h"

namespace slotsim::scenarios {

struct ValidateOptions {
  // Property names props/ knows. Empty: `properties` is not checked.
  std::vector<std::string> known_properties;
  // Overrides applied after parsing, by path ("knobs.cluster_node_timeout" ->
  // "knobs.cluster_node_timeout=5000"); errors at those paths say so.
  std::map<std::string, std::string> overrides;
};

// Checks the scenario under `root` (a Cursor over a Scenario), reporting into
// `diags`.
void ValidateScenario(const Cursor& root, const ValidateOptions& options,
                      Diagnostics* diags);

// For scenarios built in code (the shrinker, sweeps): the same checks with
// field paths but no positions. OK, or InvalidArgument listing every error.
absl::Status ValidateScenario(const Scenario& scenario,
                              const ValidateOptions& options = {});

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_VALIDATE_H_
