// Every scenario of the library (scenarios/library/*.textproto) loads, runs
// with its default seed through the same checkers as `slotsim run`, and all
// its expectations and properties hold.
//
// Large scenarios (kLarge: minutes of CPU each) are skipped unless the test
// filter is set explicitly: //tools:library_large_test runs them alone
// (--gtest_filter=Scenarios/Library.*/cluster_1000_nodes), with its own size
// and timeout, so that the default //tools:library_test stays quick.

#include <dirent.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scenarios/loader.h"
#include "scenarios/runner.h"
#include "tools/checkers.h"
#include "tools/cli_common.h"

namespace slotsim::tools {
namespace {

std::vector<std::string> LibraryFiles() {
  std::vector<std::string> out;
  const std::string dir = "scenarios/library";
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name.size() > 10 && name.substr(name.size() - 10) == ".textproto") {
        out.push_back(dir + "/" + name);
      }
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// File names (without .textproto) of the large scenarios.
constexpr const char* kLarge[] = {"cluster_1000_nodes"};

bool IsLarge(const std::string& file) {
  for (const char* name : kLarge) {
    if (file.size() > 10 && file.substr(0, file.size() - 10).substr(file.rfind('/') + 1) ==
                                name) {
      return true;
    }
  }
  return false;
}

class Library : public testing::TestWithParam<std::string> {};

TEST_P(Library, ExpectationsAndPropertiesHold) {
  if (IsLarge(GetParam()) && testing::GTEST_FLAG(filter) == "*") {
    GTEST_SKIP() << "large scenario: run by //tools:library_large_test";
  }
  auto loaded = LoadForRun(GetParam(), {});
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_TRUE(loaded->warnings.empty()) << loaded->warnings.front().ToString();
  CheckerSet checkers = MakeCheckers(loaded->scenario);
  scenarios::RunOptions o;
  o.checkers = checkers.pointers();
  o.lost_writes = [&](const scenarios::World& w, const scenarios::RunRecord& r) {
    return checkers.WritesLost(w, r);
  };
  scenarios::Runner runner(loaded->scenario, o);
  scenarios::RunResult r = runner.Run();
  EXPECT_TRUE(r.error.empty()) << r.error;
  for (const auto& e : r.expectations) {
    EXPECT_TRUE(e.held) << e.description << "\n  observed: " << e.observed;
  }
  for (const auto& v : r.violations) {
    ADD_FAILURE() << v.property << " at " << (v.at - r.record.start).ToString() << ": "
                  << v.message;
  }
  // Every redis-cli run succeeds, except those the scenario expects to fail
  // (expect { admin { kind: ... nth: ... ok: false } }, e.g. an interrupted
  // reshard); the admin expectation itself is checked above.
  std::set<std::pair<std::string, int>> expected_failures;
  for (const auto& e : loaded->scenario.expect()) {
    if (e.has_admin() && !e.admin().ok()) {
      expected_failures.insert({e.admin().kind(), e.admin().nth()});
    }
  }
  std::map<std::string, int> nth;
  for (const auto& c : r.record.cli_runs) {
    if (expected_failures.count({c.command, ++nth[c.command]})) continue;
    EXPECT_TRUE(c.ok) << "redis-cli " << c.command << " failed: " << c.error << "\n"
                      << c.output;
  }
}

std::string Name(const testing::TestParamInfo<std::string>& info) {
  std::string n = info.param.substr(info.param.rfind('/') + 1);
  n = n.substr(0, n.size() - 10);
  for (char& c : n) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, Library, testing::ValuesIn(LibraryFiles()), Name);

TEST(LibraryFiles, AtLeastFifteenScenarios) { EXPECT_GE(LibraryFiles().size(), 15u); }

}  // namespace
}  // namespace slotsim::tools
