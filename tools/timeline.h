// Timeline: one readable line per state transition per node, in simulated
// time, for `slotsim run --timeline` and `replay`.
//
//   12.345s  m2    sees m1: master -> master,fail?
//   13.010s  r1    election started for epoch 7 (replacing m1)
//   13.011s  m3    votes for r1 in epoch 7
//   13.012s  r1    PROMOTED: replaces m1, configEpoch 7
//   10.000s  ----  FAULT crash m1
//
// Node ids are shown as scenario names (m1, r1, ...) where the world knows
// them, else as the id's first 8 characters. Times are scenario time.

#ifndef SLOTSIM_TOOLS_TIMELINE_H_
#define SLOTSIM_TOOLS_TIMELINE_H_

#include <string>

#include "scenarios/run_record.h"
#include "scenarios/world.h"
#include "sim/time.h"

namespace slotsim::tools {

// The line for a node event; empty for events not worth a line.
std::string TimelineLine(const scenarios::WorldEvent& e, const scenarios::World& world,
                         sim::Time start);

// The line for a fault or admin action the runner applied.
std::string TimelineFaultLine(const scenarios::FaultRecord& f, sim::Time start);

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_TIMELINE_H_
