// Failure detection: PFAIL timing, failure reports only from masters, PFAIL
// to FAIL only on master gossip (and 7.0's slotless voters), the FAIL
// clearing rules, gossip section sizes, handshake timeout, NOADDR, and the
// writable delay (clusterCron, clusterProcessGossipSection,
// markNodeAsFailingIfNeeded, clearNodeFailureIfNeeded, clusterSendPing,
// clusterUpdateState).

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/marks.h"
#include "model/node.h"
#include "model/testing/test_cluster.h"

namespace slotsim::model {
namespace {

using sim::Duration;
using testing::TestCluster;

constexpr int64_t kNt = 2000;

void FastTimeouts(NodeConfig& c) {
  c.cluster_node_timeout_ms = kNt;
  c.repl_ping_replica_period_s = 1;
}

const ClusterNode* View(TestCluster& tc, int viewer, int subject) {
  return tc.node(viewer).cluster().Find(tc.node(subject).name());
}

GossipEntry EntryFor(TestCluster& tc, int viewer, int subject, uint16_t extra_flags) {
  const ClusterNode* n = View(tc, viewer, subject);
  GossipEntry g;
  g.name = n->name;
  g.ip = n->ip;
  g.port = static_cast<uint16_t>(n->port);
  g.cport = static_cast<uint16_t>(n->cport);
  g.flags = static_cast<uint16_t>(n->flags | extra_flags);
  return g;
}

TEST(NodeFailureDetectionTest, PfailBetweenOneAndOneAndAHalfTimeouts) {
  for (uint64_t seed : {61, 62, 63, 64}) {
    TestCluster tc(seed);
    tc.default_tweak = FastTimeouts;
    ASSERT_TRUE(tc.Create(3, 0));
    tc.RunFor(Duration::Millis(static_cast<int64_t>(seed % 7) * 333));
    const NodeName crashed = tc.node(2).name();
    const ClusterNode* view = tc.node(0).cluster().Find(crashed);
    const int64_t last_pong = view->pong_received_ms;
    tc.Crash(2);
    ASSERT_TRUE(tc.RunUntil([&] { return view->timed_out(); }, Duration::Seconds(10)));
    const int64_t at = tc.node(0).MsTime(tc.now());
    EXPECT_GT(at - last_pong, kNt) << seed;
    EXPECT_LE(at - last_pong, kNt * 3 / 2 + 200) << seed;
  }
}

TEST(NodeFailureDetectionTest, FailOnlyOnGossipFromAMaster) {
  marks::Reset();
  TestCluster tc(65);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 1));
  // Only node 1 loses node 2: PFAIL there, and nobody else reports it.
  tc.Partition({1}, {2});
  ASSERT_TRUE(tc.RunUntil([&] { return View(tc, 1, 2)->timed_out(); },
                          Duration::Seconds(10)));
  tc.RunFor(Duration::Seconds(1));
  EXPECT_FALSE(View(tc, 1, 2)->failed());
  EXPECT_EQ(View(tc, 1, 2)->fail_reports.size(), 0u);

  // A replica's gossip about a PFAIL node is not a failure report.
  auto from_replica = tc.HeaderAs(4, MsgType::kPing);
  from_replica->gossip.push_back(EntryFor(tc, 4, 2, flags::kPFail));
  tc.Inject(1, from_replica);
  tc.RunFor(Duration::Millis(2));
  EXPECT_EQ(tc.Command(1, {"CLUSTER", "COUNT-FAILURE-REPORTS", tc.node(2).name().str()})
                .integer(),
            0);
  EXPECT_FALSE(View(tc, 1, 2)->failed());

