#include "tools/sweep/runs_table.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"
#include "tools/report/csv.h"

namespace slotsim::tools::sweep {
namespace {

RunsSchema Schema() {
  RunsSchema s;
  s.axis_labels = {"nt"};
  s.masters = {"m1", "m2"};
  return s;
}

TEST(RunsTableTest, ColumnsAreIdentityOutcomesThenVerdict) {
  const std::vector<std::string> c = Schema().Columns();
  EXPECT_EQ(c[0], "run");
  EXPECT_EQ(c[1], "point");
  EXPECT_EQ(c[2], "nt");
  EXPECT_EQ(c[3], "seed");
  EXPECT_EQ(c[4], "fault_at_ms");
  EXPECT_EQ(c[c.size() - 3], "trace_hash");
  EXPECT_EQ(c.back(), "detail");
  const std::vector<std::string> o = Schema().Outcomes();
  EXPECT_NE(std::find(o.begin(), o.end(), "unavail_m2_ms"), o.end());
  EXPECT_EQ(o.back(), "sim_time_ms");
  EXPECT_EQ(c.size(), o.size() + 8) << "identity, fault_at_ms and verdict columns";
}

TEST(RunsTableTest, RowsRoundTripByteForByte) {
  const RunsSchema schema = Schema();
  RunOutcome out;
  out.metrics.promoted_ms = 1234.567;
  out.metrics.unavailable_ms["m1"] = std::numeric_limits<double>::infinity();
  out.metrics.failovers = 1;
  out.trace_hash = 0xabc;
  out.status = "violation";
  out.detail = "votes at 1.000s: two votes, \"same\" epoch";
  const std::string row0 = FormatRunRow(schema, PlannedRun{0, 0, 1}, {"1000"}, out);
  const std::string row5 = FormatRunRow(schema, PlannedRun{5, 2, 2}, {"3000"}, out);
  const std::string header = FormatCsvRecord(schema.Columns());
  absl::StatusOr<RunsTable> t = ParseRunsCsv(header + row5 + row0, schema.Columns(), 6);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->ToCsv(), header + row0 + row5) << "rows come back in run order";
  const auto& fields = t->rows.at(0);
  EXPECT_EQ(fields[t->Column("promoted_ms")], "1234.567");
  EXPECT_EQ(fields[t->Column("unavail_m1_ms")], "Inf");
  EXPECT_EQ(fields[t->Column("unavail_m2_ms")], "") << "NaN is an empty field";
  EXPECT_EQ(fields[t->Column("trace_hash")], "0000000000000abc");
  EXPECT_EQ(fields[t->Column("detail")], out.detail);
  EXPECT_TRUE(std::isinf(NumberField("Inf")));
  EXPECT_TRUE(std::isnan(NumberField("")));
  EXPECT_EQ(NumberField("1234.567"), 1234.567);
}

TEST(RunsTableTest, RejectsForeignColumnsBadIndicesAndConflicts) {
  const RunsSchema schema = Schema();
  const std::string header = FormatCsvRecord(schema.Columns());
  RunOutcome a, b;
  a.status = "ok";
  b.status = "error";
  const std::string row_a = FormatRunRow(schema, PlannedRun{1, 0, 2}, {"1000"}, a);
  const std::string row_b = FormatRunRow(schema, PlannedRun{1, 0, 2}, {"1000"}, b);
  EXPECT_FALSE(ParseRunsCsv("run,x\n1,2\n", schema.Columns(), 10).ok());
  EXPECT_FALSE(ParseRunsCsv(header + row_a, schema.Columns(), 1).ok()) << "run 1 of 1";
  EXPECT_FALSE(ParseRunsCsv(header + row_a + row_b, schema.Columns(), 10).ok());
  EXPECT_TRUE(ParseRunsCsv(header + row_a + row_a, schema.Columns(), 10).ok())
      << "the same row twice is harmless";

  RunsTable t1 = *ParseRunsCsv(header + row_a, {}, -1);
  const RunsTable t2 = *ParseRunsCsv(header + row_b, {}, -1);
  EXPECT_FALSE(MergeRuns(t2, &t1).ok());
}

}  // namespace
}  // namespace slotsim::tools::sweep
