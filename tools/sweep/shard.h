// Shard: which part of a sweep one machine runs (`slotsim sweep --shard I/N`).
//
// Run k (0-based, in the sweep's run order) belongs to shard k mod N. Shard
// indices are 0-based (I in [0, N)), like a Kubernetes indexed job's
// JOB_COMPLETION_INDEX or a Slurm array started at 0. Invariants: the N shards
// partition the runs exactly (every run in one shard), the split depends only on
// (run, N), and shards differ in size by at most one run. Interleaving rather
// than cutting the run list into blocks spreads the costly grid points (long
// node timeouts) over all shards.

#ifndef SLOTSIM_TOOLS_SWEEP_SHARD_H_
#define SLOTSIM_TOOLS_SWEEP_SHARD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace slotsim::tools::sweep {

struct Shard {
  int64_t index = 0;
  int64_t count = 1;

  bool all() const { return count == 1; }
  bool Contains(int64_t run) const { return run % count == index; }
  // The runs of [0, total) in this shard, ascending.
  std::vector<int64_t> Runs(int64_t total) const;
  // "I/N".
  std::string ToString() const;
};

// Parses "I/N" with 0 <= I < N, 1 <= N <= 1e6.
absl::StatusOr<Shard> ParseShard(std::string_view text);

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_SHARD_H_
