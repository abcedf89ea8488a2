#include "tools/sweep/summary_table.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sim/check.h"
#include "tools/report/csv.h"

namespace slotsim::tools::sweep {

std::vector<PointRuns> GroupByPoint(const Manifest& manifest, const RunsTable& runs) {
  const size_t point_col = runs.Column("point");
  std::vector<size_t> axis_cols;
  for (const AxisInfo& a : manifest.axes) axis_cols.push_back(runs.Column(a.label));
  std::map<int, PointRuns> by_point;
  for (const auto& [run, row] : runs.rows) {
    int point = 0;
    CHECK(absl::SimpleAtoi(row[point_col], &point)) << "run " << run << ": bad point";
    PointRuns& p = by_point[point];
    if (p.rows.empty()) {
      p.point = point;
      for (size_t c : axis_cols) p.axis_values.push_back(row[c]);
    }
    p.rows.push_back(&row);
  }
  std::vector<PointRuns> out;
  for (auto& [point, p] : by_point) out.push_back(std::move(p));
  return out;
}

std::vector<double> Samples(const RunsTable& runs, const PointRuns& point,
                            const std::string& column) {
  const size_t c = runs.Column(column);
  std::vector<double> v;
  v.reserve(point.rows.size());
  for (const std::vector<std::string>* row : point.rows) v.push_back(NumberField((*row)[c]));
  return v;
}

std::string SummaryCsv(const Manifest& manifest, const RunsTable& runs) {
  std::vector<std::string> header = {"point"};
  for (const AxisInfo& a : manifest.axes) header.push_back(a.label);
  header.push_back("outcome");
  for (const std::string& s : SummaryColumnNames()) header.push_back(s);
  std::string out = FormatCsvRecord(header);
  for (const PointRuns& p : GroupByPoint(manifest, runs)) {
    for (const std::string& outcome : manifest.outcomes) {
      std::vector<std::string> f = {absl::StrCat(p.point)};
      f.insert(f.end(), p.axis_values.begin(), p.axis_values.end());
      f.push_back(outcome);
      for (double v : SummaryColumnValues(Summarize(Samples(runs, p, outcome)))) {
        f.push_back(CsvNumber(v));
      }
      out += FormatCsvRecord(f);
    }
  }
  return out;
}

}  // namespace slotsim::tools::sweep
