#include "tools/sweep/run_executor.h"

#include <cmath>

#include "gtest/gtest.h"
#include "scenarios/loader.h"

namespace slotsim::tools::sweep {
namespace {

constexpr char kCrash[] =
    "topology { masters: 3 replicas_per_master: 1 }\n"
    "knobs { cluster_node_timeout: 1000 }\n"
    "workload { clients: 2 ops_per_s: 100 }\n"
    "duration_ms: 8000\n"
    "faults { at_ms: 3000 crash { node: 'm1' } }\n";

scenarios::Scenario Load(const char* text) {
  auto s = scenarios::LoadScenarioText(text, "test.textproto");
  EXPECT_TRUE(s.ok()) << s.status();
  return s->scenario;
}

ExecuteOptions NoChecks() {
  ExecuteOptions o;
  o.check_properties = false;
  return o;
}

TEST(RunExecutorTest, MeasuresAMasterCrashInOrder) {
  const RunOutcome o = ExecuteRun(Load(kCrash), 1, NoChecks());
  EXPECT_EQ(o.status, "ok") << o.detail;
  EXPECT_EQ(o.violations, 0);
  const RunMetrics& m = o.metrics;
  EXPECT_EQ(m.fault_at_ms, 3000);
  // PFAIL between NT and about 1.5 NT after the last PONG (behaviour doc 6.1).
  EXPECT_GE(m.pfail_ms, 900);
  EXPECT_LE(m.pfail_ms, 2000);
  EXPECT_GE(m.fail_ms, m.pfail_ms);
  // Rank 0 waits 500-999 ms after seeing FAIL (11.3).
  EXPECT_GE(m.election_start_ms, m.fail_ms + 500);
  EXPECT_GE(m.election_won_ms, m.election_start_ms);
  EXPECT_GE(m.promoted_ms, m.election_won_ms);
  EXPECT_EQ(m.failovers, 1);
  EXPECT_EQ(m.false_fails, 0);
  EXPECT_EQ(m.false_failovers, 0);
  EXPECT_GE(m.votes_granted, 2);
  EXPECT_GE(m.votes_requested, m.votes_granted);
  EXPECT_GT(m.writes_acked, 100) << "the workload ran";
  // m1's slots come back only after the promotion; with full coverage the
  // others stop too once some node marks m1 FAIL.
  ASSERT_EQ(m.unavailable_ms.count("m1"), 1u);
  EXPECT_GE(m.unavailable_ms.at("m1"), m.promoted_ms);
  EXPECT_TRUE(std::isfinite(m.unavailable_max_ms));
  EXPECT_GT(m.state_fail_ms, 0);
  EXPECT_GT(m.bus_messages, 100);
  EXPECT_GT(m.bytes, m.bus_bytes);
  EXPECT_GT(o.events, 1000u);
}

TEST(RunExecutorTest, ARunIsAFunctionOfScenarioAndSeed) {
  const ExecuteOptions no_checks = NoChecks();
  const RunOutcome a = ExecuteRun(Load(kCrash), 7, {});
  const RunOutcome b = ExecuteRun(Load(kCrash), 7, no_checks);
  const RunOutcome c = ExecuteRun(Load(kCrash), 8, no_checks);
  EXPECT_EQ(a.trace_hash, b.trace_hash) << "checkers observe, never change the run";
  EXPECT_EQ(a.metrics.promoted_ms, b.metrics.promoted_ms);
  EXPECT_EQ(a.metrics.writes_acked, b.metrics.writes_acked);
  EXPECT_NE(a.trace_hash, c.trace_hash);
}

TEST(RunExecutorTest, AFailedExpectationIsTheVerdict) {
  const std::string text =
      std::string(kCrash) + "expect { by_ms: 3500 role { node: 'r1' role: MASTER } }\n";
  const RunOutcome o = ExecuteRun(Load(text.c_str()), 1, NoChecks());
  EXPECT_EQ(o.status, "expectation");
  EXPECT_NE(o.detail.find("r1"), std::string::npos) << o.detail;
}

TEST(RunExecutorTest, StartingMastersFollowTheLayout) {
  const std::vector<MasterSlots> m = StartingMasters(Load(kCrash));
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].name, "m1");
  EXPECT_EQ(m[0].ranges.front().first, 0);
  EXPECT_EQ(m[2].ranges.back().last, 16383);
}

}  // namespace
}  // namespace slotsim::tools::sweep
