#include "tools/sweep/results_dir.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/report/atomic_file.h"
#include "tools/sweep/summary_table.h"
#include "tools/sweep/sweep_plots.h"

namespace slotsim::tools::sweep {
namespace {

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (const dirent* e = readdir(d)) names.push_back(e->d_name);
  closedir(d);
  return names;
}

}  // namespace

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

absl::Status MakeDirs(const std::string& dir) {
  std::string path;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = dir.find('/', pos + 1);
    path = dir.substr(0, pos);
    if (path.empty()) continue;
    if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
      return absl::InternalError(absl::StrCat("mkdir ", path, ": ", strerror(errno)));
    }
  }
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(dir, " is not a directory"));
  }
  return absl::OkStatus();
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

void RemoveStaleTemporaries(const std::string& dir, const std::string& name) {
  const std::string prefix = "." + name + ".tmp.";
  for (const std::string& f : ListDir(dir)) {
    if (absl::StartsWith(f, prefix)) unlink(JoinPath(dir, f).c_str());
  }
}

absl::Status CheckRows(const Manifest& m, const RunsTable& runs) {
  const size_t point_col = runs.Column("point");
  const size_t seed_col = runs.Column("seed");
  std::vector<size_t> axis_cols;
  for (const AxisInfo& a : m.axes) axis_cols.push_back(runs.Column(a.label));
  for (const auto& [run, row] : runs.rows) {
    auto bad = [&, run = run](const std::string& what) {
      return absl::InvalidArgumentError(absl::StrCat("run ", run, ": ", what));
    };
    int64_t point = -1;
    uint64_t seed = 0;
    if (run >= m.runs) return bad("beyond the sweep's runs");
    if (!m.shard.Contains(run)) return bad(absl::StrCat("not in shard ", m.shard.ToString()));
    if (!absl::SimpleAtoi(row[point_col], &point) || point != run / m.seeds_per_point) {
      return bad(absl::StrCat("point is '", row[point_col], "', expected ",
                              run / m.seeds_per_point));
    }
    const uint64_t expected_seed = m.first_seed + static_cast<uint64_t>(run % m.seeds_per_point);
    if (!absl::SimpleAtoi(row[seed_col], &seed) || seed != expected_seed) {
      return bad(absl::StrCat("seed is '", row[seed_col], "', expected ", expected_seed));
    }
    for (size_t i = 0; i < m.axes.size(); ++i) {
      bool known = false;
      for (const std::string& v : m.axes[i].values) known |= v == row[axis_cols[i]];
      if (!known) {
        return bad(absl::StrCat(m.axes[i].label, " '", row[axis_cols[i]],
                                "' is not one of the axis' values"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ResultsDir> ReadResultsDir(const std::string& dir) {
  ResultsDir r;
  const std::string manifest_path = JoinPath(dir, kManifestFile);
  absl::StatusOr<std::string> mtext = ReadFileToString(manifest_path);
  if (!mtext.ok()) return mtext.status();
  absl::StatusOr<Manifest> m = ParseManifest(*mtext);
  if (!m.ok()) return absl::InvalidArgumentError(absl::StrCat(manifest_path, ": ",
                                                              m.status().message()));
  r.manifest = *std::move(m);
  const std::string runs_path = JoinPath(dir, kRunsFile);
  absl::StatusOr<std::string> rtext = ReadFileToString(runs_path);
  if (!rtext.ok()) return rtext.status();
  absl::StatusOr<RunsTable> runs = ParseRunsCsv(*rtext, r.manifest.columns, r.manifest.runs);
  if (!runs.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(runs_path, ": ", runs.status().message()));
  }
  r.runs = *std::move(runs);
  if (absl::Status st = CheckRows(r.manifest, r.runs); !st.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(runs_path, ": ", st.message()));
  }
  return r;
}

absl::Status WriteResults(const Manifest& manifest, const RunsTable& runs,
                          const std::string& dir) {
  if (absl::Status st = WriteFileAtomically(JoinPath(dir, kRunsFile), runs.ToCsv()); !st.ok()) {
    return st;
  }
  if (absl::Status st =
          WriteFileAtomically(JoinPath(dir, kSummaryFile), SummaryCsv(manifest, runs));
      !st.ok()) {
    return st;
  }
  absl::StatusOr<std::vector<PlotFile>> plots = SweepPlots(manifest, runs);
  if (!plots.ok()) return plots.status();
  const std::string plot_dir = JoinPath(dir, kPlotsDir);
  if (absl::Status st = MakeDirs(plot_dir); !st.ok()) return st;
  std::set<std::string> written;
  for (const PlotFile& p : *plots) {
    if (absl::Status st = WriteFileAtomically(JoinPath(plot_dir, p.name), p.svg); !st.ok()) {
      return st;
    }
    written.insert(p.name);
  }
  for (const std::string& f : ListDir(plot_dir)) {
    if (absl::EndsWith(f, ".svg") && written.count(f) == 0) {
      unlink(JoinPath(plot_dir, f).c_str());
    }
  }
  return absl::OkStatus();
}

}  // namespace slotsim::tools::sweep
