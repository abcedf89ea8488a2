// MergeSweeps: joins the results directories of a sweep's shards (`slotsim
// sweep --shard I/N` on several machines) into the directory one machine
// running the whole sweep would have written, byte for byte.
//
// Every input's sweep.json must agree on everything but the shard (same sweep
// file, base scenario, build and options); every row must belong to its
// directory's shard; a run found in two inputs must have identical rows.
// Inputs may be any mix of shards, including earlier merges (shard 0/1). The
// output gets sweep.json with shard 0/1, runs.csv, summary.csv and plots/.
// Missing runs are not an error: the report says how many runs are recorded,
// and only a complete merge equals a single machine's output.

#ifndef SLOTSIM_TOOLS_SWEEP_MERGE_H_
#define SLOTSIM_TOOLS_SWEEP_MERGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace slotsim::tools::sweep {

struct MergeReport {
  int64_t inputs = 0;
  int64_t runs_recorded = 0;
  int64_t runs_total = 0;
  bool complete() const { return runs_recorded == runs_total; }
};

absl::StatusOr<MergeReport> MergeSweeps(const std::vector<std::string>& input_dirs,
                                        const std::string& out_dir);

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_MERGE_H_
