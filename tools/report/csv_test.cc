#include "tools/report/csv.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"

namespace slotsim::tools {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Records = std::vector<std::vector<std::string>>;

TEST(CsvWriteTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(FormatCsvRecord(
                {"plain", "with space", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""}),
            "plain,with space,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\n");
  EXPECT_EQ(FormatCsvRecord({""}), "\"\"\n");
  EXPECT_EQ(FormatCsvRecord({"a", "b"}, "\r\n"), "a,b\r\n");
}

TEST(CsvWriteTest, NumbersAreDeterministic) {
  EXPECT_EQ(CsvNumber(0.1), "0.1");
  EXPECT_EQ(CsvNumber(1500), "1500");
  EXPECT_EQ(CsvNumber(std::numeric_limits<double>::quiet_NaN()), "");
  EXPECT_EQ(CsvNumber(std::numeric_limits<double>::infinity()), "Inf");
  EXPECT_EQ(CsvFixed(-std::numeric_limits<double>::infinity(), 2), "-Inf");
  EXPECT_EQ(CsvFixed(2.0 / 3, 2), "0.67");
}

TEST(CsvWriterTest, RowsByColumnName) {
  CsvWriter csv({"seed", "timeout_ms", "promoted", "note", "failover_ms"});
  EXPECT_EQ(csv.HeaderLine(), "seed,timeout_ms,promoted,note,failover_ms\n");
  std::string line = csv.Row()
                         .Set("failover_ms", 1534.25)
                         .Set("seed", uint64_t{18446744073709551615u})
                         .Set("timeout_ms", -3)
                         .Set("promoted", true)
                         .Line();
  EXPECT_EQ(line, "18446744073709551615,-3,true,,1534.25\n");
  EXPECT_EQ(csv.Row().Set("note", "x,y").SetFixed("failover_ms", 1.25, 1).Line(),
            ",,,\"x,y\",1.2\n");
}

TEST(CsvWriterTest, ProgrammerErrorsCheckFail) {
  EXPECT_DEATH(CsvWriter({"a", "a"}), "duplicate CSV column");
  CsvWriter csv({"a"});
  EXPECT_DEATH(csv.Row().Set("b", 1), "unknown CSV column b");
  EXPECT_DEATH(csv.Line({"1", "2"}), "fields.size\\(\\) == columns_.size\\(\\)");
}

TEST(CsvReadTest, ParsesQuotedFieldsAndLineEnds) {
  absl::StatusOr<Records> records =
      ParseCsvRecords("a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",,x\n\nlast,one");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_THAT((*records)[0], ElementsAre("a", "b,c", "d\"e"));
  EXPECT_THAT((*records)[1], ElementsAre("multi\nline", "", "x"));
  EXPECT_THAT((*records)[2], ElementsAre("last", "one"));
}

TEST(CsvReadTest, TrailingEmptyFields) {
  absl::StatusOr<Records> records = ParseCsvRecords("a,\nb,");
  ASSERT_TRUE(records.ok());
  EXPECT_THAT((*records)[0], ElementsAre("a", ""));
  EXPECT_THAT((*records)[1], ElementsAre("b", ""));
  records = ParseCsvRecords("\"\"\n");
  ASSERT_TRUE(records.ok());
  EXPECT_THAT((*records)[0], ElementsAre(""));
}

TEST(CsvReadTest, ErrorsCarryLineAndColumn) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"a,b\nc,\"open", "CSV line 2, column 3: unterminated quoted field"},
           Case{"a,b\nx\"y,z", "CSV line 2, column 2: quote in an unquoted field"},
           Case{"\"q\"x", "CSV line 1, column 4: expected ','"},
           Case{"a\rb", "CSV line 1, column 2: CR not followed by LF"},
       }) {
    absl::StatusOr<Records> records = ParseCsvRecords(c.text);
    ASSERT_FALSE(records.ok()) << c.text;
    EXPECT_THAT(records.status().message(), HasSubstr(c.message));
  }
}

TEST(CsvTableTest, HeaderAndRows) {
  absl::StatusOr<CsvTable> table = ParseCsvTable("seed,ms\n1,10\n2,\"20\"\n");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(table->header, ElementsAre("seed", "ms"));
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(*table->Get(1, "ms"), "20");
  EXPECT_EQ(table->ColumnIndex("ms"), 1u);
  EXPECT_EQ(table->Get(0, "nope").status().code(), absl::StatusCode::kNotFound);
}

TEST(CsvTableTest, RejectsBadTables) {
  EXPECT_FALSE(ParseCsvTable("").ok());
  EXPECT_THAT(ParseCsvTable("a,a\n").status().message(), HasSubstr("repeats a"));
  EXPECT_THAT(ParseCsvTable("a,\n").status().message(), HasSubstr("empty name"));
  EXPECT_THAT(ParseCsvTable("a,b\n1,2\n\"x\ny\"\n").status().message(),
              HasSubstr("CSV line 3, column 1: record has 1 fields, the header has 2"));
}

RC_GTEST_PROP(CsvProperty, WriteThenReadGivesTheFields, ()) {
  const auto records = *rc::gen::container<Records>(rc::gen::nonEmpty(
      rc::gen::container<std::vector<std::string>>(rc::gen::arbitrary<std::string>())));
  std::string text;
  for (const std::vector<std::string>& record : records) {
    text += FormatCsvRecord(record, *rc::gen::element<std::string>("\n", "\r\n"));
  }
  absl::StatusOr<Records> parsed = ParseCsvRecords(text);
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == records);
}

}  // namespace
}  // namespace slotsim::tools
