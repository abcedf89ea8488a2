#include "tools/sweep/sweep_job.h"

#include <chrono>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tools/report/atomic_file.h"
#include "tools/report/csv.h"
#include "tools/report/progress.h"
#include "tools/sweep/results_dir.h"
#include "tools/sweep/runs_table.h"
#include "tools/sweep/worker_pool.h"

namespace slotsim::tools::sweep {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The row of a run whose worker died: identity columns, empty outcomes.
std::string FailedRow(const RunsSchema& schema, const SweepPlan& plan, int64_t index,
                      const std::string& why) {
  const PlannedRun run = plan.run(index);
  std::vector<std::string> f = {absl::StrCat(run.index), absl::StrCat(run.point)};
  const auto& values = plan.points()[static_cast<size_t>(run.point)].values;
  f.insert(f.end(), values.begin(), values.end());
  f.push_back(absl::StrCat(run.seed));
  f.resize(schema.Columns().size() - 2);  // outcomes and trace hash empty
  f.push_back("error");
  f.push_back(why);
  return FormatCsvRecord(f);
}

// Loads what an earlier invocation recorded, checking it belongs here.
absl::Status LoadPrevious(const Manifest& manifest, const SweepOptions& options,
                          RunsTable* table) {
  const std::string dir = options.out_dir;
  if (!options.resume) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, " already holds sweep results (", kRunsFile,
        "); pass --resume to continue them, or choose another --out"));
  }
  const std::string mpath = JoinPath(dir, kManifestFile);
  absl::StatusOr<std::string> text = ReadFileToString(mpath);
  if (!text.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot resume: ", text.status().message()));
  }
  absl::StatusOr<Manifest> old = ParseManifest(*text);
  if (!old.ok()) return absl::FailedPreconditionError(old.status().message());
  const std::string diff = manifest.Mismatch(*old);
  if (!diff.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot resume ", dir, ": its ", diff, " differs from this sweep's; use another --out"));
  }
  if (old->shard.index != manifest.shard.index || old->shard.count != manifest.shard.count) {
    return absl::FailedPreconditionError(absl::StrCat("cannot resume ", dir, ": it holds shard ",
                                                      old->shard.ToString(), ", not ",
                                                      manifest.shard.ToString()));
  }
  absl::StatusOr<std::string> runs = ReadFileToString(JoinPath(dir, kRunsFile));
  if (!runs.ok()) return runs.status();
  absl::StatusOr<RunsTable> parsed = ParseRunsCsv(*runs, manifest.columns, manifest.runs);
  if (!parsed.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot resume from ", kRunsFile, ": ", parsed.status().message()));
  }
  if (absl::Status st = CheckRows(manifest, *parsed); !st.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot resume from ", kRunsFile, ": ", st.message()));
  }
  *table = *std::move(parsed);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Manifest> MakeManifest(const SweepPlan& plan, const SweepOptions& options) {
  const RunsSchema schema = SchemaOf(plan);
  Manifest m;
  m.name = plan.name();
  m.build = options.build;
  m.fingerprint = plan.fingerprint();
  m.axes = plan.axes();
  m.main_axis = options.main_axis;
  if (m.main_axis.empty() && !m.axes.empty()) m.main_axis = m.axes.front().label;
  bool known = m.main_axis.empty();
  for (const AxisInfo& a : m.axes) known |= a.label == m.main_axis;
  if (!known) {
    return absl::InvalidArgumentError(
        absl::StrCat("--main-axis ", m.main_axis, " is not an axis label of the sweep"));
  }
  m.points = static_cast<int64_t>(plan.points().size());
  m.seeds_per_point = plan.seeds_per_point();
  m.first_seed = plan.first_seed();
  m.runs = plan.run_count();
  m.columns = schema.Columns();
  m.outcomes = schema.Outcomes();
  m.shard = options.shard;
  return m;
}

