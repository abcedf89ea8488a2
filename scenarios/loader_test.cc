#include "scenarios/loader.h"

#include <cstdlib>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"
#include "scenarios/scenario_fuzz.h"
#include "scenarios/text_parser.h"
#include "sim/rng.h"

namespace slotsim::scenarios {
namespace {

using google::protobuf::util::MessageDifferencer;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

// Parses with the loader's parser only (no validation: random scenarios are
// rarely valid, and the round trip concerns the text form).
bool ParseOnly(const std::string& text, Scenario* out, std::string* errors) {
  Diagnostics diags("text");
  ParsedText parsed(text, out, &diags);
  *errors = JoinDiagnostics(diags.Sorted());
  return parsed.complete() && !diags.has_errors();
}

TEST(LoaderTest, MissingFileIsNotFound) {
  absl::StatusOr<LoadedScenario> s =
      LoadScenarioFile("scenarios/testdata/no_such.textproto");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(s.status().message().find("no_such.textproto"), absl::string_view::npos);
}

TEST(LoaderTest, ErrorsOfAllStepsComeTogetherOnePerLine) {
  LoadOptions o;
  o.overrides = {"knobs.cluster_node_timeout=soon", "duration_ms=1000"};
  absl::StatusOr<LoadedScenario> s = LoadScenarioText(
      "topology { mastrs: 2 }\nfaults { at_ms: 5000 crash { node: 'm1' } }\n",
      "x.textproto", o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      s.status().message(),
      "x.textproto:1:12: unknown field \"mastrs\" in Topology; did you mean "
      "\"masters\"?\n"
      "x.textproto:2:10: faults[0].at_ms: 5000 ms is after the end of the run "
      "(duration_ms = 1000)\n"
      "--set knobs.cluster_node_timeout=soon: bad value for knobs.cluster_node_timeout: "
      "cluster_node_timeout takes an integer (int64); got \"soon\"");
}

TEST(LoaderTest, OverridesApplyBeforeValidation) {
  LoadOptions o;
  o.overrides = {"knobs.cluster_node_timeout=5000", "topology.masters=4"};
  absl::StatusOr<LoadedScenario> s =
      LoadScenarioText("expect { role { node: 'm4' role: MASTER } }", "x", o);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->scenario.knobs().cluster_node_timeout(), 5000);
  EXPECT_EQ(s->scenario.topology().masters(), 4);
}

TEST(LoaderTest, WarningsDoNotStopALoad) {
  absl::StatusOr<LoadedScenario> s =
      LoadScenarioText("network { delay { kind: FIXED jitter_us: 5 } }", "w.textproto");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->warnings.size(), 1u);
  EXPECT_EQ(
      s->warnings[0].ToString(),
      "w.textproto:1:31: warning: network.delay.jitter_us: has no effect: kind is FIXED "
      "(only UNIFORM uses it)");
}

TEST(LoaderTest, SyntaxErrorStopsBeforeValidation) {
  const std::vector<Diagnostic> ds =
      CheckScenarioText("duration_ms: -5\nfaults { at_ms: 1 crash { node: 'q' }", "s");
  ASSERT_EQ(ds.size(), 1u) << JoinDiagnostics(ds);
  EXPECT_EQ(ds[0].ToString(),
            "s:2:38: unexpected end of file: expected a field name or \"}\"");
}

TEST(LoaderTest, TextRoundTripsEveryTestFile) {
  for (const char* f : {"scenarios/examples/annotated.textproto",
                        "scenarios/testdata/valid/everything.textproto",
                        "scenarios/testdata/valid/bootstrap.textproto",
                        "scenarios/testdata/valid/seed_file.textproto",
                        "scenarios/testdata/valid/two_replicas.textproto"}) {
    SCOPED_TRACE(f);
    absl::StatusOr<LoadedScenario> a = LoadScenarioFile(f);
    ASSERT_TRUE(a.ok()) << a.status();
    const std::string text = ScenarioToText(a->scenario);
    absl::StatusOr<LoadedScenario> b = LoadScenarioText(text, "printed");
    ASSERT_TRUE(b.ok()) << b.status() << "\n" << text;
    EXPECT_TRUE(MessageDifferencer::Equals(a->scenario, b->scenario)) << text;
    EXPECT_EQ(ScenarioToText(b->scenario), text) << "printing is stable";
  }
}

TEST(LoaderTest, WritesSeedFilesThatLoadAgain) {
  absl::StatusOr<LoadedScenario> a =
      LoadScenarioFile("scenarios/examples/annotated.textproto");
  ASSERT_TRUE(a.ok()) << a.status();
  Scenario seed_file = a->scenario;
  seed_file.set_seed(42);
  seed_file.set_build("slotsim test");
  seed_file.set_expected_trace_hash(0xfedcba9876543210ULL);
  seed_file.set_violated_property("no_slot_doubly_owned");
  seed_file.set_violated_at_ms(31234);
  const std::string path = TempPath("seed.textproto");
  ASSERT_TRUE(
      WriteScenarioFile(path, seed_file, "slotsim seed file\nreplay: slotsim replay")
          .ok());
  absl::StatusOr<std::string> text = ReadTextFile(path);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->substr(0, 46), "# slotsim seed file\n# replay: slotsim replay\n\n");
  absl::StatusOr<LoadedScenario> b = LoadScenarioFile(path);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_TRUE(MessageDifferencer::Equals(seed_file, b->scenario));
  EXPECT_FALSE(WriteScenarioFile(TempPath("no/such/dir/x.textproto"), seed_file).ok());
}

TEST(LoaderTest, UnsetFieldsStayUnsetThroughText) {
  Scenario s;
  s.mutable_knobs()->set_cluster_node_timeout(15000);  // set, at the default value
  std::string errors;
  Scenario back;
  ASSERT_TRUE(ParseOnly(ScenarioToText(s), &back, &errors)) << errors;
  EXPECT_TRUE(back.knobs().has_cluster_node_timeout());
  EXPECT_FALSE(back.knobs().has_cluster_replica_validity_factor());
  EXPECT_FALSE(back.has_topology());
}

// ---- property: any scenario, however strange, survives the text form.

RC_GTEST_PROP(LoaderRoundTrip, AnyScenarioSurvivesTheTextForm, (uint64_t seed)) {
  sim::Rng rng(seed);
  Scenario s;
  FillRandomly(&s, rng, FuzzMode::kWild);
  const std::string text = ScenarioToText(s, "header\nlines");
  Scenario back;
  std::string errors;
  RC_ASSERT(ParseOnly(text, &back, &errors));
  RC_ASSERT(MessageDifferencer::Equals(s, back));
}

}  // namespace
}  // namespace slotsim::scenarios
