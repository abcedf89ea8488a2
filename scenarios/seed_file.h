// Seed files: a run written back as a scenario that `slotsim replay`
// reproduces event for event on the same build. `slotsim run --save-seed` and
// `slotsim check` (for every failure it keeps) both write them.
//
// A seed file is the scenario that ran plus: seed, build, expected_trace_hash,
// the checkpoint hashes (so a diverging replay can say between which instants
// it diverged), and, for a failing run, violated_property and violated_at_ms.
// The header comment repeats the violation (property, simulated time,
// message) for readers.

#ifndef SLOTSIM_SCENARIOS_SEED_FILE_H_
#define SLOTSIM_SCENARIOS_SEED_FILE_H_

#include <string>
#include <string_view>

#include "scenarios/checker.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.pb.h"

namespace slotsim::scenarios {

// `scenario` (the one that ran, without seed-file fields of its own) with the
// seed-file fields of `result`. `violation`: the one to record (usually
// result.violations.front()); nullptr records none.
Scenario MakeSeedFile(Scenario scenario, const RunResult& result, std::string_view build,
                      const Violation* violation);

// "seed file written by BUILD" and, with a violation, "violated: PROPERTY at
// T ms: MESSAGE"; then `extra` (more lines) if non-empty.
std::string SeedFileComment(const RunResult& result, std::string_view build,
                            const Violation* violation, std::string_view extra = "");

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_SEED_FILE_H_
