// sweep.json: what a results directory holds, so `--resume` and `slotsim
// merge` can check that results belong together without the sweep file.
//
// Fields: format ("slotsim-sweep/1"), name, build (results depend on the
// build), fingerprint (sweep_plan.h, hex), axes (label, path, values),
// main_axis (the x axis of the plots), points, seeds_per_point, first_seed,
// runs (in the whole sweep), columns (runs.csv header), outcomes, and shard
// ("I/N"; "0/1" for a whole sweep, also after a merge). Everything but `shard`
// must be equal for results to be merged or resumed. The file is written
// before the first run and rewritten unchanged at the end.

#ifndef SLOTSIM_TOOLS_SWEEP_MANIFEST_H_
#define SLOTSIM_TOOLS_SWEEP_MANIFEST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/sweep/shard.h"
#include "tools/sweep/sweep_plan.h"

namespace slotsim::tools::sweep {

struct Manifest {
  std::string name;
  std::string build;
  uint64_t fingerprint = 0;
  std::vector<AxisInfo> axes;
  std::string main_axis;
  int64_t points = 0;
  int64_t seeds_per_point = 0;
  uint64_t first_seed = 0;
  int64_t runs = 0;
  std::vector<std::string> columns;
  std::vector<std::string> outcomes;
  Shard shard;

  std::string ToJson() const;  // pretty, ends with "\n"
  // The first field (other than shard) that differs, or "" if none does.
  std::string Mismatch(const Manifest& other) const;
};

absl::StatusOr<Manifest> ParseManifest(std::string_view json);

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_MANIFEST_H_
