#include "tools/sweep/runs_table.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sim/check.h"
#include "tools/report/csv.h"

namespace slotsim::tools::sweep {
namespace {

constexpr const char* kTrailing[] = {"violations", "events", "sim_time_ms"};

std::string Hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

std::vector<std::string> RunsSchema::Columns() const {
  std::vector<std::string> c = {"run", "point"};
  c.insert(c.end(), axis_labels.begin(), axis_labels.end());
  c.push_back("seed");
  for (const std::string& m : MetricNames(masters)) c.push_back(m);
  for (const char* n : kTrailing) c.push_back(n);
  for (const char* n : {"trace_hash", "status", "detail"}) c.push_back(n);
  return c;
}

std::vector<std::string> RunsSchema::Outcomes() const {
  std::vector<std::string> o;
  for (const std::string& m : MetricNames(masters)) {
    if (m != "fault_at_ms") o.push_back(m);  // when the fault was, not an outcome
  }
  for (const char* n : kTrailing) o.push_back(n);
  return o;
}

RunsSchema SchemaOf(const SweepPlan& plan) {
  RunsSchema s;
  for (const AxisInfo& a : plan.axes()) s.axis_labels.push_back(a.label);
  for (const PlannedPoint& p : plan.points()) {
    for (const MasterSlots& m : StartingMasters(p.scenario)) {
      bool seen = false;
      for (const std::string& n : s.masters) seen |= n == m.name;
      if (!seen) s.masters.push_back(m.name);
    }
  }
  return s;
}

std::string FormatRunRow(const RunsSchema& schema, const PlannedRun& run,
                         const std::vector<std::string>& axis_values,
                         const RunOutcome& outcome) {
  CHECK_EQ(axis_values.size(), schema.axis_labels.size());
  std::vector<std::string> f = {absl::StrCat(run.index), absl::StrCat(run.point)};
  f.insert(f.end(), axis_values.begin(), axis_values.end());
  f.push_back(absl::StrCat(run.seed));
  for (double v : MetricValues(outcome.metrics, schema.masters)) f.push_back(CsvNumber(v));
  f.push_back(absl::StrCat(outcome.violations));
  f.push_back(absl::StrCat(outcome.events));
  f.push_back(absl::StrCat(outcome.sim_time_ms));
  f.push_back(Hex(outcome.trace_hash));
  f.push_back(outcome.status);
  f.push_back(outcome.detail);
  CHECK_EQ(f.size(), schema.Columns().size());
  return FormatCsvRecord(f);
}

size_t RunsTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  CHECK(false) << "runs.csv has no column " << name;
  return 0;
}

std::string RunsTable::ToCsv() const {
  std::string out = FormatCsvRecord(header);
  for (const auto& [run, fields] : rows) out += FormatCsvRecord(fields);
  return out;
}

absl::StatusOr<RunsTable> ParseRunsCsv(std::string_view text,
                                       const std::vector<std::string>& expected_header,
                                       int64_t run_count) {
  absl::StatusOr<CsvTable> csv = ParseCsvTable(text);
  if (!csv.ok()) return csv.status();
  if (!expected_header.empty() && csv->header != expected_header) {
    return absl::FailedPreconditionError(
        absl::StrCat("its columns differ from this sweep's: it has\n  ",
                     absl::StrJoin(csv->header, ","), "\nand this sweep writes\n  ",
                     absl::StrJoin(expected_header, ",")));
  }
  RunsTable t;
  t.header = csv->header;
  if (t.header.empty() || t.header[0] != "run") {
    return absl::InvalidArgumentError("the first column is not 'run'");
  }
  for (size_t i = 0; i < csv->rows.size(); ++i) {
    std::vector<std::string>& row = csv->rows[i];
    int64_t run = -1;
    if (!absl::SimpleAtoi(row[0], &run) || run < 0 || (run_count >= 0 && run >= run_count)) {
      return absl::InvalidArgumentError(
          absl::StrCat("row ", i + 2, ": bad run index '", row[0], "'"));
    }
    auto [it, inserted] = t.rows.emplace(run, row);
    if (!inserted && it->second != row) {
      return absl::InvalidArgumentError(
          absl::StrCat("row ", i + 2, ": run ", run, " appears twice with different results"));
    }
  }
  return t;
}

absl::Status MergeRuns(const RunsTable& other, RunsTable* table) {
  if (table->header.empty()) table->header = other.header;
  if (other.header != table->header) {
    return absl::FailedPreconditionError("the runs.csv files have different columns");
  }
  for (const auto& [run, row] : other.rows) {
    auto [it, inserted] = table->rows.emplace(run, row);
    if (!inserted && it->second != row) {
      return absl::FailedPreconditionError(
          absl::StrCat("run ", run, " has different results in two inputs"));
    }
  }
  return absl::OkStatus();
}

double NumberField(const std::string& field) {
  if (field.empty()) return std::numeric_limits<double>::quiet_NaN();
  if (field == "Inf") return std::numeric_limits<double>::infinity();
  if (field == "-Inf") return -std::numeric_limits<double>::infinity();
  double v = 0;
  if (!absl::SimpleAtod(field, &v)) return std::numeric_limits<double>::quiet_NaN();
  return v;
}

}  // namespace slotsim::tools::sweep
