// Sweep files (sweep.proto): loading with the same diagnostics as scenario
// files, and expansion of the axes into grid points.
//
// Checked: base is given; every `set` entry and axis path names a scalar
// field of Scenario and every value suits its type (as --set would check);
// each axis has exactly one of values and range; ranges are ordered with a
// positive step; ZIP axes have equal lengths; labels are unique.
// The base scenario itself is not loaded here (the runner loads it with the
// overrides of each point, which validates the combination).

#ifndef SLOTSIM_SCENARIOS_SWEEP_LOADER_H_
#define SLOTSIM_SCENARIOS_SWEEP_LOADER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/diagnostics.h"
#include "scenarios/sweep.pb.h"

namespace slotsim::scenarios {

inline constexpr int kMaxSweepPoints = 100000;

struct LoadedSweep {
  Sweep sweep;
  // `base` resolved against the sweep file's directory.
  std::string base_path;
  std::vector<Diagnostic> warnings;
};

absl::StatusOr<LoadedSweep> LoadSweepFile(const std::string& path);
absl::StatusOr<LoadedSweep> LoadSweepText(std::string_view text,
                                          std::string_view file_name);

// The values of one axis as override text, in order.
std::vector<std::string> AxisValues(const Axis& axis);

// One entry per grid point, each the overrides of that point: sweep.set,
// then "path=value" for every axis. CROSS varies the last axis fastest.
// REQUIRES: a validated sweep.
std::vector<std::vector<std::string>> SweepPoints(const Sweep& sweep);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_SWEEP_LOADER_H_
