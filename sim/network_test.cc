// Network basics: the connection handshake, FIFO delivery, close, counters.

#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/network_testing.h"

namespace slotsim::sim::testing {
namespace {

using Log = std::vector<std::string>;

TEST_F(NetworkTest, HandshakeTakesOneWayToAcceptAndARoundTripToConnect) {
  const ConnId conn = net_.Connect(a_, b_);
  EXPECT_EQ(net_.state(conn, a_), ConnState::kConnecting);
  EXPECT_EQ(net_.state(conn, b_), ConnState::kNone);
  EXPECT_EQ(net_.Peer(conn, a_), b_);
  EXPECT_EQ(net_.Peer(conn, b_), a_);
  RunMs(5);
  EXPECT_EQ(log_, (Log{"1 b accept from=0", "2 a connected"}));
  EXPECT_EQ(hb_.accepted, std::vector<ConnId>{conn});
  EXPECT_EQ(ha_.connected, std::vector<ConnId>{conn});
  EXPECT_EQ(net_.live_connections(), 1u);
}

TEST_F(NetworkTest, MessagesSentWhileConnectingAreFlushedInOrderOnConnect) {
  const ConnId conn = net_.Connect(a_, b_);
  EXPECT_TRUE(Send(conn, a_, 1));
  EXPECT_TRUE(Send(conn, a_, 2));
  EXPECT_TRUE(Send(conn, a_, 3));
  RunMs(10);
  EXPECT_EQ(log_, (Log{"1 b accept from=0", "2 a connected", "3 b msg 1", "3 b msg 2",
                       "3 b msg 3"}));
  ExpectConservation();
}

TEST_F(NetworkTest, BothDirectionsCarryMessages) {
  const ConnId conn = Open(a_, b_);
  Send(conn, a_, 1);
  Send(conn, b_, 2);
  RunMs(1);
  EXPECT_EQ(log_, (Log{"3 b msg 1", "3 a msg 2"}));
}

TEST_F(NetworkTest, FifoPerDirectionUnderRandomDelay) {
  LinkOptions link;
  link.delay = DelayModel::Uniform(Duration::Micros(100), Duration::Millis(20));
  net_.SetDefaultLink(link);
  const ConnId conn = net_.Connect(a_, b_);
  sim_.RunFor(Duration::Millis(100));
  ASSERT_EQ(net_.state(conn, a_), ConnState::kOpen);
  // 2000 messages, sent in bursts at random instants.
  Rng rng(5);
  uint64_t next = 0;
  for (int burst = 0; burst < 200; ++burst) {
    const int n = static_cast<int>(rng.Uniform(20));
    for (int i = 0; i < n; ++i) Send(conn, a_, next++);
    sim_.RunFor(Duration::Micros(static_cast<int64_t>(rng.Uniform(5000))));
  }
  sim_.RunFor(Duration::Seconds(1));
  ASSERT_EQ(hb_.received.size(), next);
  for (uint64_t i = 0; i < next; ++i) ASSERT_EQ(hb_.received[i], i);
  for (size_t i = 1; i < hb_.received_at.size(); ++i) {
    ASSERT_LE(hb_.received_at[i - 1], hb_.received_at[i]);
  }
  // The delays really varied: deliveries are spread over many instants.
  std::set<Time> instants(hb_.received_at.begin(), hb_.received_at.end());
  // (The FIFO rule batches each burst behind its slowest message.)
  EXPECT_GT(instants.size(), 150u);
}

TEST_F(NetworkTest, CloseDeliversWhatWasSentThenTellsThePeer) {
  const ConnId conn = Open(a_, b_);
  Send(conn, a_, 1);
  Send(conn, a_, 2);
  net_.Close(conn, a_);
  EXPECT_EQ(net_.state(conn, a_), ConnState::kClosed);
  EXPECT_FALSE(Send(conn, a_, 3));
  RunMs(5);
  EXPECT_EQ(log_, (Log{"3 b msg 1", "3 b msg 2", "3 b closed"}));
  EXPECT_FALSE(Send(conn, b_, 4));
  EXPECT_TRUE(ha_.closed.empty());  // the closer hears nothing more
  EXPECT_EQ(net_.live_connections(), 0u);
  EXPECT_FALSE(net_.IsLive(conn));
  EXPECT_EQ(net_.state(conn, a_), ConnState::kClosed);
  EXPECT_EQ(net_.stats().drops(DropReason::kClosed), 2u);
  ExpectConservation();
}

TEST_F(NetworkTest, MessagesTowardAClosedSideAreDroppedAndAnsweredWithAReset) {
  const ConnId conn = Open(a_, b_);
  Send(conn, b_, 1);  // in flight toward a when a closes
  net_.Close(conn, a_);
  RunMs(5);
  // b's message hit a closed socket: dropped, and a reset came back; but b had
  // already been told by the FIN (which crossed it), so it hears one close.
  EXPECT_TRUE(ha_.received.empty());
  EXPECT_EQ(log_, (Log{"3 b closed"}));
  EXPECT_EQ(net_.stats().drops(DropReason::kClosed), 1u);
  EXPECT_EQ(net_.live_connections(), 0u);
}

TEST_F(NetworkTest, ClosingWhileConnectingResetsTheAcceptedSide) {
  const ConnId conn = net_.Connect(a_, b_);
  Send(conn, a_, 1);
  net_.Close(conn, a_);
  RunMs(10);
  // The SYN was already out: b accepts, the SYN-ACK meets a closed socket and a
  // reset closes b's side. The buffered message never left.
  EXPECT_EQ(log_, (Log{"1 b accept from=0", "3 b closed"}));
  EXPECT_EQ(net_.live_connections(), 0u);
  EXPECT_EQ(net_.stats().total().delivered_messages, 0u);
  ExpectConservation();
}

TEST_F(NetworkTest, StaleConnectionIdsAreHarmless) {
  const ConnId conn = Open(a_, b_);
  net_.Close(conn, a_);
  RunMs(5);
  const ConnId fresh = Open(a_, c_);  // reuses the slot
  EXPECT_EQ(SlotOf(fresh), SlotOf(conn));
  EXPECT_NE(fresh, conn);
  EXPECT_FALSE(Send(conn, a_, 9));
  net_.Close(conn, a_);  // no-op
  EXPECT_EQ(net_.state(fresh, a_), ConnState::kOpen);
  Send(fresh, a_, 10);
  RunMs(2);
  EXPECT_EQ(hc_.received, std::vector<uint64_t>{10});
}

TEST_F(NetworkTest, CountersPerEndpointKindAndConnection) {
  const ConnId conn = Open(a_, b_);
  net_.Send(conn, a_, TestMessage{1, 3, "xx"});    // 10 bytes
  net_.Send(conn, a_, TestMessage{2, 4, "xxxx"});  // 12 bytes
  net_.Send(conn, b_, TestMessage{3, 3, ""});      // 8 bytes
  RunMs(2);
  const NetStats& s = net_.stats();
  EXPECT_EQ(s.total().sent_messages, 3u);
  EXPECT_EQ(s.total().delivered_messages, 3u);
  EXPECT_EQ(s.total().sent_bytes, 30u);
  EXPECT_EQ(s.endpoint(a_).sent_messages, 2u);
  EXPECT_EQ(s.endpoint(a_).delivered_messages, 1u);  // received by a
  EXPECT_EQ(s.endpoint(b_).delivered_bytes, 22u);
  EXPECT_EQ(s.kind(3).sent_messages, 2u);
  EXPECT_EQ(s.kind(4).delivered_bytes, 12u);
  EXPECT_EQ(s.endpoint_kind(a_, 3).sent_bytes, 10u);
  EXPECT_EQ(s.endpoint_kind(c_, 3).sent_bytes, 0u);
  EXPECT_EQ(net_.ConnCounters(conn, a_).delivered_messages, 2u);
  EXPECT_EQ(net_.ConnCounters(conn, b_).sent_bytes, 8u);
  EXPECT_EQ(s.kind(99).sent_messages, 0u);
}

TEST_F(NetworkTest, DeliveriesAreEventsInTheTraceHash) {
  const ConnId conn = Open(a_, b_);
  const uint64_t before = sim_.events_dispatched();
  Send(conn, a_, 1);
  Send(conn, a_, 2);
  RunMs(2);
  EXPECT_EQ(sim_.events_dispatched() - before, 2u);  // one pump per message
}

TEST_F(NetworkTest, ConnectionEventsAndMessagesCanBeTraced) {
  VectorTraceSink sink;
  sim_.set_trace_sink(&sink);
  Simulator sim;
  NetworkOptions options;
  options.trace_connections = true;
  options.trace_messages = true;
  Network<TestMessage> net(sim, Rng(1), TestTraits(), options);
  sim.set_trace_sink(&sink);
  RecordingHandler h1(sim, "x", nullptr);
  RecordingHandler h2(sim, "y", nullptr);
  const EndpointId x = net.AddEndpoint(sim.AddProcess("x"), &h1);
  const EndpointId y = net.AddEndpoint(sim.AddProcess("y"), &h2);
  const ConnId conn = net.Connect(x, y);
  net.Send(conn, x, TestMessage{1, 2, "abc"});
  sim.RunFor(Duration::Millis(5));
  std::vector<std::string> kinds;
  for (const TraceRecord& r : sink.records()) kinds.push_back(r.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"net.connect", "net.accept", "net.connected",
                                             "net.deliver"}));
  EXPECT_EQ(sink.records()[3].ToString(),
            "0.003000s p1 net.deliver conn=0.1 from=0 to=1 kind=2 bytes=11");
}

TEST_F(NetworkTest, ConnectingToItselfIsAProgrammingError) {
  EXPECT_DEATH(net_.Connect(a_, a_), "itself");
  sim_.Crash(pa_, CrashKind::kProcess);
  EXPECT_DEATH(net_.Connect(a_, b_), "crashed");
}

TEST_F(NetworkTest, EndpointWithoutHandlerIsAProgrammingError) {
  const EndpointId bare = net_.AddEndpoint(pc_);
  EXPECT_EQ(net_.owner(bare), pc_);
  net_.Connect(a_, bare);
  EXPECT_DEATH(RunMs(2), "no handler");
}

}  // namespace
}  // namespace slotsim::sim::testing
