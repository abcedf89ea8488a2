// Semantic validation rules that the golden files (testdata_test) do not
// isolate: scenarios built in code, ordering within the timeline, and the
// absence of cascades.

#include "scenarios/validate.h"

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"
#include "scenarios/loader.h"
#include "scenarios/scenario_fuzz.h"
#include "scenarios/topology.h"

namespace slotsim::scenarios {
namespace {

Scenario Parse(const std::string& text) {
  Scenario s;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &s)) << text;
  return s;
}

// Diagnostics of `text` as strings, without the "file:line:col: " prefix.
std::vector<std::string> Messages(const std::string& text,
                                  const LoadOptions& options = {}) {
  std::vector<std::string> out;
  for (const Diagnostic& d : CheckScenarioText(text, "t", options)) {
    out.push_back((d.is_error() ? "" : "warning: ") + d.message);
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(ValidateTest, BuiltInCodeReportsPathsWithoutPositions) {
  Scenario s;
  s.add_faults()->mutable_crash()->set_node("m7");
  s.mutable_faults(0)->set_at_ms(5);
  const absl::Status st = ValidateScenario(s);
  EXPECT_EQ(st.message(),
            "faults[0].crash.node: unknown node \"m7\"; did you mean \"m1\" or "
            "\"m2\" or \"m3\"?");
  EXPECT_TRUE(ValidateScenario(Scenario()).ok());
}

TEST(ValidateTest, KnobsTheModelDoesNotActOnAreWarnedAbout) {
  EXPECT_EQ(Messages("knobs { repl_diskless_sync: false repl_diskless_sync_delay: 0 "
                     "repl_link_delay_us: 5 full_sync_setup_ms: 20 }"),
            (Lines{"warning: knobs.repl_diskless_sync: has no effect: not modelled: a full "
                   "sync costs full_sync_setup_ms + dataset bytes / full_sync_bytes_per_ms "
                   "whatever the transfer mode",
                   "warning: knobs.repl_diskless_sync_delay: has no effect: not modelled: put "
                   "the wait into full_sync_setup_ms",
                   "warning: knobs.repl_link_delay_us: has no effect: not modelled yet: the "
                   "replication stream takes the network's delay of its link"}));
}

TEST(ValidateTest, AutomaticUndoHappensBeforeActionsAtTheSameTime) {
  EXPECT_EQ(Messages("faults { at_ms: 1000 duration_ms: 1000 pause { node: 'm1' } }\n"
                     "faults { at_ms: 2000 pause { node: 'm1' } }\n"
                     "faults { at_ms: 3000 resume { node: 'm1' } }\n"
                     "faults { at_ms: 3000 duration_ms: 1 crash { node: 'm1' } }\n"
                     "faults { at_ms: 3001 crash { node: 'm1' } }\n"),
            Lines{});
}

TEST(ValidateTest, ScheduleOrderIsByTimeNotByListPosition) {
  EXPECT_EQ(Messages("faults { at_ms: 5000 restart { node: 'r1' } }\n"
                     "faults { at_ms: 1000 crash { node: 'r1' } }\n"
                     "faults { at_ms: 6000 heal { fault: 'p' } }\n"
                     "faults { at_ms: 5500 id: 'p' block { from: 'r1' } }\n"),
            Lines{});
  // At equal times the list order decides: a heal listed first comes first.
  EXPECT_EQ(Messages("faults { at_ms: 10 heal { fault: 'p' } }\n"
                     "faults { at_ms: 10 id: 'p' clog { from: 'r1' } }\n"),
            Lines{"faults[0].heal.fault[0]: fault \"p\" starts at 10 ms, after this heal "
                  "at 10 ms"});
}

TEST(ValidateTest, ClientsMayBePartitionedButNotCrashed) {
  EXPECT_EQ(Messages("workload { clients: 1 }\n"
                     "faults { at_ms: 1 partition { group { nodes: ['m1', 'c1'] } } }\n"
                     "faults { at_ms: 2 crash { node: 'c1' } }\n"),
            Lines{"faults[1].crash.node: \"c1\" is a client; a node is expected here"});
}

TEST(ValidateTest, BadTopologyDoesNotCascadeIntoUnknownNames) {
  EXPECT_EQ(Messages("topology { masters: -1 }\n"
                     "faults { at_ms: 1 crash { node: 'm1' } }\n"
                     "expect { role { node: 'q' role: MASTER } }\n"),
            Lines{"topology.masters: must be in 1..1000, got -1"});
}

TEST(ValidateTest, BadDurationDoesNotCascadeIntoTimes) {
  EXPECT_EQ(Messages("duration_ms: 0\nfaults { at_ms: 5000 crash { node: 'm1' } }\n"),
            Lines{"duration_ms: must be in 1..604800000, got 0"});
}

TEST(ValidateTest, BootstrapThenFaultsTrackMembership) {
  EXPECT_EQ(
      Messages("topology { masters: 3 replicas_per_master: 1 spares: 1\n"
               "  bootstrap { create { } }\n"
               "  bootstrap { add_node { node: 's1' replica: true master: 'm3' } } }\n"
               "faults { at_ms: 1000 del_node { node: 's1' } }\n"
               "faults { at_ms: 2000 add_node { node: 's1' } }\n"
               "faults { at_ms: 3000 del_node { node: 'r2' } }\n"),
      Lines{});
  EXPECT_EQ(
      Messages("topology { spares: 1 bootstrap { add_node { node: 's1' } } }\n"
               "faults { at_ms: 1 create { nodes: ['m1', 'm2', 'm3'] replicas: 0 } }\n"),
      Lines{});
}

TEST(ValidateTest, OverriddenValuesAreNamedInErrors) {
  LoadOptions o;
  o.overrides = {"faults[0].crash.node=m9"};
  EXPECT_EQ(
      Messages("faults { at_ms: 1 crash { node: 'm1' } }", o),
      Lines{"faults[0].crash.node: unknown node \"m9\"; did you mean \"m1\" or \"m2\" or "
            "\"m3\"? (set by --set faults[0].crash.node=m9)"});
}

TEST(ValidateTest, KnownPropertiesAreChecked) {
  LoadOptions o;
  o.known_properties = {"no_slot_doubly_owned", "slots_covered"};
  EXPECT_EQ(Messages("properties: ['slots_covered', 'slot_covered', 'zzz']", o),
            (Lines{"properties[1]: unknown property \"slot_covered\"; did you mean "
                   "\"slots_covered\"?",
                   "properties[2]: unknown property \"zzz\"; known properties: "
                   "\"no_slot_doubly_owned\", \"slots_covered\""}));
  EXPECT_EQ(Messages("properties: 'anything'"), Lines{}) << "unchecked without a list";
}

TEST(ValidateTest, PerNodeClusterPortNeedsDistinctHosts) {
  EXPECT_EQ(
      Messages("knobs { cluster_port: 16379 }"),
      (Lines{"topology.base_port: node m2 bus port 127.0.0.1:16379 is already used by m1 "
             "bus port",
             "topology.base_port: node m3 bus port 127.0.0.1:16379 is already used by m1 "
             "bus port",
             "topology.base_port: node r1 bus port 127.0.0.1:16379 is already used by m1 "
             "bus port",
             "topology.base_port: node r2 bus port 127.0.0.1:16379 is already used by m1 "
             "bus port",
             "topology.base_port: node r3 bus port 127.0.0.1:16379 is already used by m1 "
             "bus port"}));
  EXPECT_EQ(
      Messages(
          "knobs { cluster_port: 16379 }\n"
          "topology { hosts: ['a', 'b', 'c', 'd', 'e', 'f'] replicas_per_master: 1 }"),
      Lines{});
}

TEST(ValidateTest, FormedClusterNeedsAMasterButBootstrapMayStartWithSparesOnly) {
  EXPECT_EQ(Messages("topology { masters: 0 }"),
            Lines{"topology.masters: must be in 1..1000, got 0"});
  EXPECT_EQ(
      Messages("topology { masters: 0 spares: 3 bootstrap { create { nodes: ['s1', 's2', "
               "'s3'] replicas: 0 } } }"),
      Lines{});
}

TEST(ValidateTest, ProgrammaticScenarioUsesSameRules) {
  Scenario s = Parse("faults { at_ms: 1 restart { node: 'm1' } }");
  EXPECT_EQ(ValidateScenario(s).message(),
            "faults[0].restart.node: restart of m1 at 1 ms, but m1 is not crashed then");
}

// Validation of arbitrary scenarios never crashes, is deterministic, and a
// scenario it accepts can be expanded and accepted again after a text round
// trip.
RC_GTEST_PROP(ValidateProperty, AnyScenarioIsJudgedConsistently,
              (uint64_t seed, bool wild)) {
  sim::Rng rng(seed);
  Scenario s;
  FillRandomly(&s, rng, wild ? FuzzMode::kWild : FuzzMode::kPlausible);
  const absl::Status first = ValidateScenario(s);
  RC_TAG(first.ok() ? "valid" : "invalid");
  RC_ASSERT(first == ValidateScenario(s));
  RC_ASSERT(first.ok() || first.code() == absl::StatusCode::kInvalidArgument);
  if (!first.ok()) return;
  const Layout layout = ExpandTopology(s);
  RC_ASSERT(!layout.nodes.empty());
  absl::StatusOr<LoadedScenario> again = LoadScenarioText(ScenarioToText(s), "again");
  RC_ASSERT(again.ok());
}

}  // namespace
}  // namespace slotsim::scenarios
