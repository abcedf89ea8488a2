#include "tools/report/csv.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "sim/check.h"
#include "tools/report/number_format.h"

namespace slotsim::tools {

void AppendCsvField(std::string_view field, std::string* out) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

std::string FormatCsvRecord(const std::vector<std::string>& fields,
                            std::string_view line_end) {
  std::string out;
  if (fields.size() == 1 && fields[0].empty()) {
    out = "\"\"";
  } else {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out.push_back(',');
      AppendCsvField(fields[i], &out);
    }
  }
  out.append(line_end);
  return out;
}

std::string CsvNumber(double value) {
  if (std::isnan(value)) return "";
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  return FormatShortest(value);
}

std::string CsvFixed(double value, int decimals) {
  if (std::isnan(value)) return "";
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  return FormatFixed(value, decimals);
}

CsvWriter::CsvWriter(std::vector<std::string> columns, std::string line_end)
    : columns_(std::move(columns)), line_end_(std::move(line_end)) {
  CHECK(!columns_.empty());
  CHECK(line_end_ == "\n" || line_end_ == "\r\n");
  std::set<std::string> seen;
  for (const std::string& column : columns_) {
    CHECK(!column.empty()) << "empty CSV column name";
    CHECK(seen.insert(column).second) << "duplicate CSV column " << column;
  }
}

size_t CsvWriter::ColumnIndex(std::string_view column) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] == column) return i;
  }
  CHECK(false) << "unknown CSV column " << column;
  return 0;
}

std::string CsvWriter::HeaderLine() const { return Line(columns_); }

std::string CsvWriter::Line(const std::vector<std::string>& fields) const {
  CHECK_EQ(fields.size(), columns_.size());
  return FormatCsvRecord(fields, line_end_);
}

CsvWriter::RowBuilder::RowBuilder(const CsvWriter* writer)
    : writer_(writer), fields_(writer->columns().size()) {}

CsvWriter::RowBuilder& CsvWriter::RowBuilder::Set(std::string_view column,
                                                  std::string_view value) {
  fields_[writer_->ColumnIndex(column)] = std::string(value);
  return *this;
}

CsvWriter::RowBuilder& CsvWriter::RowBuilder::Set(std::string_view column,
                                                  int64_t value) {
  return Set(column, std::to_string(value));
}

CsvWriter::RowBuilder& CsvWriter::RowBuilder::Set(std::string_view column,
                                                  uint64_t value) {
  return Set(column, std::to_string(value));
}

CsvWriter::RowBuilder& CsvWriter::RowBuilder::Set(std::string_view column, double value) {
  return Set(column, CsvNumber(value));
}

CsvWriter::RowBuilder& CsvWriter::RowBuilder::Set(std::string_view column, bool value) {
  return Set(column, std::string_view(value ? "true" : "false"));
}

CsvWriter::RowBuilder& CsvWriter::RowBuilder::SetFixed(std::string_view column,
                                                       double value, int decimals) {
  return Set(column, CsvFixed(value, decimals));
}

std::string CsvWriter::RowBuilder::Line() const { return writer_->Line(fields_); }

namespace {

absl::Status ParseError(size_t line, size_t column, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("CSV line ", line, ", column ", column, ": ", std::string(what)));
}

// Splits `text` into records; `record_lines` gets the line each record starts on.
absl::Status SplitRecords(std::string_view text,
                          std::vector<std::vector<std::string>>* records,
                          std::vector<size_t>* record_lines) {
  std::vector<std::string> record;
  std::string field;
  size_t line = 1, column = 1;  // Of text[i], 1-based, in bytes.
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    // At the start of a field. An empty line is no record at all.
    if (record.empty() && (text[i] == '\n' || text.substr(i, 2) == "\r\n")) {
      i += text[i] == '\n' ? 1 : 2;
      ++line, column = 1;
      continue;
    }
    if (record.empty()) record_lines->push_back(line);
    if (text[i] == '"') {
      const size_t open_line = line, open_column = column;
      ++i, ++column;
      while (true) {
        if (i >= n)
          return ParseError(open_line, open_column, "unterminated quoted field");
        char c = text[i];
        if (c == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field.push_back('"');
            i += 2, column += 2;
            continue;
          }
          ++i, ++column;
          break;
        }
        field.push_back(c);
        ++i;
        if (c == '\n') {
          ++line, column = 1;
        } else {
          ++column;
        }
      }
      if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return ParseError(line, column,
                          "expected ',' or a line end after a quoted field");
      }
    } else {
      while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        if (text[i] == '"') return ParseError(line, column, "quote in an unquoted field");
        field.push_back(text[i]);
        ++i, ++column;
      }
    }
    // After a field: a comma, a line end, or the end of the text.
    record.push_back(std::move(field));
    field.clear();
    if (i >= n) break;
    if (text[i] == ',') {
      ++i, ++column;
      if (i >= n) record.emplace_back();  // "a," ends with an empty field.
      continue;
    }
    if (text[i] == '\r') {
      if (i + 1 >= n || text[i + 1] != '\n') {
        return ParseError(line, column, "CR not followed by LF");
      }
      ++i;
    }
    ++i;  // '\n'
    ++line, column = 1;
    records->push_back(std::move(record));
    record.clear();
  }
  if (!record.empty()) records->push_back(std::move(record));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::vector<std::string>>> ParseCsvRecords(
    std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<size_t> lines;
  if (absl::Status status = SplitRecords(text, &records, &lines); !status.ok()) {
    return status;
  }
  return records;
}

std::optional<size_t> CsvTable::ColumnIndex(std::string_view column) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == column) return i;
  }
  return std::nullopt;
}

absl::StatusOr<std::string> CsvTable::Get(size_t row, std::string_view column) const {
  CHECK_LT(row, rows.size());
  std::optional<size_t> index = ColumnIndex(column);
  if (!index)
    return absl::NotFoundError(absl::StrCat("no CSV column ", std::string(column)));
  return rows[row][*index];
}

absl::StatusOr<CsvTable> ParseCsvTable(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<size_t> lines;
  if (absl::Status status = SplitRecords(text, &records, &lines); !status.ok()) {
    return status;
  }
  if (records.empty()) return absl::InvalidArgumentError("CSV has no header");
  CsvTable table;
  table.header = std::move(records[0]);
  std::set<std::string> seen;
  for (const std::string& name : table.header) {
    if (name.empty()) return absl::InvalidArgumentError("CSV header has an empty name");
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(absl::StrCat("CSV header repeats ", name));
    }
  }
  for (size_t r = 1; r < records.size(); ++r) {
    std::vector<std::string>& record = records[r];
    if (record.size() != table.header.size()) {
      return ParseError(lines[r], 1,
                        absl::StrCat("record has ", record.size(),
                                     " fields, the header has ", table.header.size()));
    }
    table.rows.push_back(std::move(record));
  }
  return table;
}

}  // namespace slotsim::tools
