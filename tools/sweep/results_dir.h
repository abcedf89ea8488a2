// A sweep's results directory:
//   sweep.json    the manifest (manifest.h)
//   runs.csv      one row per run (runs_table.h)
//   summary.csv   statistics per point and outcome (summary_table.h)
//   plots/*.svg   sweep_plots.h
// summary.csv and the plots are derived from runs.csv and sweep.json alone,
// so a directory written by one machine and one merged from shards are equal
// byte for byte. Every file is replaced atomically (tools/report/atomic_file.h).

#ifndef SLOTSIM_TOOLS_SWEEP_RESULTS_DIR_H_
#define SLOTSIM_TOOLS_SWEEP_RESULTS_DIR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/sweep/manifest.h"
#include "tools/sweep/runs_table.h"

namespace slotsim::tools::sweep {

inline constexpr char kManifestFile[] = "sweep.json";
inline constexpr char kRunsFile[] = "runs.csv";
inline constexpr char kSummaryFile[] = "summary.csv";
inline constexpr char kPlotsDir[] = "plots";

std::string JoinPath(const std::string& dir, const std::string& name);
// mkdir -p.
absl::Status MakeDirs(const std::string& dir);
bool FileExists(const std::string& path);

// Removes temporaries an interrupted writer of `name` left in `dir`
// (".<name>.tmp.*").
void RemoveStaleTemporaries(const std::string& dir, const std::string& name);

struct ResultsDir {
  Manifest manifest;
  RunsTable runs;
};

// Reads sweep.json and runs.csv of `dir` and checks every row against the
// manifest (CheckRows).
absl::StatusOr<ResultsDir> ReadResultsDir(const std::string& dir);

// Each row's point, seed and axis values agree with its run index, and the run
// belongs to the manifest's shard.
absl::Status CheckRows(const Manifest& manifest, const RunsTable& runs);

// Writes runs.csv (in run order), summary.csv and plots/ (removing plots no
// longer produced) into `dir`; sweep.json is written by the caller.
absl::Status WriteResults(const Manifest& manifest, const RunsTable& runs,
                          const std::string& dir);

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_RESULTS_DIR_H_
