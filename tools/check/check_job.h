// RunCheck: the work of `slotsim check`: N seeds of a profile explored
// (props/explore.h) on J worker processes (tools/sweep/worker_pool.h), the
// outcomes gathered in seed order, and the failure files written.
//
// The report is a function of (profile, first seed, seeds, shrink budget,
// build), never of J or of timing: each seed is explored entirely inside one
// worker, deterministically, and outcomes are ordered by seed. Only the wall
// time (and so runs per second) depends on the machine.
//
// A worker that dies (a CHECK in the model, a signal) loses only its seed,
// which is reported as an error with the generated scenario saved for
// `slotsim run`.
//
// Files under the output folder:
//   failures/<seed>-<property>.textproto  a new violation, shrunk: a seed file
//                                         `slotsim replay` reproduces
//   known/<seed>-<finding>.textproto      a violation a finding explains (not
//                                         shrunk unless shrink_known)
//   errors/<seed>.textproto               a run that could not be carried out:
//                                         the generated scenario, with its seed
//   summary.json                          CheckSummaryJson
// Each file is written whole under a temporary name and renamed.

#ifndef SLOTSIM_TOOLS_CHECK_CHECK_JOB_H_
#define SLOTSIM_TOOLS_CHECK_CHECK_JOB_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "props/explore.pb.h"
#include "props/profiles.h"
#include "tools/report/json.h"

namespace slotsim::tools::check {

struct CheckOptions {
  const props::Profile* profile = nullptr;
  uint64_t first_seed = 1;
  int64_t seeds = 100;
  int jobs = 1;
  int shrink_runs = 200;
  bool shrink_known = false;
  std::string build;
};

// One seed's result, with the file written for it (if any).
struct SeedResult {
  props::ExploreOutcome outcome;
  std::string file;  // relative to the output folder; empty: none
};

struct CheckReport {
  std::string profile;
  uint64_t first_seed = 0;
  int64_t seeds = 0;
  std::vector<SeedResult> results;  // seed order
  double wall_s = 0;                // not part of the deterministic result
  int jobs = 0;

  // Derived counts.
  int64_t errors() const;
  int64_t failed_runs() const;       // runs with at least one new violation
  int64_t known_runs() const;        // runs whose violations a finding explains
  int64_t shrink_runs() const;       // runs spent shrinking
  // property -> {runs with a new violation, runs with a known one}.
  std::map<std::string, std::pair<int64_t, int64_t>> by_property() const;
  // finding -> runs.
  std::map<std::string, int64_t> by_finding() const;
};

// Explores the seeds. `progress(done)` is called in the parent as seeds
// complete; `stop()` is polled and ends the check early (Cancelled).
absl::StatusOr<CheckReport> RunCheck(const CheckOptions& options,
                                     const std::function<void(int64_t)>& progress = nullptr,
                                     const std::function<bool()>& stop = nullptr);

// Writes the failure, known and error files of `report` under `dir` and sets
// each SeedResult::file; then summary.json.
absl::Status WriteCheckFiles(const std::string& dir, CheckReport& report);

// The deterministic part of the report as JSON (no wall time), plus
// "wall_s" and "runs_per_s" when `with_timing`.
Json CheckSummaryJson(const CheckReport& report, const std::string& dir, bool with_timing);

// The human summary `slotsim check` prints.
std::string CheckSummaryText(const CheckReport& report, const std::string& dir);

}  // namespace slotsim::tools::check

#endif  // SLOTSIM_TOOLS_CHECK_CHECK_JOB_H_
