#include "scenarios/loader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/text_format.h"
#include "scenarios/override.h"
#include "scenarios/sv.h"
#include "scenarios/text_parser.h"
#include "scenarios/validate.h"

namespace slotsim::scenarios {

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  return text.str();
}

std::vector<Diagnostic> CheckScenarioText(std::string_view text,
                                          std::string_view file_name,
                                          const LoadOptions& options, Scenario* out) {
  Scenario local;
  Scenario* scenario = out != nullptr ? out : &local;
  Diagnostics diags{std::string(file_name)};
  ParsedText parsed(text, scenario, &diags);
  if (!parsed.complete()) return diags.Sorted();

  ValidateOptions vopts;
  vopts.known_properties = options.known_properties;
  for (const std::string& o : options.overrides) {
    const absl::Status st = ApplyOverride(scenario, o);
    if (!st.ok()) {
      diags.ErrorNoPos(absl::StrCat("--set ", o, ": ", st.message()));
    } else {
      vopts.overrides[OverridePath(o)] = o;
    }
  }
  ValidateScenario(parsed.Root(), vopts, &diags);
  return diags.Sorted();
}

absl::StatusOr<LoadedScenario> LoadScenarioText(std::string_view text,
                                                std::string_view file_name,
                                                const LoadOptions& options) {
  LoadedScenario loaded;
  std::vector<Diagnostic> ds =
      CheckScenarioText(text, file_name, options, &loaded.scenario);
  bool error = false;
  for (const Diagnostic& d : ds) error |= d.is_error();
  if (error) return absl::InvalidArgumentError(JoinDiagnostics(ds));
  loaded.warnings = std::move(ds);
  return loaded;
}

absl::StatusOr<LoadedScenario> LoadScenarioFile(const std::string& path,
                                                const LoadOptions& options) {
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return LoadScenarioText(*text, path, options);
}

std::string ScenarioToText(const Scenario& scenario, std::string_view header_comment) {
  std::string out;
  if (!header_comment.empty()) {
    for (absl::string_view line : absl::StrSplit(Sv(header_comment), '\n')) {
      absl::StrAppend(&out, line.empty() ? "#" : "# ", line, "\n");
    }
    out += "\n";
  }
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseShortRepeatedPrimitives(true);
  printer.SetUseUtf8StringEscaping(true);
  std::string body;
  printer.PrintToString(scenario, &body);
  return out + body;
}

absl::Status WriteScenarioFile(const std::string& path, const Scenario& scenario,
                               std::string_view header_comment) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  f << ScenarioToText(scenario, header_comment);
  f.close();
  if (!f) {
    return absl::DataLossError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace slotsim::scenarios
