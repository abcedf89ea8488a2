// The banned-API test: every non-test source file under sim/ and model/ must be
// free of APIs that break determinism (props/banned_api.h lists the rules).
// The files come as arguments (see BUILD.bazel); the scanner itself is tested
// first on planted violations, so a silent scanner cannot pass.

#include "props/banned_api.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace slotsim::props {
namespace {

std::vector<std::string>* g_files = nullptr;

std::vector<std::string> Rules(std::string_view source) {
  std::vector<std::string> rules;
  for (const Violation& v : ScanSource("x.cc", source)) {
    rules.push_back(std::to_string(v.line) + ":" + v.rule);
  }
  return rules;
}

using Hits = std::vector<std::string>;

TEST(BannedApiScannerTest, CatchesEachPlantedViolationWithItsLine) {
  const char* source =
      "#include <fstream>\n"                           // 1
      "std::unordered_map<int, int> m;\n"              // 2
      "absl::flat_hash_set<int> s;\n"                  // 3
      "absl::BitGen gen;\n"                            // 4
      "std::uniform_int_distribution<int> d(0, 9);\n"  // 5
      "int r = rand();\n"                              // 6
      "srand (42);\n"                                  // 7
      "std::random_device dev;\n"                      // 8
      "auto t = std::chrono::steady_clock::now();\n"   // 9
      "auto u = absl::Now();\n"                        // 10
      "long v = time(nullptr);\n"                      // 11
      "std::thread worker;\n"                          // 12
      "pthread_create(a, b, c, d);\n"                  // 13
      "const char* e = getenv(\"HOME\");\n"            // 14
      "FILE* f = fopen(\"x\", \"r\");\n"               // 15
      "std::ofstream out;\n"                           // 16
      "auto w = std::async(job);\n"                    // 17
      "gettimeofday(&tv, nullptr);\n"                  // 18
      "std::chrono::system_clock::time_point p;\n";    // 19
  EXPECT_EQ(Rules(source),
            (Hits{"1:file-io", "2:hash-map", "3:hash-map", "4:bitgen", "5:distribution",
                  "6:rand", "7:rand", "8:random-device", "9:wall-clock", "10:wall-clock",
                  "11:wall-clock", "12:thread", "13:thread", "14:getenv", "15:file-io",
                  "16:file-io", "17:thread", "18:wall-clock", "19:wall-clock"}));
}

TEST(BannedApiScannerTest, ReportsFileLineRuleAndText) {
  const std::vector<Violation> v = ScanSource(
      "sim/bad.cc", "int a;\n  auto t = std::chrono::steady_clock::now();  \n");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].ToString(),
            "sim/bad.cc:2: wall-clock: auto t = std::chrono::steady_clock::now();");
}

TEST(BannedApiScannerTest, IgnoresCommentsStringsAndLookalikes) {
  const char* source =
      "// std::unordered_map is banned; so are rand() and steady_clock.\n"
      "/* absl::BitGen\n"
      "   std::thread */ int x;\n"
      "#include \"absl/container/flat_hash_map.h\"\n"
      "const char* s = \"unordered_map getenv( fopen\";\n"
      "const char* r = R\"raw(steady_clock \" rand()\n"
      "still raw: std::thread)raw\";\n"
      "char q = '\"'; int operand(int); int brand(int);\n"
      "int grand = operand(1) + time(t) + 1'000;\n"
      "Duration Exponential(Duration mean);  // no _distribution here\n";
  EXPECT_EQ(Rules(source), Hits{});
}

TEST(BannedApiScannerTest, LookupOnlyCommentExemptsHashMapsOnly) {
  EXPECT_EQ(Rules("absl::flat_hash_map<K, V> index_;  // lookup-only: keyed access\n"),
            Hits{});
  EXPECT_EQ(Rules("// lookup-only: never iterated\n"
                  "absl::flat_hash_map<K, V> index_;\n"),
            Hits{});
  // A comment block directly above counts, however long.
  EXPECT_EQ(Rules("// lookup-only: name -> node, never iterated (every ordered walk\n"
                  "// uses `nodes`). Valid only while sizes agree.\n"
                  "absl::flat_hash_map<K, V> index_;\n"),
            Hits{});
  // No reason, a gap, or code in between: not exempt.
  EXPECT_EQ(Rules("absl::flat_hash_map<K, V> a;  // lookup-only:\n"), Hits{"1:hash-map"});
  EXPECT_EQ(Rules("// lookup-only: x\n\nstd::unordered_set<int> b;\n"),
            Hits{"3:hash-map"});
  EXPECT_EQ(Rules("// lookup-only: x\nint y;\nstd::unordered_set<int> b;\n"),
            Hits{"3:hash-map"});
  // The exemption never covers other rules.
  EXPECT_EQ(Rules("auto t = std::chrono::steady_clock::now();  // lookup-only: no\n"),
            Hits{"1:wall-clock"});
}

TEST(BannedApiScannerTest, SkipsTestsAndBenchmarks) {
  EXPECT_TRUE(ShouldScan("sim/simulator.cc"));
  EXPECT_TRUE(ShouldScan("model/node.h"));
  EXPECT_FALSE(ShouldScan("sim/simulator_test.cc"));
  EXPECT_FALSE(ShouldScan("sim/kernel_bench.cc"));
  EXPECT_FALSE(ShouldScan("sim/BUILD.bazel"));
}

TEST(BannedApiTest, SimAndModelSourcesAreClean) {
  ASSERT_NE(g_files, nullptr);
  bool saw_sim = false;
  bool saw_model = false;
  int scanned = 0;
  std::vector<std::string> report;
  for (const std::string& path : *g_files) {
    saw_sim |= path.rfind("sim/", 0) == 0;
    saw_model |= path.rfind("model/", 0) == 0;
    if (!ShouldScan(path)) continue;
    std::ifstream in(path);
    ASSERT_TRUE(in.good()) << "cannot read " << path;
    std::stringstream text;
    text << in.rdbuf();
    ++scanned;
    for (const Violation& v : ScanSource(path, text.str()))
      report.push_back(v.ToString());
  }
  EXPECT_TRUE(saw_sim) << "no sim/ sources given";
  EXPECT_TRUE(saw_model) << "no model/ sources given";
  EXPECT_GT(scanned, 10);
  std::string all;
  for (const std::string& line : report) all += line + "\n";
  EXPECT_TRUE(report.empty()) << report.size() << " banned API use(s):\n" << all;
}

}  // namespace
}  // namespace slotsim::props

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  std::vector<std::string> files(argv + 1, argv + argc);
  slotsim::props::g_files = &files;
  return RUN_ALL_TESTS();
}
