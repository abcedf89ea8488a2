// Plots of a sweep's results, as SVG files written by tools/report/svg_plot.h.
//
// The main axis (Manifest::main_axis, by default the sweep's first axis) is
// the x axis; points that share the values of every other axis form a group
// (one group when the sweep has a single axis). Files, for each group (a
// suffix names the group's other-axis values when there are several):
//   promotion_cdf.svg     the CDF of promoted_ms, one curve per main-axis
//                         value (at most 8, evenly spaced, to stay legible);
//                         runs with a fault but no promotion count as +inf,
//                         so their curve levels off below 1;
//   failover_times.svg    medians with 95% CIs of pfail_ms, fail_ms,
//                         election_start_ms and promoted_ms against the main
//                         axis;
// and for each outcome with any finite median:
//   <outcome>.svg         its median with the 95% CI against the main axis,
//                         one series per group.
// A main axis whose values are not all numbers is plotted at positions 1..k.
// Plots that would have no data are not written. Without axes only the CDF is
// drawn. The output is a pure function of (manifest, runs).

#ifndef SLOTSIM_TOOLS_SWEEP_SWEEP_PLOTS_H_
#define SLOTSIM_TOOLS_SWEEP_SWEEP_PLOTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/sweep/manifest.h"
#include "tools/sweep/runs_table.h"

namespace slotsim::tools::sweep {

struct PlotFile {
  std::string name;  // file name, e.g. "promotion_cdf.svg"
  std::string svg;
};

inline constexpr int kMaxCdfSeries = 8;

absl::StatusOr<std::vector<PlotFile>> SweepPlots(const Manifest& manifest,
                                                 const RunsTable& runs);

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_SWEEP_PLOTS_H_
