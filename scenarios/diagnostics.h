// Diagnostics: errors and warnings about a user's file, with positions.
//
// A Diagnostic prints as `file:line:column: message` (line and column 1-based,
// column counted in bytes with a tab as one) or, for a warning,
// `file:line:column: warning: message`. Without a position (an error in a
// --set override) it prints as its message alone. Diagnostics collects them
// while a file is checked so the user sees every error at once, and turns them
// into one absl::Status with one diagnostic per line.

#ifndef SLOTSIM_SCENARIOS_DIAGNOSTICS_H_
#define SLOTSIM_SCENARIOS_DIAGNOSTICS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace slotsim::scenarios {

// A 1-based position in a text file; line 0 means "no position".
struct TextPos {
  int line = 0;
  int column = 0;
};

struct Diagnostic {
  enum class Severity { kError, kWarning };

  Severity severity = Severity::kError;
  std::string file;
  TextPos pos;
  std::string message;

  bool is_error() const { return severity == Severity::kError; }
  std::string ToString() const;
};

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void Error(TextPos pos, std::string message);
  void Warning(TextPos pos, std::string message);
  // A diagnostic with no file position (the message says where).
  void ErrorNoPos(std::string message);
  void Add(Diagnostic d) { all_.push_back(std::move(d)); }

  const std::string& file() const { return file_; }
  bool has_errors() const;
  int error_count() const;
  // All diagnostics: those with a position sorted by (line, column, order of
  // report), then those without one in order of report.
  std::vector<Diagnostic> Sorted() const;
  std::vector<Diagnostic> Warnings() const;
  // OK if there is no error; else InvalidArgument whose message is every
  // diagnostic (warnings too) on its own line, sorted as above.
  absl::Status ToStatus() const;

 private:
  std::string file_;
  std::vector<Diagnostic> all_;
};

// Every diagnostic's ToString(), one per line, no trailing newline.
std::string JoinDiagnostics(const std::vector<Diagnostic>& ds);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_DIAGNOSTICS_H_
