// Loader: scenario and seed files from text to a validated Scenario, and back.
//
// Loading runs three steps and reports every problem of all of them at once
// (one per line, `path:line:column: message`), so nothing runs on a bad file:
//   1. parse the text format (text_parser.h): syntax errors stop here;
//      unknown field names are collected and parsing goes on;
//   2. apply `--set PATH=VALUE` overrides in order (override.h);
//   3. validate the meaning (validate.h).
// Warnings (a field that has no effect, a WAIT that cannot succeed) do not
// stop a load; they come back in LoadedScenario::warnings, and are printed
// with the errors when there are errors.
//
// ScenarioToText writes a scenario (e.g. a seed file) as text that loads back
// to an equal message (same fields set, same values).
//
// Example:
//   absl::StatusOr<LoadedScenario> s =
//       LoadScenarioFile("failures/0042.textproto", {.overrides =
//       {"duration_ms=90000"}});
//   if (!s.ok()) { std::cerr << s.status().message() << "\n"; return 2; }

#ifndef SLOTSIM_SCENARIOS_LOADER_H_
#define SLOTSIM_SCENARIOS_LOADER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scenarios/diagnostics.h"
#include "scenarios/scenario.pb.h"

namespace slotsim::scenarios {

struct LoadOptions {
  // "path=value" overrides (--set), applied in order after parsing.
  std::vector<std::string> overrides;
  // Property names props/ knows; empty: `properties` is not checked.
  std::vector<std::string> known_properties;
};

struct LoadedScenario {
  Scenario scenario;
  std::vector<Diagnostic> warnings;
};

// Reads and loads `path`. NotFound if it cannot be read; InvalidArgument with
// every diagnostic, one per line, if it does not load.
absl::StatusOr<LoadedScenario> LoadScenarioFile(const std::string& path,
                                                const LoadOptions& options = {});

// The same for text; `file_name` is what diagnostics call the file.
absl::StatusOr<LoadedScenario> LoadScenarioText(std::string_view text,
                                                std::string_view file_name,
                                                const LoadOptions& options = {});

// Every diagnostic (errors and warnings, sorted as Diagnostics::Sorted) of
// loading `text`; empty for a clean file. `out`, if given, receives the
// scenario (meaningful only when there is no error).
std::vector<Diagnostic> CheckScenarioText(std::string_view text,
                                          std::string_view file_name,
                                          const LoadOptions& options = {},
                                          Scenario* out = nullptr);

// Text format of `scenario`, preceded by `header_comment` as `# ` lines.
std::string ScenarioToText(const Scenario& scenario,
                           std::string_view header_comment = "");
absl::Status WriteScenarioFile(const std::string& path, const Scenario& scenario,
                               std::string_view header_comment = "");

// A whole file as text; NotFound (with the reason) if it cannot be read.
absl::StatusOr<std::string> ReadTextFile(const std::string& path);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_LOADER_H_
