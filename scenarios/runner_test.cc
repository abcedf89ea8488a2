#include "scenarios/runner.h"

#include <gtest/gtest.h>

#include "scenarios/loader.h"

namespace slotsim::scenarios {
namespace {

Scenario Load(const std::string& text) {
  auto s = LoadScenarioText(text, "test.textproto");
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? s->scenario : Scenario();
}

constexpr char kCrash[] = R"(
  name: "crash"
  topology { masters: 3 replicas_per_master: 1 }
  knobs { cluster_node_timeout: 1000 }
  duration_ms: 10000
  faults { at_ms: 4000 crash { node: "m1" } }
  expect { by_ms: 8000 role { node: "r1" role: MASTER } }
  expect { by_ms: 8000 owns { node: "r1" slots: "0-5460" observers: "m2" observers: "m3" } }
  expect { failovers { count: 1 } }
  expect { role { node: "m1" role: REPLICA master: "r1" } }
  expect { cluster_state { state: OK } }
)";

TEST(Runner, MasterCrashFailsOverAndHeals) {
  Runner r(Load(kCrash), RunOptions{});
  RunResult res = r.Run();
  EXPECT_TRUE(res.error.empty()) << res.error;
  for (const auto& e : res.expectations) {
    EXPECT_TRUE(e.held) << e.description << " observed: " << e.observed;
  }
  ASSERT_EQ(res.record.failovers.size(), 1u);
  const FailoverRecord& f = res.record.failovers[0];
  EXPECT_EQ(f.failed_node, "m1");
  EXPECT_EQ(f.promoted_node, "r1");
  EXPECT_EQ(f.config_epoch, 7u);
  EXPECT_LT(f.pfail_at, f.fail_at);
  EXPECT_LT(f.fail_at, f.promoted_at);
  const int64_t fail_after_crash = res.record.ms(f.fail_at) - 4000;
  EXPECT_GT(fail_after_crash, 1000);
  EXPECT_LT(fail_after_crash, 2500);
  EXPECT_TRUE(res.record.converged);
  EXPECT_TRUE(res.ok());
}

TEST(Runner, SameSeedSameHashDifferentSeedDifferent) {
  RunOptions a;
  a.seed = 5;
  RunOptions b = a;
  RunOptions c;
  c.seed = 6;
  const uint64_t h1 = Runner(Load(kCrash), a).Run().trace_hash;
  const uint64_t h2 = Runner(Load(kCrash), b).Run().trace_hash;
  const uint64_t h3 = Runner(Load(kCrash), c).Run().trace_hash;
  EXPECT_EQ(h1, h2);
  EXPECT_NE(h1, h3);
}

TEST(Runner, ShortPauseCausesNoFailover) {
  Runner r(Load(R"(
    topology { masters: 3 replicas_per_master: 1 }
    knobs { cluster_node_timeout: 2000 }
    duration_ms: 12000
    faults { at_ms: 5000 duration_ms: 1000 pause { node: "m2" } }
    expect { no_failover {} }
    expect { role { node: "m2" role: MASTER } }
  )"), RunOptions{});
  RunResult res = r.Run();
  for (const auto& e : res.expectations) {
    EXPECT_TRUE(e.held) << e.description << " observed: " << e.observed;
  }
  EXPECT_TRUE(res.ok());
}

TEST(Runner, FailedExpectationIsReported) {
  Runner r(Load(R"(
    topology { masters: 3 replicas_per_master: 1 }
    knobs { cluster_node_timeout: 1000 }
    duration_ms: 6000
    expect { at_ms: 5000 role { node: "r2" role: MASTER } }
  )"), RunOptions{});
  RunResult res = r.Run();
  ASSERT_EQ(res.expectations.size(), 1u);
  EXPECT_FALSE(res.expectations[0].held);
  EXPECT_EQ(res.expectations[0].observed, "r2 is a replica of m2");
  EXPECT_FALSE(res.ok());
}

}  // namespace
}  // namespace slotsim::scenarios
