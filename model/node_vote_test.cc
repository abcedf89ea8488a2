// Vote granting (clusterSendFailoverAuthIfNeeded): every refusal rule is hit
// once by injecting FAILOVER_AUTH_REQUEST packets into a voter, then a grant.

#include <memory>
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

// An AUTH_REQUEST as node `from` would send it, with chosen epochs/slots.
BusMessagePtr AuthRequest(TestCluster& tc, int from, uint64_t current_epoch,
                          uint64_t config_epoch, SharedSlots slots, bool force_ack) {
  const ClusterState& cs = tc.node(from).cluster();
  auto m = std::make_shared<BusMessage>();
  m->type = MsgType::kAuthRequest;
  m->sender = cs.myself->name;
  m->myip = TestCluster::Ip(from);
  m->port = 7000;
  m->cport = 17000;
  m->flags = cs.myself->flags;
  if (cs.myself->replica_of != nullptr) m->slaveof = cs.myself->replica_of->name;
  m->current_epoch = Epoch(current_epoch);
  m->config_epoch = Epoch(config_epoch);
  m->myslots = std::move(slots);
  if (force_ack) m->mflags |= mflags::kForceAck;
  return m;
}

size_t Refusals(const TestCluster& tc, int voter) {
  size_t n = 0;
  for (const NodeEvent& e : tc.events(voter)) n += e.kind == EventKind::kVoteRefused;
  return n;
}

TEST(NodeVoteTest, EachRefusalRuleThenAGrant) {
  marks::Reset();
  TestCluster tc(41);
  tc.default_tweak = [](NodeConfig& c) { c.cluster_node_timeout_ms = 5000; };
  ASSERT_TRUE(tc.Create(3, 1));
  // Node 6: a master without slots.
  tc.AddNode();
  tc.Command(6, {"CLUSTER", "MEET", TestCluster::Ip(0), "7000"});
  ASSERT_TRUE(tc.RunUntil([&] { return tc.Converged(); }, Duration::Seconds(10)));

  const int voter = 1;
  const ClusterState& vcs = tc.node(voter).cluster();
  SharedSlots m0_slots = vcs.SlotsOf(vcs.Find(tc.node(0).name()));
  SharedSlots m1_slots = vcs.SlotsOf(vcs.Find(tc.node(1).name()));
  const uint64_t e = vcs.current_epoch.value();
  ASSERT_EQ(e, 6u);

  // A slotless master may not vote.
  tc.Inject(6, AuthRequest(tc, 3, e + 1, 1, m0_slots, true));
  tc.RunFor(Duration::Millis(5));
  EXPECT_EQ(marks::Count("vote refused: voter serves no slots"), 1u);

  // Master 0 is healthy and the request is not forced.
  tc.Inject(voter, AuthRequest(tc, 3, e + 1, 1, m0_slots, false));
  tc.RunFor(Duration::Millis(5));
  EXPECT_EQ(marks::Count("vote refused: master is not failing"), 1u);
  EXPECT_EQ(vcs.current_epoch.value(), e + 1);  // raised by the header

  // Request epoch older than the voter's.
  tc.Inject(voter, AuthRequest(tc, 3, e, 1, m0_slots, true));
  tc.RunFor(Duration::Millis(5));
  EXPECT_EQ(marks::Count("vote refused: request epoch is stale"), 1u);

  // The requester is a master.
  tc.Inject(voter, AuthRequest(tc, 2, e + 2, 3, m0_slots, true));
  tc.RunFor(Duration::Millis(5));
  EXPECT_EQ(marks::Count("vote refused: requester is a master"), 1u);

  // A forced request in a new epoch is granted.
  tc.Inject(voter, AuthRequest(tc, 3, e + 3, 1, m0_slots, true));
  tc.RunFor(Duration::Millis(5));
  EXPECT_EQ(marks::Count("vote granted"), 1u);
  EXPECT_EQ(vcs.last_vote_epoch.value(), e + 3);
  EXPECT_EQ(tc.persisted_fsync(voter), true);

  // Same epoch again: one vote per epoch.
  tc.Inject(voter, AuthRequest(tc, 3, e + 3, 1, m0_slots, true));
  tc.RunFor(Duration::Millis(5));
  EXPECT_EQ(marks::Count("vote refused: already voted in this epoch"), 1u);

  // New epoch, same master within 2 * node timeout.
  tc.Inject(voter, AuthRequest(tc, 3, e + 4, 1, m0_slots, true));
  tc.RunFor(Duration::Millis(5));
  EXPECT_EQ(marks::Count("vote refused: voted for this master's replica too recently"),
            1u);

  // Another voter: the claimed slots (master 1's, epoch 2) are newer than the
  // request's configEpoch 1.
  tc.Inject(2, AuthRequest(tc, 3, e + 5, 1, m1_slots, true));
  tc.RunFor(Duration::Millis(5));
  EXPECT_EQ(marks::Count("vote refused: stale slot epoch"), 1u);

  EXPECT_EQ(Refusals(tc, voter), 5u);
  EXPECT_EQ(marks::Count("vote granted"), 1u);
}

TEST(NodeVoteTest, LockoutExpiresAfterTwiceTheNodeTimeout) {
  marks::Reset();
  TestCluster tc(42);
  tc.default_tweak = [](NodeConfig& c) { c.cluster_node_timeout_ms = 5000; };
  ASSERT_TRUE(tc.Create(3, 1));
  const ClusterState& vcs = tc.node(1).cluster();
  SharedSlots m0_slots = vcs.SlotsOf(vcs.Find(tc.node(0).name()));
  const uint64_t e = vcs.current_epoch.value();
  tc.Inject(1, AuthRequest(tc, 3, e + 1, 1, m0_slots, true));
  tc.RunFor(Duration::Millis(9900));
  tc.Inject(1, AuthRequest(tc, 3, e + 2, 1, m0_slots, true));
  tc.RunFor(Duration::Millis(200));
  EXPECT_EQ(marks::Count("vote refused: voted for this master's replica too recently"),
            1u);
  tc.Inject(1, AuthRequest(tc, 3, e + 3, 1, m0_slots, true));
  tc.RunFor(Duration::Millis(5));
  EXPECT_EQ(marks::Count("vote granted"), 2u);
}

}  // namespace
}  // namespace slotsim::model
