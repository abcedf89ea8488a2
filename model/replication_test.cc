// The replication stream between nodes: PSYNC full and partial, offsets in
// RESP bytes, the periodic PING, REPLCONF ACK, link loss and repl_down_since,
// the replication ID shift on promotion, and a backlog too small to continue.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/marks.h"
#include "model/node.h"
#include "model/reply.h"
#include "model/testing/test_cluster.h"

namespace slotsim::model {
namespace {

using sim::Duration;
using testing::TestCluster;

int64_t Resp(const std::vector<std::string>& argv) {
  return static_cast<int64_t>(EncodeCommand(argv).size());
}

TEST(ReplicationTest, OffsetsAdvanceByRespBytes) {
  TestCluster tc(101);
  tc.default_tweak = [](NodeConfig& c) { c.repl_ping_replica_period_s = 1000; };
  ASSERT_TRUE(tc.Create(1, 1));
  const Replication& m = tc.node(0).replication();
  const Replication& r = tc.node(1).replication();
  tc.RunFor(Duration::Millis(100));
  const int64_t start = m.master_repl_offset();
  ASSERT_EQ(r.SlaveOffset(), start);
  EXPECT_EQ(tc.Command(0, {"SET", "foo", "bar"}).str(), "OK");
  // The first write after a full sync is preceded by SELECT 0.
  EXPECT_EQ(m.master_repl_offset(), start + Resp({"SELECT", "0"}) + Resp({"SET", "foo", "bar"}));
  EXPECT_EQ(tc.Command(0, {"SET", "{t}a", "1"}).str(), "OK");
  EXPECT_EQ(tc.Command(0, {"DEL", "{t}a", "{t}b"}).integer(), 1);
  EXPECT_EQ(tc.Command(0, {"DEL", "{t}b"}).integer(), 0);  // not propagated
  const int64_t expected = start + 23 + Resp({"SET", "foo", "bar"}) +
                           Resp({"SET", "{t}a", "1"}) + Resp({"DEL", "{t}a", "{t}b"});
  EXPECT_EQ(m.master_repl_offset(), expected);
  tc.RunFor(Duration::Millis(10));
  EXPECT_EQ(r.SlaveOffset(), expected);
  EXPECT_EQ(r.master_repl_offset(), expected);  // proxied stream
  EXPECT_EQ(tc.node(1).keyspace().size(), 1);
  EXPECT_EQ(tc.node(1).keyspace().Get("foo")->data, "bar");
  // The cluster bus carries the offsets too.
  tc.RunFor(Duration::Seconds(2));
  EXPECT_EQ(tc.node(0).cluster().Find(tc.node(1).name())->repl_offset,
            static_cast<uint64_t>(expected));
}

TEST(ReplicationTest, PingEveryPeriodAndAcks) {
  TestCluster tc(102);
  tc.default_tweak = [](NodeConfig& c) { c.repl_ping_replica_period_s = 2; };
  ASSERT_TRUE(tc.Create(1, 1));
  tc.RunFor(Duration::Millis(50));
  const int64_t a = tc.node(0).replication().master_repl_offset();
  tc.RunFor(Duration::Seconds(10));
  const int64_t b = tc.node(0).replication().master_repl_offset();
  EXPECT_EQ((b - a) % 14, 0);
  EXPECT_GE(b - a, 4 * 14);
  EXPECT_LE(b - a, 6 * 14);
  EXPECT_EQ(tc.node(1).replication().SlaveOffset(), b);
  const std::string info = tc.Command(0, {"INFO", "replication"}).str();
  EXPECT_NE(info.find("connected_slaves:1\r\nslave0:ip=10.0.0.2,port=7000,state=online,"
                      "offset=" +
                      std::to_string(b)),
            std::string::npos)
      << info;
}

TEST(ReplicationTest, LinkLossAndPartialResync) {
  marks::Reset();
  TestCluster tc(103);
  tc.default_tweak = [](NodeConfig& c) {
    c.repl_ping_replica_period_s = 1;
    c.repl_timeout_s = 5;
  };
  ASSERT_TRUE(tc.Create(1, 1));
  tc.Partition({0}, {1});
  ASSERT_TRUE(tc.RunUntil([&] { return !tc.node(1).replication().link_up(); },
                          Duration::Seconds(10)));
  EXPECT_GT(marks::Count("replication: master timeout"), 0u);
  EXPECT_NE(tc.node(1).replication().repl_down_since_s(), 0);
  EXPECT_NE(tc.Command(1, {"INFO", "replication"}).str().find("master_link_status:down"),
            std::string::npos);
  ASSERT_EQ(tc.Command(0, {"SET", "bar", "x"}).str(), "OK");
  tc.HealAll();
  ASSERT_TRUE(tc.RunUntil([&] { return tc.node(1).replication().link_up(); },
                          Duration::Seconds(10)));
  tc.RunFor(Duration::Millis(10));
  EXPECT_GT(marks::Count("replication: partial resync"), 0u);
  EXPECT_EQ(tc.node(1).keyspace().Get("bar")->data, "x");
  EXPECT_EQ(tc.node(1).replication().repl_down_since_s(), 0);
}

TEST(ReplicationTest, SmallBacklogForcesAFullResync) {
  marks::Reset();
  TestCluster tc(104);
  tc.default_tweak = [](NodeConfig& c) {
    c.repl_ping_replica_period_s = 1;
    c.repl_timeout_s = 3;
    c.repl_backlog_size_bytes = 100;
  };
  ASSERT_TRUE(tc.Create(1, 1));
  tc.Partition({0}, {1});
  ASSERT_TRUE(tc.RunUntil([&] { return !tc.node(1).replication().link_up(); },
                          Duration::Seconds(10)));
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(tc.Command(0, {"SET", "bar", std::to_string(i)}).str(), "OK");
  }
  tc.HealAll();
  ASSERT_TRUE(tc.RunUntil([&] { return tc.node(1).replication().link_up(); },
                          Duration::Seconds(10)));
  EXPECT_GT(marks::Count("replication: backlog cannot serve psync"), 0u);
  EXPECT_EQ(tc.node(1).keyspace().Get("bar")->data, "19");
  EXPECT_EQ(tc.node(1).replication().SlaveOffset(),
            tc.node(0).replication().master_repl_offset());
}

TEST(ReplicationTest, PromotionShiftsTheReplicationId) {
  marks::Reset();
  TestCluster tc(105);
  tc.default_tweak = [](NodeConfig& c) {
    c.cluster_node_timeout_ms = 2000;
    c.repl_ping_replica_period_s = 1;
  };
  ASSERT_TRUE(tc.Create(3, 1));
  const std::string old_id = tc.node(0).replication().replid();
  ASSERT_EQ(tc.Command(3, {"CLUSTER", "FAILOVER"}).str(), "OK");
  ASSERT_TRUE(tc.RunUntil(
      [&] {
        return tc.node(3).is_master() && tc.node(0).replication().link_up() &&
               tc.node(0).cluster().myself->is_replica();
      },
      Duration::Seconds(10)));
  const Replication& promoted = tc.node(3).replication();
  EXPECT_EQ(promoted.replid2(), old_id);
  EXPECT_NE(promoted.replid(), old_id);
  // The old master continued from its own history: a partial resync.
  EXPECT_GT(marks::Count("replication: partial resync"), 0u);
  EXPECT_EQ(tc.node(0).replication().replid(), promoted.replid());
}

}  // namespace
}  // namespace slotsim::model
