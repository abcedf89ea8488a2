// Shared pieces of the slotsim subcommands: exit codes, option helpers,
// loading a scenario with --set overrides, and the reproduce line.

#ifndef SLOTSIM_TOOLS_CLI_COMMON_H_
#define SLOTSIM_TOOLS_CLI_COMMON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/loader.h"
#include "scenarios/scenario.pb.h"

namespace slotsim::tools {

// Exit codes of every subcommand.
inline constexpr int kExitOk = 0;        // all properties and expectations held
inline constexpr int kExitFailed = 1;    // a property or expectation failed
inline constexpr int kExitUsage = 2;     // bad input or usage

// Loads `path` with `overrides` ("path=value"), validating property names
// against the known checkers. Errors carry file:line:column.
absl::StatusOr<scenarios::LoadedScenario> LoadForRun(const std::string& path,
                                                     const std::vector<std::string>& overrides);

// "slotsim run FILE --seed N --set a=b ..." (arguments shell-quoted as needed);
// for "replay" just "slotsim replay FILE": a seed file carries its seed.
std::string ReproduceLine(const std::string& command, const std::string& file,
                          uint64_t seed, const std::vector<std::string>& overrides);

// A simulated time given as "12.5s", "1500ms", "2m" or a bare number of ms.
absl::StatusOr<int64_t> ParseTimeMs(const std::string& text);

// Shell-quotes `s` if it contains anything but [A-Za-z0-9_./=:,@%+-].
std::string ShellQuote(const std::string& s);

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_CLI_COMMON_H_
