// Unavailability of a slot range to writers, measured from the clients'
// History (scenarios/history.h).
//
// Definition, for a set of slot ranges, a fault at time F and a window end E
// (the end of the safety phase): among the SETs to keys in those ranges that
// were invoked in [F, E), in invocation order,
//   - none:                          NaN (nothing measured);
//   - none troubled:                 0;
//   - else let L be the last troubled one: it did not succeed (an error, a
//     timeout, no answer at all) or succeeded only after the client retried a
//     CLUSTERDOWN, TRYAGAIN or timeout (ClientOp::retries > 0; following a
//     MOVED or ASK redirection is not trouble). The unavailability is the
//     completion time of the first acknowledged SET invoked after L, minus F;
//     +infinity if no SET invoked after L was acknowledged (the range never
//     came back while the workload ran).
// Counting retried writes matters: the cluster-aware client retries
// CLUSTERDOWN, so during a failover most writes to the healthy masters'
// ranges end "ok", only late.
// So a range that failed briefly, recovered, then failed again counts until the
// final recovery: the figure answers "how long after the fault until writes to
// these slots work for good". Its resolution is the gap between writes to the
// range (about 3 / write rate with three masters).

#ifndef SLOTSIM_TOOLS_SWEEP_UNAVAILABILITY_H_
#define SLOTSIM_TOOLS_SWEEP_UNAVAILABILITY_H_

#include <vector>

#include "scenarios/history.h"
#include "scenarios/slot_ranges.h"
#include "sim/time.h"

namespace slotsim::tools::sweep {

// Milliseconds, as defined above.
double WriteUnavailabilityMs(const scenarios::History& history,
                             const std::vector<scenarios::SlotRange>& ranges,
                             sim::Time fault, sim::Time window_end);

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_UNAVAILABILITY_H_
