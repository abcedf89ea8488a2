// Network faults: partitions and one-way blocks in each mode, clogs, extra
// delay, filters.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/network_testing.h"

namespace slotsim::sim::testing {
namespace {

using Log = std::vector<std::string>;
using Ids = std::vector<uint64_t>;

TEST_F(NetworkTest, OneWayBlockStopsOnlyOneDirection) {
  const ConnId conn = Open(a_, b_);
  net_.BlockOneWay({a_}, {b_}, FaultMode::kDrop);
  Send(conn, a_, 1);
  Send(conn, b_, 2);
  RunMs(5);
  EXPECT_TRUE(hb_.received.empty());
  EXPECT_EQ(ha_.received, Ids{2});
  EXPECT_EQ(net_.stats().drops(DropReason::kFault), 1u);
  ExpectConservation();
}

TEST_F(NetworkTest, DroppingPartitionLosesMessagesUntilHealed) {
  const ConnId conn = Open(a_, b_);
  const FaultId f = net_.Partition({a_}, {b_, c_}, FaultMode::kDrop);
  Send(conn, a_, 1);
  Send(conn, b_, 2);
  RunMs(5);
  EXPECT_TRUE(net_.Heal(f));
  EXPECT_FALSE(net_.Heal(f));
  Send(conn, a_, 3);
  RunMs(5);
  EXPECT_EQ(hb_.received, Ids{3});
  EXPECT_TRUE(ha_.received.empty());
  EXPECT_EQ(net_.stats().drops(DropReason::kFault), 2u);
  EXPECT_EQ(net_.state(conn, a_), ConnState::kOpen);  // the connection lives on
}

TEST_F(NetworkTest, MessagesInFlightWhenThePartitionStartsAreCaughtByIt) {
  const ConnId conn = Open(a_, b_);
  Send(conn, a_, 1);  // arrives at 3 ms
  net_.Partition({a_}, {b_}, FaultMode::kDrop);
  RunMs(5);
  EXPECT_TRUE(hb_.received.empty());
}

TEST_F(NetworkTest, HoldingPartitionDeliversInOrderAfterTheHeal) {
  const ConnId conn = Open(a_, b_);
  const FaultId f = net_.Partition({a_}, {b_}, FaultMode::kHold);
  for (uint64_t i = 1; i <= 5; ++i) Send(conn, a_, i);
  Send(conn, b_, 100);
  RunMs(50);
  EXPECT_TRUE(hb_.received.empty());
  EXPECT_TRUE(ha_.received.empty());
  net_.Heal(f);
  Send(conn, a_, 6);  // sent after the heal: behind the held ones
  RunMs(5);
  EXPECT_EQ(hb_.received, (Ids{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(ha_.received, Ids{100});
  // Held messages move at the heal (t = 52 ms); the new one a millisecond later.
  EXPECT_EQ(hb_.received_at.front(), Time::FromMillis(52));
  EXPECT_EQ(hb_.received_at.back(), Time::FromMillis(53));
  EXPECT_EQ(net_.stats().total().dropped_messages, 0u);
}

TEST_F(NetworkTest, HoldingPartitionHoldsTheSynToo) {
  const FaultId f = net_.Partition({a_}, {b_}, FaultMode::kHold);
  const ConnId conn = net_.Connect(a_, b_);
  Send(conn, a_, 1);
  RunMs(100);
  EXPECT_TRUE(log_.empty());
  EXPECT_EQ(net_.state(conn, a_), ConnState::kConnecting);
  net_.Heal(f);
  RunMs(5);
  // The held SYN moves at the heal (t = 100 ms).
  EXPECT_EQ(log_, (Log{"100 b accept from=0", "101 a connected", "102 b msg 1"}));
}

TEST_F(NetworkTest, OverlappingFaultsHoldUntilTheLastIsHealed) {
  const ConnId conn = Open(a_, b_);
  const FaultId f1 = net_.Partition({a_}, {b_}, FaultMode::kHold);
  const FaultId f2 = net_.BlockOneWay({a_}, {b_}, FaultMode::kHold);
  Send(conn, a_, 1);
  RunMs(5);
  net_.Heal(f1);
  RunMs(5);
  EXPECT_TRUE(hb_.received.empty());
  net_.Heal(f2);
  RunMs(1);
  EXPECT_EQ(hb_.received, Ids{1});
}

TEST_F(NetworkTest, DropBeatsHoldWhenBothApply) {
  const ConnId conn = Open(a_, b_);
  net_.Partition({a_}, {b_}, FaultMode::kHold);
  net_.BlockOneWay({a_}, {b_}, FaultMode::kDrop);
  Send(conn, a_, 1);
  RunMs(5);
  net_.HealAll();
  RunMs(5);
  EXPECT_TRUE(hb_.received.empty());
  EXPECT_EQ(net_.stats().drops(DropReason::kFault), 1u);
}

TEST_F(NetworkTest, RejectingPartitionResetsConnectionsAndRefusesNewOnes) {
  const ConnId ab = Open(a_, b_);
  const ConnId ac = Open(a_, c_);
  Send(ab, a_, 1);  // in flight: lost with the reset
  const FaultId f = net_.Partition({a_}, {b_}, FaultMode::kReject);
  EXPECT_EQ(log_, (Log{"4 a closed", "4 b closed"}));
  EXPECT_FALSE(Send(ab, a_, 2));
  const ConnId again = net_.Connect(a_, b_);
  RunMs(5);
  EXPECT_EQ(log_, (Log{"4 a closed", "4 b closed", "5 a connect-failed"}));
  EXPECT_EQ(ha_.failed, std::vector<ConnId>{again});
  EXPECT_EQ(net_.state(ac, a_), ConnState::kOpen);  // a-c is not across the fault
  EXPECT_EQ(net_.stats().drops(DropReason::kReset), 1u);
  net_.Heal(f);
  Open(a_, b_);
  ExpectConservation();
}

TEST_F(NetworkTest, OneWayRejectRefusesConnectsInBothDirections) {
  net_.BlockOneWay({b_}, {a_}, FaultMode::kReject);
  net_.Connect(a_, b_);  // SYN passes, the SYN-ACK is rejected
  net_.Connect(b_, a_);  // the SYN is rejected
  RunMs(5);
  EXPECT_EQ(log_, (Log{"1 b accept from=0", "1 b connect-failed", "2 a connect-failed",
                       "2 b closed"}));
}

TEST_F(NetworkTest, DroppedSynLeavesTheConnectPendingUntilClosed) {
  const FaultId f = net_.Partition({a_}, {b_}, FaultMode::kDrop);
  const ConnId conn = net_.Connect(a_, b_);
  Send(conn, a_, 1);
  RunMs(100);
  EXPECT_EQ(net_.state(conn, a_), ConnState::kConnecting);
  net_.Heal(f);
  RunMs(100);
  EXPECT_EQ(net_.state(conn, a_), ConnState::kConnecting);  // nothing retransmits
  net_.Close(conn, a_);
  EXPECT_EQ(net_.live_connections(), 0u);
  EXPECT_TRUE(log_.empty());
  ExpectConservation();
}

TEST_F(NetworkTest, ClogDelaysUntilItEndsAndKeepsOrder) {
  const ConnId ab = Open(a_, b_);
  const ConnId cb = Open(c_, b_);
  net_.ClogEndpoint(b_, Duration::Millis(20));  // t = 4..24 ms
  Send(ab, a_, 1);
  Send(cb, c_, 2);
  Send(ab, a_, 3);
  RunMs(10);
  Send(ab, a_, 4);
  RunMs(30);
  EXPECT_EQ(hb_.received, (Ids{1, 2, 3, 4}));
  for (Time t : hb_.received_at) EXPECT_EQ(t, Time::FromMillis(24));
  EXPECT_TRUE(net_.faults().empty());
}

TEST_F(NetworkTest, ClogPairAffectsOnlyThatPair) {
  const ConnId ab = Open(a_, b_);
  const ConnId cb = Open(c_, b_);
  net_.ClogPair(a_, b_, Duration::Millis(10));
  Send(ab, a_, 1);
  Send(ab, b_, 2);
  Send(cb, c_, 3);
  RunMs(20);
  EXPECT_EQ(hb_.received, (Ids{3, 1}));
  EXPECT_EQ(ha_.received, Ids{2});
  EXPECT_EQ(ha_.received_at[0], Time::FromMillis(14));
}

TEST_F(NetworkTest, HealingAClogEarlyReleasesAtOnce) {
  const ConnId ab = Open(a_, b_);
  const FaultId f = net_.ClogEndpoint(a_, Duration::Seconds(10));
  Send(ab, a_, 1);
  RunMs(10);
  net_.Heal(f);  // t = 12 ms
  RunMs(1);
  EXPECT_EQ(hb_.received_at, std::vector<Time>{Time::FromMillis(12)});
}

TEST_F(NetworkTest, ExtraDelayAppliesWhileInForce) {
  const ConnId ab = Open(a_, b_);
  const FaultId f = net_.AddExtraDelay({a_}, {b_}, Duration::Millis(7), false);
  Send(ab, a_, 1);
  Send(ab, b_, 2);
  RunMs(20);
  net_.Heal(f);
  Send(ab, a_, 3);
  RunMs(20);
  // Sent at 2 ms: 1 ms + 7 ms extra. After the heal (22 ms): 1 ms.
  EXPECT_EQ(hb_.received_at,
            (std::vector<Time>{Time::FromMillis(10), Time::FromMillis(23)}));
  EXPECT_EQ(ha_.received_at, std::vector<Time>{Time::FromMillis(3)});
}

TEST_F(NetworkTest, FiltersDropMatchingMessages) {
  const ConnId ab = Open(a_, b_);
  const ConnId cb = Open(c_, b_);
  const FilterId f =
      net_.AddFilter([this](EndpointId from, EndpointId to, const TestMessage& m) {
        return from == a_ && m.kind == 7;
      });
  Send(ab, a_, 1, 7);
  Send(ab, a_, 2, 8);
  Send(cb, c_, 3, 7);
  RunMs(5);
  EXPECT_EQ(hb_.received, (Ids{2, 3}));
  EXPECT_EQ(net_.stats().drops(DropReason::kFilter), 1u);
  EXPECT_TRUE(net_.RemoveFilter(f));
  EXPECT_FALSE(net_.RemoveFilter(f));
  Send(ab, a_, 4, 7);
  RunMs(5);
  EXPECT_EQ(hb_.received, (Ids{2, 3, 4}));
}

TEST_F(NetworkTest, CrashResetTravelsThroughFaults) {
  const ConnId ab = Open(a_, b_);
  const FaultId f = net_.Partition({a_}, {b_}, FaultMode::kHold);
  sim_.Crash(pa_, CrashKind::kProcess);
  RunMs(50);
  EXPECT_TRUE(hb_.closed.empty());  // the reset is held with everything else
  EXPECT_EQ(net_.state(ab, b_), ConnState::kOpen);
  net_.Heal(f);
  RunMs(1);
  EXPECT_EQ(hb_.closed, std::vector<ConnId>{ab});
}

TEST_F(NetworkTest, FaultsAreTraced) {
  VectorTraceSink sink;
  sim_.set_trace_sink(&sink);
  const FaultId f = net_.Partition({a_}, {b_, c_}, FaultMode::kHold);
  net_.BlockOneWay({c_}, EndpointSet::All(), FaultMode::kDrop);
  net_.Heal(f);
  net_.HealAll();
  std::vector<std::string> lines;
  for (const TraceRecord& r : sink.records()) lines.push_back(r.ToString());
  EXPECT_EQ(lines,
            (std::vector<std::string>{
                "0.000000s - net.fault fault=1 what=partition {0} | {1,2} mode=hold",
                "0.000000s - net.fault fault=2 what=block {2} -> * mode=drop",
                "0.000000s - net.heal fault=1 what=partition {0} | {1,2} mode=hold",
                "0.000000s - net.heal-all"}));
}

}  // namespace
}  // namespace slotsim::sim::testing