absl::StatusOr<SweepReport> RunSweep(const SweepPlan& plan, const SweepOptions& options) {
  const Clock::time_point start = Clock::now();
  absl::StatusOr<Manifest> manifest = MakeManifest(plan, options);
  if (!manifest.ok()) return manifest.status();
  const RunsSchema schema = SchemaOf(plan);
  const std::string dir = options.out_dir;
  if (absl::Status st = MakeDirs(dir); !st.ok()) return st;
  const std::string runs_path = JoinPath(dir, kRunsFile);
  RemoveStaleTemporaries(dir, kRunsFile);

  RunsTable table;
  table.header = manifest->columns;
  const bool existing = FileExists(runs_path);
  if (existing) {
    if (absl::Status st = LoadPrevious(*manifest, options, &table); !st.ok()) return st;
  }
  if (absl::Status st = WriteFileAtomically(JoinPath(dir, kManifestFile), manifest->ToJson());
      !st.ok()) {
    return st;
  }

  SweepReport report;
  std::vector<int64_t> todo;
  for (int64_t run : options.shard.Runs(plan.run_count())) {
    ++report.shard_runs;
    if (table.rows.count(run) > 0) {
      ++report.resumed;
    } else {
      todo.push_back(run);
    }
  }

  absl::StatusOr<AtomicFileWriter> writer = AtomicFileWriter::Open(
      runs_path,
      existing ? AtomicFileWriter::Mode::kAppend : AtomicFileWriter::Mode::kTruncate);
  if (!writer.ok()) return writer.status();
  if (!existing) {
    if (absl::Status st = writer->Append(FormatCsvRecord(table.header)); !st.ok()) return st;
    if (absl::Status st = writer->Checkpoint(); !st.ok()) return st;
  }

  std::unique_ptr<ProgressLine> progress;
  if (options.progress) {
    progress = std::make_unique<ProgressLine>(
        options.shard.all() ? std::string("sweep")
                            : absl::StrCat("sweep ", options.shard.ToString()),
        static_cast<int64_t>(todo.size()));
  }
  Clock::time_point last_checkpoint = Clock::now();
  absl::Status write_status;

  const TaskFn fn = [&](int64_t index) {
    const PlannedRun run = plan.run(index);
    const PlannedPoint& point = plan.points()[static_cast<size_t>(run.point)];
    return FormatRunRow(schema, run, point.values, ExecuteRun(point.scenario, run.seed,
                                                              options.execute));
  };
  const DoneFn done = [&](int64_t index, const TaskResult& r) {
    const std::string line = r.ok ? r.output : FailedRow(schema, plan, index, r.error);
    absl::StatusOr<std::vector<std::vector<std::string>>> fields = ParseCsvRecords(line);
    CHECK(fields.ok() && fields->size() == 1) << "bad row for run " << index;
    table.rows.emplace(index, std::move(fields->front()));
    if (write_status.ok()) write_status = writer->Append(line);
    const bool due = options.checkpoint_interval_ms <= 0 ||
                     SecondsSince(last_checkpoint) * 1000 >= options.checkpoint_interval_ms;
    if (write_status.ok() && due) {
      write_status = writer->Checkpoint();
      last_checkpoint = Clock::now();
    }
    ++report.ran;
    if (progress) progress->Advance();
    if (options.on_recorded) options.on_recorded(index);
  };
  const std::function<bool()> stop = [&] {
    return !write_status.ok() || (options.stop && options.stop());
  };

  const absl::Status pool = RunTasks(todo, options.jobs, fn, done, stop);
  if (progress) progress->Finish();
  if (!write_status.ok()) return write_status;
  if (absl::Status st = writer->Close(); !st.ok()) return st;
  report.wall_seconds = SecondsSince(start);
  if (absl::IsCancelled(pool)) {  // runs.csv keeps what was recorded
    return absl::CancelledError(absl::StrCat(
        "interrupted: ", report.resumed + report.ran, " of ", report.shard_runs,
        " runs recorded in ", runs_path, "; run again with --resume to finish"));
  }
  if (!pool.ok()) return pool;

  report.complete = true;
  const size_t status_col = table.Column("status");
  for (const auto& [run, row] : table.rows) report.not_ok += row[status_col] != "ok";
  if (absl::Status st = WriteResults(*manifest, table, dir); !st.ok()) return st;
  report.wall_seconds = SecondsSince(start);
  return report;
}

}  // namespace slotsim::tools::sweep
