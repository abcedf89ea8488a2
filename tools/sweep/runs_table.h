// runs.csv: one row per run of a sweep (tidy data: one observation per row,
// one variable per column), and the table read back for --resume, merge and
// the summary.
//
// Columns, in order:
//   run, point           0-based run and grid point indices (sweep_plan.h)
//   <axis labels>        the point's value of every axis, as the sweep file
//                        gives it
//   seed
//   <outcomes>           run_metrics.h (MetricNames), then violations, events,
//                        sim_time_ms
//   trace_hash           hex; with the seed and the point it reproduces the run
//                        (`slotsim run BASE --seed N --set PATH=VALUE ...`)
//   status, detail       ok / violation / expectation / error, and why
// Numbers are written by tools/report/csv.h (shortest round-trip text; NaN as
// an empty field, infinity as Inf), so a row is a pure function of the run and
// re-reading and re-writing a file reproduces it byte for byte. Rows are
// written in run order once a sweep finishes; while it runs they are appended
// in the order runs finish.

#ifndef SLOTSIM_TOOLS_SWEEP_RUNS_TABLE_H_
#define SLOTSIM_TOOLS_SWEEP_RUNS_TABLE_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/sweep/run_executor.h"
#include "tools/sweep/sweep_plan.h"

namespace slotsim::tools::sweep {

struct RunsSchema {
  std::vector<std::string> axis_labels;
  std::vector<std::string> masters;  // for the unavail_<m>_ms columns

  std::vector<std::string> Columns() const;
  // The numeric outcome columns (summarised per point and plotted): the
  // metrics but fault_at_ms, then violations, events, sim_time_ms.
  std::vector<std::string> Outcomes() const;
};

// The schema of a plan: its axes and the union of its points' starting masters.
RunsSchema SchemaOf(const SweepPlan& plan);

// One runs.csv record (ending in "\n").
std::string FormatRunRow(const RunsSchema& schema, const PlannedRun& run,
                         const std::vector<std::string>& axis_values, const RunOutcome& outcome);

// A runs.csv read back: rows by run index.
struct RunsTable {
  std::vector<std::string> header;
  std::map<int64_t, std::vector<std::string>> rows;

  // The column's index; CHECK-fails if absent.
  size_t Column(std::string_view name) const;
  // Header line and every row in run order.
  std::string ToCsv() const;
};

// Parses `text`; its header must equal `expected_header` (if not empty), every
// run index must be a non-negative integer below `run_count` (if >= 0), and a
// run may appear twice only with identical rows.
absl::StatusOr<RunsTable> ParseRunsCsv(std::string_view text,
                                       const std::vector<std::string>& expected_header,
                                       int64_t run_count);

// Adds `other`'s rows to `table` (same header); the same run with a different
// row is an error.
absl::Status MergeRuns(const RunsTable& other, RunsTable* table);

// A numeric field: "" is NaN, "Inf"/"-Inf" are infinities.
double NumberField(const std::string& field);

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_RUNS_TABLE_H_
