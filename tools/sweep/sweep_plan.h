// SweepPlan: a sweep file (scenarios/sweep.proto) expanded into the runs it
// stands for.
//
// Points come from scenarios::SweepPoints (CROSS varies the last axis fastest;
// ZIP pairs the i-th values), each loaded and validated as a scenario (the base
// file with the sweep's `set` and the point's axis values as overrides), so a
// bad combination is reported before anything runs. Runs are numbered
// point-major:
//   run k = point k / seeds_per_point, seed first_seed + k mod seeds_per_point.
// That numbering, and so every row of runs.csv, depends only on the sweep file
// and the base scenario, never on --jobs or --shard.
//
// The fingerprint hashes everything a run's result depends on except the build
// (name, axes, every point's scenario text, seeds), so --resume and merge can
// refuse results that belong to another sweep.

#ifndef SLOTSIM_TOOLS_SWEEP_SWEEP_PLAN_H_
#define SLOTSIM_TOOLS_SWEEP_SWEEP_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/scenario.pb.h"
#include "scenarios/sweep_loader.h"

namespace slotsim::tools::sweep {

struct AxisInfo {
  std::string label;  // column name (the path if the file gives no label)
  std::string path;
  std::vector<std::string> values;  // override text, in the file's order
};

struct PlannedPoint {
  std::vector<std::string> values;  // one per axis
  scenarios::Scenario scenario;     // loaded and validated
};

struct PlannedRun {
  int64_t index = 0;
  int point = 0;
  uint64_t seed = 0;
};

struct PlanOptions {
  // Overrides the file's seeds_per_point (--seeds).
  std::optional<int> seeds_per_point;
  // Property names the checkers know (empty: not checked).
  std::vector<std::string> known_properties;
};

class SweepPlan {
 public:
  // Loads the sweep file, then its base scenario once per point.
  static absl::StatusOr<SweepPlan> Load(const std::string& sweep_path,
                                        const PlanOptions& options = {});
  // The same from a loaded sweep and the base scenario's text.
  static absl::StatusOr<SweepPlan> Build(const scenarios::LoadedSweep& loaded,
                                         const std::string& base_text,
                                         const PlanOptions& options = {});

  const std::string& name() const { return name_; }
  const std::vector<AxisInfo>& axes() const { return axes_; }
  const std::vector<PlannedPoint>& points() const { return points_; }
  int seeds_per_point() const { return seeds_per_point_; }
  uint64_t first_seed() const { return first_seed_; }
  int64_t run_count() const {
    return static_cast<int64_t>(points_.size()) * seeds_per_point_;
  }
  // REQUIRES: 0 <= index < run_count().
  PlannedRun run(int64_t index) const;
  uint64_t fingerprint() const { return fingerprint_; }

 private:
  std::string name_;
  std::vector<AxisInfo> axes_;
  std::vector<PlannedPoint> points_;
  int seeds_per_point_ = 1;
  uint64_t first_seed_ = 1;
  uint64_t fingerprint_ = 0;
};

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_SWEEP_PLAN_H_
