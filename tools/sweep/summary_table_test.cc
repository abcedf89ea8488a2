#include "tools/sweep/summary_table.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tools/report/csv.h"

namespace slotsim::tools::sweep {
namespace {

Manifest TwoPoints() {
  Manifest m;
  m.axes = {AxisInfo{"nt", "knobs.cluster_node_timeout", {"500", "1000"}}};
  m.main_axis = "nt";
  m.points = 2;
  m.seeds_per_point = 3;
  m.first_seed = 1;
  m.runs = 6;
  m.columns = {"run", "point", "nt", "seed", "promoted_ms", "status"};
  m.outcomes = {"promoted_ms"};
  return m;
}

RunsTable Rows(const Manifest& m, const std::vector<std::string>& promoted) {
  std::string text = FormatCsvRecord(m.columns);
  for (size_t run = 0; run < promoted.size(); ++run) {
    const int point = static_cast<int>(run) / 3;
    text += FormatCsvRecord({absl::StrCat(run), absl::StrCat(point), point == 0 ? "500" : "1000",
                             absl::StrCat(run % 3 + 1), promoted[run], "ok"});
  }
  return *ParseRunsCsv(text, m.columns, m.runs);
}

TEST(SummaryTableTest, OneRowPerPointAndOutcomeWithTheStatistics) {
  const Manifest m = TwoPoints();
  const RunsTable runs = Rows(m, {"1000", "3000", "2000", "5000", "", "Inf"});
  absl::StatusOr<CsvTable> t = ParseCsvTable(SummaryCsv(m, runs));
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->header[0], "point");
  EXPECT_EQ(t->header[1], "nt");
  EXPECT_EQ(t->header[2], "outcome");
  auto get = [&](size_t row, const char* col) { return *t->Get(row, col); };
  EXPECT_EQ(get(0, "nt"), "500");
  EXPECT_EQ(get(0, "outcome"), "promoted_ms");
  EXPECT_EQ(get(0, "count"), "3");
  EXPECT_EQ(get(0, "mean"), "2000");
  EXPECT_EQ(get(0, "median"), "2000");
  EXPECT_EQ(get(0, "min"), "1000");
  EXPECT_EQ(get(0, "max"), "3000");
  EXPECT_EQ(get(0, "median_ci_lo"), "1000") << "n <= 5: [min, max]";
  EXPECT_NE(get(0, "mean_ci_lo"), "");
  EXPECT_EQ(get(1, "count"), "2") << "the empty field is missing";
  EXPECT_EQ(get(1, "missing"), "1");
  EXPECT_EQ(get(1, "max"), "Inf");
}

TEST(SummaryTableTest, GroupsFollowPointOrderWhateverTheRowOrder) {
  const Manifest m = TwoPoints();
  const RunsTable runs = Rows(m, {"1", "2", "3", "4", "5", "6"});
  const std::vector<PointRuns> groups = GroupByPoint(m, runs);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[1].point, 1);
  EXPECT_EQ(groups[1].axis_values, std::vector<std::string>{"1000"});
  EXPECT_EQ(Samples(runs, groups[1], "promoted_ms"), (std::vector<double>{4, 5, 6}));
}

}  // namespace
}  // namespace slotsim::tools::sweep
