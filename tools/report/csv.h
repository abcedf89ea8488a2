// CSV: an RFC 4180 writer and reader for tidy result tables (one row per run).
//
// Writer: a field is quoted only when it must be: when it holds a comma, a double
// quote, CR or LF (quotes inside are doubled), or when it is the only field of a
// record and empty (so the record is not a blank line). Records end with "\n" by
// default (Unix tools and R/pandas read it directly); RFC 4180's "\r\n" is an
// option. Numbers are formatted by tools/report/number_format.h, so the same
// values always give the same bytes. NaN becomes an empty field (missing) and
// infinities "Inf"/"-Inf", which both R and pandas read as numbers.
//
// Reader: accepts "\n" and "\r\n" record ends, quoted fields with embedded commas,
// quotes and line breaks, and a final record with or without a line end. Empty
// lines are skipped (the writer never makes one). A quote
// inside an unquoted field, text after a closing quote, or an unterminated quoted
// field is an error with line and column. ParseCsvTable() takes the first record
// as the header (names must be unique and non-empty) and requires every record to
// have exactly as many fields as the header.
//
// Example:
//   CsvWriter csv({"seed", "node_timeout_ms", "failover_ms"});
//   std::string text = csv.HeaderLine();
//   text += csv.Row().Set("seed", uint64_t{7}).Set("node_timeout_ms", 1000)
//              .SetFixed("failover_ms", 1534.25, 1).Line();  // "7,1000,1534.2\n"
//   absl::StatusOr<CsvTable> table = ParseCsvTable(text);

#ifndef SLOTSIM_TOOLS_REPORT_CSV_H_
#define SLOTSIM_TOOLS_REPORT_CSV_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace slotsim::tools {

// Appends `field`, quoted if needed (see the file comment), to `out`.
void AppendCsvField(std::string_view field, std::string* out);
// One record: fields joined by commas, followed by `line_end`.
std::string FormatCsvRecord(const std::vector<std::string>& fields,
                            std::string_view line_end = "\n");

// CSV spellings of numbers (see the file comment).
std::string CsvNumber(double value);               // shortest round-trip text
std::string CsvFixed(double value, int decimals);  // fixed decimals

class CsvWriter {
 public:
  // Builds one record by column name; unset columns are empty fields.
  class RowBuilder {
   public:
    RowBuilder& Set(std::string_view column, std::string_view value);
    RowBuilder& Set(std::string_view column, const char* value) {
      return Set(column, std::string_view(value));
    }
    RowBuilder& Set(std::string_view column, const std::string& value) {
      return Set(column, std::string_view(value));
    }
    RowBuilder& Set(std::string_view column, int64_t value);
    RowBuilder& Set(std::string_view column, int value) {
      return Set(column, static_cast<int64_t>(value));
    }
    RowBuilder& Set(std::string_view column, uint64_t value);
    RowBuilder& Set(std::string_view column, double value);  // CsvNumber
    RowBuilder& Set(std::string_view column, bool value);    // "true" / "false"
    RowBuilder& SetFixed(std::string_view column, double value, int decimals);

    const std::vector<std::string>& fields() const { return fields_; }
    // The record, with the writer's line end.
    std::string Line() const;

   private:
    friend class CsvWriter;
    explicit RowBuilder(const CsvWriter* writer);
    const CsvWriter* writer_;
    std::vector<std::string> fields_;
  };

  // REQUIRES: column names unique and non-empty.
  explicit CsvWriter(std::vector<std::string> columns, std::string line_end = "\n");

  const std::vector<std::string>& columns() const { return columns_; }
  // Index of `column`; CHECK-fails for an unknown name (a programmer error).
  size_t ColumnIndex(std::string_view column) const;

  std::string HeaderLine() const;
  // REQUIRES: fields.size() == columns().size().
  std::string Line(const std::vector<std::string>& fields) const;
  RowBuilder Row() const { return RowBuilder(this); }

 private:
  std::vector<std::string> columns_;
  std::string line_end_;
};

// Splits `text` into records of fields (no header handling).
absl::StatusOr<std::vector<std::vector<std::string>>> ParseCsvRecords(
    std::string_view text);

// A table read back: the header and the data records.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  std::optional<size_t> ColumnIndex(std::string_view column) const;
  // The field of `row` under `column`; NotFound if there is no such column.
  absl::StatusOr<std::string> Get(size_t row, std::string_view column) const;
};

// First record = header. An empty text is an error (no header).
absl::StatusOr<CsvTable> ParseCsvTable(std::string_view text);

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_REPORT_CSV_H_
