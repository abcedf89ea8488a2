// RunSweep: runs a sweep plan (or one shard of it) into a results directory,
// over worker processes, resumable.
//
// Steps: check the directory (an existing runs.csv needs --resume, and then
// its sweep.json must match this sweep, build and shard); write sweep.json;
// run every run of the shard not yet in runs.csv on `jobs` workers
// (worker_pool.h), appending each row to runs.csv as it arrives and publishing
// the file atomically at least every checkpoint interval, so an interrupted
// sweep keeps every run up to its last checkpoint and a reader never sees half
// a file; then rewrite runs.csv in run order and derive summary.csv and the
// plots (results_dir.h). A run whose worker died is recorded with status
// "error" and the reason, and empty outcomes.
//
// Determinism: each row is a function of (plan, run index, build), and the
// final files are written from rows sorted by run index, so results do not
// depend on `jobs` or on how often the sweep was interrupted and resumed.

#ifndef SLOTSIM_TOOLS_SWEEP_SWEEP_JOB_H_
#define SLOTSIM_TOOLS_SWEEP_SWEEP_JOB_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/sweep/manifest.h"
#include "tools/sweep/run_executor.h"
#include "tools/sweep/shard.h"
#include "tools/sweep/sweep_plan.h"

namespace slotsim::tools::sweep {

struct SweepOptions {
  std::string out_dir;
  int jobs = 1;
  Shard shard;
  bool resume = false;
  // The plots' x axis: an axis label; empty: the first axis.
  std::string main_axis;
  ExecuteOptions execute;
  // Recorded in sweep.json; results of different builds are never mixed.
  std::string build;
  // Publish runs.csv at least this often while running (0: after every run).
  int64_t checkpoint_interval_ms = 2000;
  // A progress line on stderr (drawn only when stderr is a terminal).
  bool progress = true;
  // Polled while running; true interrupts the sweep (e.g. after SIGINT).
  std::function<bool()> stop;
  // Called in the parent after each run is recorded (tests).
  std::function<void(int64_t run)> on_recorded;
};

struct SweepReport {
  int64_t shard_runs = 0;  // runs in this shard
  int64_t resumed = 0;     // already in runs.csv
  int64_t ran = 0;         // recorded by this invocation
  int64_t not_ok = 0;      // rows (all of the shard's) whose status is not "ok"
  bool complete = false;   // every run of the shard is recorded
  double wall_seconds = 0;
};

// The manifest of `plan` run with `options`; InvalidArgument for an unknown
// main axis.
absl::StatusOr<Manifest> MakeManifest(const SweepPlan& plan, const SweepOptions& options);

// Runs the sweep. Cancelled (with what was recorded in runs.csv) if `stop`
// interrupted it; FailedPrecondition for a directory that does not fit.
absl::StatusOr<SweepReport> RunSweep(const SweepPlan& plan, const SweepOptions& options);

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_SWEEP_JOB_H_
