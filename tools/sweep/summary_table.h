// summary.csv: for every grid point and every outcome, the statistics of the
// point's runs (tools/report/stats.h: count, missing, mean with its 95% CI,
// stddev, min, median with its distribution-free 95% CI and the interval's
// exact coverage, p90, p99, max).
//
// Long ("tidy") layout: one row per (point, outcome), columns
//   point, <axis labels>, outcome, <SummaryColumnNames()>.
// Rows follow point order, then the outcome order of runs.csv. A run's empty
// field (not measured) counts as missing; Inf (e.g. a slot range that never
// came back) is a sample, so the mean is not finite while medians stay finite as
// long as fewer than half the runs are infinite. Computed only from runs.csv,
// so a merged sweep gets the same bytes as one machine's.

#ifndef SLOTSIM_TOOLS_SWEEP_SUMMARY_TABLE_H_
#define SLOTSIM_TOOLS_SWEEP_SUMMARY_TABLE_H_

#include <map>
#include <string>
#include <vector>

#include "tools/report/stats.h"
#include "tools/sweep/manifest.h"
#include "tools/sweep/runs_table.h"

namespace slotsim::tools::sweep {

// The runs of one grid point.
struct PointRuns {
  int point = 0;
  std::vector<std::string> axis_values;  // one per manifest axis
  std::vector<const std::vector<std::string>*> rows;
};

// Groups `runs` by point, in point order. REQUIRES: runs has the manifest's
// columns.
std::vector<PointRuns> GroupByPoint(const Manifest& manifest, const RunsTable& runs);

// The values of `column` over a point's runs (NumberField).
std::vector<double> Samples(const RunsTable& runs, const PointRuns& point,
                            const std::string& column);

std::string SummaryCsv(const Manifest& manifest, const RunsTable& runs);

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_SUMMARY_TABLE_H_
