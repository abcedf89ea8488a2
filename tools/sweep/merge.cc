#include "tools/sweep/merge.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tools/report/atomic_file.h"
#include "tools/sweep/results_dir.h"

namespace slotsim::tools::sweep {

absl::StatusOr<MergeReport> MergeSweeps(const std::vector<std::string>& input_dirs,
                                        const std::string& out_dir) {
  if (input_dirs.empty()) return absl::InvalidArgumentError("nothing to merge");
  MergeReport report;
  Manifest manifest;
  RunsTable merged;
  for (size_t i = 0; i < input_dirs.size(); ++i) {
    const std::string& dir = input_dirs[i];
    absl::StatusOr<ResultsDir> in = ReadResultsDir(dir);
    if (!in.ok()) return in.status();
    if (i == 0) {
      manifest = in->manifest;
    } else if (std::string diff = manifest.Mismatch(in->manifest); !diff.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          dir, " is not a shard of the same sweep as ", input_dirs[0], ": the ", diff,
          " differs"));
    }
    if (absl::Status st = MergeRuns(in->runs, &merged); !st.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(dir, ": ", st.message()));
    }
    ++report.inputs;
  }
  manifest.shard = Shard{};
  report.runs_recorded = static_cast<int64_t>(merged.rows.size());
  report.runs_total = manifest.runs;
  if (absl::Status st = MakeDirs(out_dir); !st.ok()) return st;
  if (absl::Status st = WriteFileAtomically(JoinPath(out_dir, kManifestFile), manifest.ToJson());
      !st.ok()) {
    return st;
  }
  if (absl::Status st = WriteResults(manifest, merged, out_dir); !st.ok()) return st;
  return report;
}

}  // namespace slotsim::tools::sweep