  // A master's is: 1 report + myself = 2 = quorum of 3 masters -> FAIL.
  auto from_master = tc.HeaderAs(0, MsgType::kPing);
  from_master->gossip.push_back(EntryFor(tc, 0, 2, flags::kPFail));
  tc.Inject(1, from_master);
  tc.RunFor(Duration::Millis(2));
  EXPECT_TRUE(View(tc, 1, 2)->failed());
  EXPECT_EQ(marks::Count("failure detection: FAIL by quorum"), 1u);
  // The FAIL message made every other reachable node agree.
  tc.RunFor(Duration::Millis(10));
  EXPECT_TRUE(View(tc, 0, 2)->failed());
  EXPECT_GT(marks::Count("failure detection: FAIL from message"), 0u);
}

TEST(NodeFailureDetectionTest, SlotlessMastersCanReachTheQuorum) {
  marks::Reset();
  TestCluster tc(66);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 0));
  for (int k = 0; k < 2; ++k) {
    const int i = tc.AddNode();
    tc.Command(i, {"CLUSTER", "MEET", TestCluster::Ip(0), "7000"});
  }
  ASSERT_TRUE(tc.RunUntil([&] { return tc.Converged(); }, Duration::Seconds(10)));
  // Only the two slotless masters lose node 2; every slot owner sees it fine.
  tc.Partition({3, 4}, {2});
  ASSERT_TRUE(tc.RunUntil([&] { return View(tc, 0, 2)->failed(); },
                          Duration::Seconds(20)));
  EXPECT_GT(marks::Count("failure detection: quorum counted a slotless master"), 0u);
  EXPECT_GT(marks::Count("failure report: from a slotless master"), 0u);
}

TEST(NodeFailureDetectionTest, FailClearedAtOnceForAReachableReplica) {
  marks::Reset();
  TestCluster tc(67);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 1));
  tc.Partition({3}, {0, 1, 2, 4, 5});
  ASSERT_TRUE(tc.RunUntil([&] { return View(tc, 1, 3)->failed(); },
                          Duration::Seconds(20)));
  tc.HealAll();
  ASSERT_TRUE(tc.RunUntil([&] { return !View(tc, 1, 3)->failed(); },
                          Duration::Seconds(10)));
  EXPECT_GT(marks::Count("failure detection: FAIL cleared (replica reachable)"), 0u);
}

TEST(NodeFailureDetectionTest, FailOfAMasterWithSlotsClearsAfterTwoTimeouts) {
  marks::Reset();
  TestCluster tc(68);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 0));
  tc.Partition({0}, {1, 2});
  ASSERT_TRUE(tc.RunUntil([&] { return View(tc, 1, 0)->failed(); },
                          Duration::Seconds(20)));
  const int64_t fail_time = View(tc, 1, 0)->fail_time_ms;
  tc.HealAll();
  ASSERT_TRUE(tc.RunUntil([&] { return !View(tc, 1, 0)->failed(); },
                          Duration::Seconds(20)));
  EXPECT_GT(tc.node(1).MsTime(tc.now()) - fail_time, 2 * kNt);
  EXPECT_GT(marks::Count("failure detection: FAIL cleared (nobody took the slots)"), 0u);
  EXPECT_TRUE(tc.RunUntil([&] { return tc.Converged(); }, Duration::Seconds(20)));
}

TEST(NodeFailureDetectionTest, FailOfASlotlessMasterClearsAtOnce) {
  marks::Reset();
  TestCluster tc(69);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 0));
  const int e = tc.AddNode();
  tc.Command(e, {"CLUSTER", "MEET", TestCluster::Ip(0), "7000"});
  ASSERT_TRUE(tc.RunUntil([&] { return tc.Converged(); }, Duration::Seconds(10)));
  tc.Partition({e}, {0, 1, 2});
  ASSERT_TRUE(tc.RunUntil([&] { return View(tc, 1, e)->failed(); },
                          Duration::Seconds(20)));
  tc.HealAll();
  ASSERT_TRUE(tc.RunUntil([&] { return !View(tc, 1, e)->failed(); },
                          Duration::Seconds(10)));
  EXPECT_GT(marks::Count("failure detection: FAIL cleared (slotless master reachable)"),
            0u);
}

