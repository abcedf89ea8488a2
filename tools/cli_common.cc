#include "tools/cli_common.h"

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "tools/checkers.h"

namespace slotsim::tools {

absl::StatusOr<scenarios::LoadedScenario> LoadForRun(const std::string& path,
                                                     const std::vector<std::string>& overrides) {
  scenarios::LoadOptions options;
  options.overrides = overrides;
  options.known_properties = KnownPropertyNames();
  return scenarios::LoadScenarioFile(path, options);
}

std::string ShellQuote(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || std::string("_./=:,@%+-").find(c) != std::string::npos;
    if (!ok) plain = false;
  }
  if (plain) return s;
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string ReproduceLine(const std::string& command, const std::string& file,
                          uint64_t seed, const std::vector<std::string>& overrides) {
  std::string line = "slotsim " + command + " " + ShellQuote(file);
  // A seed file carries its seed and replay takes no overrides: the line
  // must be one that `replay` accepts.
  if (command == "replay") return line;
  line += " --seed " + std::to_string(seed);
  for (const std::string& o : overrides) line += " --set " + ShellQuote(o);
  return line;
}

absl::StatusOr<int64_t> ParseTimeMs(const std::string& text) {
  struct Unit {
    const char* suffix;
    double ms;
  };
  static const Unit kUnits[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
  for (const Unit& u : kUnits) {
    const std::string suf = u.suffix;
    if (text.size() > suf.size() && text.compare(text.size() - suf.size(), suf.size(), suf) == 0) {
      const std::string num = text.substr(0, text.size() - suf.size());
      // "ms" must not be read as "m" + "s": the loop tries "ms" first.
      double v = 0;
      if (!absl::SimpleAtod(num, &v) || v < 0) break;
      return static_cast<int64_t>(v * u.ms + 0.5);
    }
  }
  int64_t v = 0;
  if (absl::SimpleAtoi(text, &v) && v >= 0) return v;
  return absl::InvalidArgumentError("bad time '" + text +
                                    "': expected e.g. 12.5s, 1500ms, 2m or a number of ms");
}

}  // namespace slotsim::tools
