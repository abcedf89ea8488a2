// Each finding's scenario (scenarios/findings/<name>.textproto) shows the
// problem (its expectations hold), violates the finding's property, and the
// finding's recognizer explains that violation; without the trigger in the
// run record, it does not.

#include "props/findings.h"

#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "props/registry.h"
#include "scenarios/loader.h"
#include "scenarios/runner.h"

namespace slotsim::props {
namespace {

const char kDir[] = "scenarios/findings";

struct Ran {
  scenarios::RunResult result;
};

Ran RunFinding(const Finding& f) {
  scenarios::LoadOptions load;
  load.known_properties = AllPropertyNames();
  auto loaded =
      scenarios::LoadScenarioFile(std::string(kDir) + "/" + f.name + ".textproto", load);
  EXPECT_TRUE(loaded.ok()) << loaded.status().message();
  if (!loaded.ok()) return {};
  const scenarios::Scenario& s = loaded->scenario;
  auto checkers =
      MakeCheckers(std::vector<std::string>(s.properties().begin(), s.properties().end()));
  EXPECT_TRUE(checkers.ok());
  scenarios::RunOptions options;
  for (const auto& c : *checkers) options.checkers.push_back(c.get());
  scenarios::Runner runner(s, options);
  return Ran{runner.Run()};
}

// The first violation of the finding's property, or nullptr.
const scenarios::Violation* FirstOf(const Finding& f, const scenarios::RunResult& r) {
  for (const scenarios::Violation& v : r.violations) {
    if (v.property == f.property) return &v;
  }
  return nullptr;
}

TEST(Findings, EveryFindingHasAScenarioAndEveryScenarioAFinding) {
  std::set<std::string> files;
  DIR* d = opendir(kDir);
  ASSERT_NE(d, nullptr);
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    const std::string ext = ".textproto";
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
      files.insert(name.substr(0, name.size() - ext.size()));
    }
  }
  closedir(d);
  std::set<std::string> names;
  for (const Finding& f : KnownFindings()) {
    names.insert(f.name);
    EXPECT_TRUE(files.count(f.name)) << "no scenario for finding " << f.name;
    auto known = AllPropertyNames();
    EXPECT_NE(std::find(known.begin(), known.end(), f.property), known.end()) << f.property;
  }
  for (const std::string& file : files) EXPECT_TRUE(names.count(file)) << file;
}

TEST(Findings, ScenarioShowsTheProblemAndTheRecognizerExplainsIt) {
  for (const Finding& f : KnownFindings()) {
    SCOPED_TRACE(f.name);
    const Ran ran = RunFinding(f);
    for (const auto& e : ran.result.expectations) {
      EXPECT_TRUE(e.held) << e.description << " (observed: " << e.observed << ")";
    }
    const scenarios::Violation* v = FirstOf(f, ran.result);
    ASSERT_NE(v, nullptr) << "no " << f.property << " violation";
    EXPECT_EQ(ExplainViolation(*v, ran.result.record), &f) << v->message;
    // Every violation of the run is this finding.
    for (const scenarios::Violation& w : ran.result.violations) {
      EXPECT_EQ(ExplainViolation(w, ran.result.record), &f) << w.property << ": " << w.message;
    }
  }
}

// Without the fault that triggers it, the same violation is not this finding.
TEST(Findings, RecognizersNeedTheTrigger) {
  for (const Finding& f : KnownFindings()) {
    SCOPED_TRACE(f.name);
    const Ran ran = RunFinding(f);
    const scenarios::Violation* v = FirstOf(f, ran.result);
    ASSERT_NE(v, nullptr);
    scenarios::RunRecord without = ran.result.record;
    without.faults.clear();
    without.cli_runs.clear();
    EXPECT_EQ(ExplainViolation(*v, without), nullptr);
    scenarios::Violation other = *v;
    other.message = "something else went wrong";
    EXPECT_EQ(ExplainViolation(other, ran.result.record), nullptr);
  }
}

}  // namespace
}  // namespace slotsim::props
