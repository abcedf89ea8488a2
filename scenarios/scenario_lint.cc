// scenario_lint: prints every diagnostic of scenario files, one per line, and
// exits 1 if any file has an error. For authors of scenarios and of the
// expected-diagnostics files under testdata/.
//
// Usage: scenario_lint [--set PATH=VALUE]... FILE...

#include <iostream>
#include <string>
#include <vector>

#include "scenarios/loader.h"

int main(int argc, char** argv) {
  using slotsim::scenarios::CheckScenarioText;
  using slotsim::scenarios::Diagnostic;
  slotsim::scenarios::LoadOptions options;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--set" && i + 1 < argc) {
      options.overrides.push_back(argv[++i]);
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    std::cerr << "usage: scenario_lint [--set PATH=VALUE]... FILE...\n";
    return 2;
  }
  bool failed = false;
  for (const std::string& f : files) {
    auto text = slotsim::scenarios::ReadTextFile(f);
    if (!text.ok()) {
      std::cout << text.status().message() << "\n";
      failed = true;
      continue;
    }
    for (const Diagnostic& d : CheckScenarioText(*text, f, options)) {
      std::cout << d.ToString() << "\n";
      failed |= d.is_error();
    }
  }
  return failed ? 1 : 0;
}
