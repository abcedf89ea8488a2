// Golden tests of the loader's diagnostics: every file under
// scenarios/testdata/invalid/ must produce exactly the lines of its
// .expected file (errors and warnings, in order, with positions), and every
// file under scenarios/testdata/valid/ must load without any diagnostic.
// To write a new .expected, run //scenarios:scenario_lint on the file and
// check every line by hand.

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "scenarios/loader.h"

namespace slotsim::scenarios {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Files(const std::string& dir, const std::string& ext) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ext) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  for (absl::string_view l : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    out.emplace_back(l);
  }
  return out;
}

std::vector<std::string> Diagnose(const std::string& path) {
  absl::StatusOr<std::string> text = ReadTextFile(path);
  EXPECT_TRUE(text.ok()) << text.status();
  std::vector<std::string> out;
  for (const Diagnostic& d : CheckScenarioText(text.value_or(""), path)) {
    out.push_back(d.ToString());
  }
  return out;
}

TEST(TestdataTest, InvalidFilesGiveExactlyTheExpectedDiagnostics) {
  const std::vector<std::string> files =
      Files("scenarios/testdata/invalid", ".textproto");
  ASSERT_GE(files.size(), 20u);
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    const std::string expected_path = f.substr(0, f.size() - 10) + ".expected";
    absl::StatusOr<std::string> expected = ReadTextFile(expected_path);
    ASSERT_TRUE(expected.ok()) << "missing " << expected_path;
    const std::vector<std::string> got = Diagnose(f);
    EXPECT_EQ(got, Lines(*expected));
    const bool has_error = std::any_of(got.begin(), got.end(), [](const std::string& l) {
      return l.find(": warning: ") == std::string::npos;
    });
    EXPECT_TRUE(has_error) << "an invalid file must have an error";
    // And the loader refuses it with the same lines.
    absl::StatusOr<LoadedScenario> loaded = LoadScenarioFile(f);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(Lines(std::string(loaded.status().message())), got);
  }
}

TEST(TestdataTest, ValidFilesLoadWithoutDiagnostics) {
  const std::vector<std::string> files = Files("scenarios/testdata/valid", ".textproto");
  ASSERT_GE(files.size(), 4u);
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    EXPECT_EQ(Diagnose(f), std::vector<std::string>{});
    absl::StatusOr<LoadedScenario> loaded = LoadScenarioFile(f);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
  }
}

TEST(TestdataTest, AnnotatedExampleLoadsCleanly) {
  const std::string f = "scenarios/examples/annotated.textproto";
  EXPECT_EQ(Diagnose(f), std::vector<std::string>{});
  absl::StatusOr<LoadedScenario> loaded = LoadScenarioFile(f);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->scenario.name(), "annotated-minority-partition");
  EXPECT_EQ(loaded->scenario.knobs().cluster_node_timeout(), 5000);
}

}  // namespace
}  // namespace slotsim::scenarios
