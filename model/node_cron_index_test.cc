// The cron indexes (node.h, "Cron indexes") must make clusterCron do exactly
// what a full scan of the node table does: the same scripted run with and
// without them gives identical trace events, messages and final views.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "model/cluster_text.h"
#include "model/node.h"
#include "model/testing/test_cluster.h"

namespace slotsim::model {
namespace {

using sim::Duration;
using testing::TestCluster;

std::string ScriptedRun(uint64_t seed, bool full_scan) {
  TestCluster tc(seed);
  tc.full_scan_cron = full_scan;
  tc.default_tweak = [](NodeConfig& c) {
    c.cluster_node_timeout_ms = 2000;
    c.repl_ping_replica_period_s = 1;
  };
  std::string trace;
  tc.on_bus_delivery = [&](int from, int to, const BusMessage& m) {
    absl::StrAppend(&trace, tc.now().micros(), " ", from, ">", to, " ",
                    MsgTypeName(m.type), " ", m.gossip.size(), "\n");
  };
  if (!tc.Create(3, 2)) return "create failed";
  for (int w = 0; w < 20; ++w) tc.Command(0, {"SET", "bar", std::to_string(w)});
  tc.Crash(0);
  tc.RunFor(Duration::Seconds(8));
  tc.Partition({4}, {1, 2});
  tc.RunFor(Duration::Seconds(5));
  tc.HealAll();
  tc.Restart(0);
  tc.Pause(2);
  tc.RunFor(Duration::Seconds(3));
  tc.Resume(2);
  const int fresh = tc.AddNode();
  tc.Command(fresh, {"CLUSTER", "MEET", TestCluster::Ip(1), "7000"});
  tc.RunFor(Duration::Seconds(5));
  tc.Command(1, {"CLUSTER", "FORGET", tc.node(fresh).name().str()});
  tc.Command(6, {"CLUSTER", "FAILOVER"});
  tc.RunFor(Duration::Seconds(20));
  std::string out = trace;
  for (int i = 0; i < tc.size(); ++i) {
    if (!tc.up(i)) continue;
    absl::StrAppend(&out, "== node ", i, "\n", ClusterNodesText(tc.node(i).cluster()));
    for (const NodeEvent& e : tc.events(i)) {
      absl::StrAppend(&out, EventKindName(e.kind), " ", e.subject.str(), " ", e.peer.str(),
                      " ", e.value, " ", e.detail, "\n");
    }
    for (uint64_t v : tc.node(i).cluster().stats_sent) absl::StrAppend(&out, v, " ");
    absl::StrAppend(&out, "\n", tc.persisted(i));
  }
  return out;
}

TEST(NodeCronIndexTest, IndexedCronMatchesTheFullScan) {
  for (uint64_t seed : {111, 112, 113}) {
    const std::string indexed = ScriptedRun(seed, false);
    const std::string full = ScriptedRun(seed, true);
    ASSERT_GT(indexed.size(), 10000u);
    EXPECT_TRUE(indexed == full) << "seed " << seed;
  }
}

}  // namespace
}  // namespace slotsim::model
