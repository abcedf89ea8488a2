#include "tools/sweep/run_metrics.h"

#include <cmath>
#include <string>

#include "gtest/gtest.h"
#include "model/node_io.h"

namespace slotsim::tools::sweep {
namespace {

using model::EventKind;
using sim::Time;

Time S(double seconds) { return Time::FromMicros(static_cast<int64_t>(seconds * 1e6)); }

model::NodeName Id(char c) { return model::NodeName::FromString(std::string(40, c)); }

class MetricsTest : public ::testing::Test {
 protected:
  MetricsTest() : world_(scenarios::WorldOptions{}) {
    for (const auto& [c, name] : {std::pair{'a', "m1"}, {'b', "m2"}, {'c', "m3"}, {'d', "r1"}}) {
      world_.RegisterId(Id(c), name);
    }
    result_.record.safety_end = S(60);
    result_.record.end = S(70);
  }
  void Event(double at, const char* node, EventKind kind, char subject, char peer,
             std::string detail = "", int64_t value = 0) {
    scenarios::WorldEvent e;
    e.at = S(at);
    e.node = node;
    e.event.kind = kind;
    if (subject != 0) e.event.subject = Id(subject);
    if (peer != 0) e.event.peer = Id(peer);
    e.event.detail = std::move(detail);
    e.event.value = value;
    c_.OnNodeEvent(world_, e);
  }
  void State(double at, const char* node, const char* state) {
    Event(at, node, EventKind::kClusterState, 0, 0, state);
  }
  RunMetrics Compute() {
    MetricsCollector::Inputs in;
    in.result = &result_;
    return c_.Compute(in);
  }

  scenarios::World world_;
  MetricsCollector c_;
  scenarios::RunResult result_;
};

TEST_F(MetricsTest, MasterCrashTimelineFromTheFault) {
  for (const char* n : {"m1", "m2", "m3", "r1"}) State(2, n, "ok");
  result_.record.faults.push_back({S(10), "crash", {"m1"}, "", ""});
  c_.OnFault(world_, {S(10), "crash", {"m1"}, ""});
  Event(24, "m2", EventKind::kFlagsChanged, 'a', 0, "master -> master,fail?");
  Event(24.5, "m3", EventKind::kFlagsChanged, 'a', 0, "master -> master,fail?");
  Event(25, "m3", EventKind::kFlagsChanged, 'a', 0, "master,fail? -> master,fail");
  State(25, "m2", "fail");
  State(26, "m3", "fail");
  Event(25.6, "r1", EventKind::kElectionStarted, 'd', 'a', "", 7);
  Event(25.601, "m2", EventKind::kVoteGranted, 'b', 'd');
  Event(25.601, "m3", EventKind::kVoteGranted, 'c', 'd');
  Event(25.601, "r1", EventKind::kVoteRefused, 'd', 'd');
  Event(25.601, "r1", EventKind::kVoteReceived, 'd', 'b', "", 1);
  Event(25.602, "r1", EventKind::kVoteReceived, 'd', 'c', "", 2);
  Event(25.602, "r1", EventKind::kPromoted, 'd', 'a', "", 7);
  State(27, "m2", "ok");
  State(28, "m3", "ok");
  scenarios::FailoverRecord fo;
  fo.failed_node = "m1";
  fo.promoted_node = "r1";
  fo.promoted_at = S(25.602);
  result_.record.failovers.push_back(fo);
  scenarios::FailEpisode replaced{"m1", S(24), S(25), S(61), true};
  scenarios::FailEpisode live{"m2", S(40), S(41), S(42), false};
  result_.fail_episodes = {replaced, live};

  const RunMetrics m = Compute();
  EXPECT_DOUBLE_EQ(m.fault_at_ms, 10000);
  EXPECT_DOUBLE_EQ(m.pfail_ms, 14000);
  EXPECT_DOUBLE_EQ(m.fail_ms, 15000);
  EXPECT_DOUBLE_EQ(m.election_start_ms, 15600);
  EXPECT_DOUBLE_EQ(m.election_won_ms, 15602);
  EXPECT_DOUBLE_EQ(m.promoted_ms, 15602);
  EXPECT_EQ(m.failovers, 1);
  EXPECT_EQ(m.elections, 1);
  EXPECT_EQ(m.elections_failed, 0);
  EXPECT_EQ(m.votes_granted, 2);
  EXPECT_EQ(m.votes_requested, 3);
  EXPECT_EQ(m.false_fails, 1) << "m2 was flagged FAIL while up";
  EXPECT_EQ(m.false_failovers, 0);
  EXPECT_DOUBLE_EQ(m.state_fail_ms, 3000) << "union of m2 [25,27) and m3 [26,28)";
  EXPECT_TRUE(std::isnan(m.converge_ms));
}

TEST_F(MetricsTest, WithoutAFaultTimesAreNaNAndStateCountsFromClusterUp) {
  State(2, "m1", "ok");
  State(3, "m2", "ok");
  State(30, "m1", "fail");
  State(31, "m1", "ok");
  Event(20, "r1", EventKind::kElectionStarted, 'd', 'a', "", 7);  // never won
  const RunMetrics m = Compute();
  EXPECT_TRUE(std::isnan(m.fault_at_ms));
  EXPECT_TRUE(std::isnan(m.promoted_ms));
  EXPECT_TRUE(std::isnan(m.unavailable_max_ms));
  EXPECT_DOUBLE_EQ(m.state_fail_ms, 1000) << "m1's outage only; start-up before 3 s excluded";
  EXPECT_EQ(m.elections_failed, 1);
}

TEST_F(MetricsTest, CrashedNodesDoNotReportAndRestartedOnesStartFailing) {
  State(1, "m1", "ok");
  State(1, "m2", "ok");
  result_.record.faults.push_back({S(10), "pause", {"m3"}, "", ""});
  c_.OnFault(world_, {S(20), "crash", {"m1"}, ""});
  State(25, "m2", "fail");  // m1 is down: its last state does not count
  State(26, "m2", "ok");
  c_.OnFault(world_, {S(40), "restart", {"m1"}, ""});
  State(45, "m1", "ok");
  EXPECT_DOUBLE_EQ(Compute().state_fail_ms, 6000);
}

TEST(MetricNamesTest, NamesAndValuesLineUp) {
  RunMetrics m;
  m.unavailable_ms["m2"] = 5;
  const std::vector<std::string> masters = {"m1", "m2"};
  const auto names = MetricNames(masters);
  const auto values = MetricValues(m, masters);
  ASSERT_EQ(names.size(), values.size());
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "unavail_m2_ms") {
      EXPECT_EQ(values[i], 5);
    }
    if (names[i] == "unavail_m1_ms") {
      EXPECT_TRUE(std::isnan(values[i]));
    }
  }
}

}  // namespace
}  // namespace slotsim::tools::sweep