TEST(NodeFailureDetectionTest, GossipSectionFollowsTheSizeRule) {
  TestCluster tc(70);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(40, 0, Duration::Seconds(60)));
  tc.Crash(38);
  tc.Crash(39);
  // wanted = max(3, 40 / 10) = 4 sampled entries, then every PFAIL node.
  int messages = 0;
  int full_samples = 0;
  int with_both_pfail = 0;
  tc.on_bus_delivery = [&](int from, int, const BusMessage& m) {
    if (m.type != MsgType::kPing && m.type != MsgType::kPong) return;
    ++messages;
    size_t k = 0;
    while (k < m.gossip.size() && !(m.gossip[k].flags & flags::kPFail)) ++k;
    for (size_t j = k; j < m.gossip.size(); ++j) {
      EXPECT_TRUE(m.gossip[j].flags & flags::kPFail);
    }
    EXPECT_LE(k, 4u);
    EXPECT_LE(m.gossip.size() - k, 2u);
    for (const GossipEntry& g : m.gossip) EXPECT_NE(g.name, tc.node(from).name());
    full_samples += k == 4;
    with_both_pfail += m.gossip.size() - k == 2;
  };
  tc.RunFor(Duration::Seconds(6));
  EXPECT_GT(messages, 100);
  EXPECT_GT(full_samples, messages / 2);
  EXPECT_GT(with_both_pfail, 0);
}

TEST(NodeFailureDetectionTest, HandshakeWithNobodyTimesOut) {
  marks::Reset();
  TestCluster tc(71);
  tc.default_tweak = FastTimeouts;
  tc.AddNode();
  EXPECT_EQ(tc.Command(0, {"CLUSTER", "MEET", "10.9.9.9", "7000"}).str(), "OK");
  // A second MEET of the same address while the first is pending adds nothing.
  EXPECT_EQ(tc.Command(0, {"CLUSTER", "MEET", "10.9.9.9", "7000"}).str(), "OK");
  EXPECT_EQ(tc.node(0).cluster().nodes.size(), 2u);
  tc.RunFor(Duration::Millis(kNt - 100));
  EXPECT_EQ(tc.node(0).cluster().nodes.size(), 2u);
  tc.RunFor(Duration::Millis(300));
  EXPECT_EQ(tc.node(0).cluster().nodes.size(), 1u);
  EXPECT_EQ(marks::Count("handshake: timed out"), 1u);
}

TEST(NodeFailureDetectionTest, ANewNodeAtAKnownAddressIsFlaggedNoaddr) {
  marks::Reset();
  TestCluster tc(72);
  tc.default_tweak = FastTimeouts;
  ASSERT_TRUE(tc.Create(3, 0));
  const NodeName old = tc.node(2).name();
  tc.Crash(2);
  tc.Wipe(2);
  tc.Restart(2);
  ASSERT_NE(tc.node(2).name(), old);
  ASSERT_TRUE(tc.RunUntil(
      [&] { return tc.node(0).cluster().Find(old)->Has(flags::kNoAddr); },
      Duration::Seconds(10)));
  EXPECT_GT(marks::Count("noaddr: reply carried a different node id"), 0u);
  EXPECT_TRUE(tc.node(0).cluster().Find(old)->ip.empty());
}

TEST(NodeFailureDetectionTest, MasterStaysFailForTheWritableDelay) {
  marks::Reset();
  TestCluster tc(73);
  tc.AddNode();
  ASSERT_EQ(tc.Command(0, {"CLUSTER", "ADDSLOTSRANGE", "0", "16383"}).str(), "OK");
  ASSERT_TRUE(tc.RunUntil(
      [&] { return tc.node(0).cluster().state == ClusterHealth::kOk; },
      Duration::Seconds(5)));
  EXPECT_GE(tc.now(), sim::Time() + Duration::Millis(2000));
  EXPECT_LE(tc.now(), sim::Time() + Duration::Millis(2200));
  EXPECT_GT(marks::Count("state: writable delay after start"), 0u);
}

}  // namespace
}  // namespace slotsim::model
