// The network and process faults: pause/resume, crash, power loss.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/network_testing.h"

namespace slotsim::sim::testing {
namespace {

using Log = std::vector<std::string>;
using Ids = std::vector<uint64_t>;

TEST_F(NetworkTest, PausedProcessReceivesNothingUntilResumedThenAllInOrder) {
  const ConnId ab = Open(a_, b_);
  const ConnId cb = Open(c_, b_);
  sim_.Pause(pb_);
  // Interleave messages from two peers with one of b's own timers.
  Send(ab, a_, 1);  // arrives 5 ms
  sim_.ScheduleFor(pb_, Time::FromMillis(6), EventTag{1, 0, 0}, [this] {
    log_.push_back(std::to_string(sim_.now().millis()) + " b timer");
  });
  RunMs(2);
  Send(cb, c_, 2);  // arrives 7 ms
  Send(ab, a_, 3);  // arrives 7 ms
  RunMs(20);
  EXPECT_TRUE(log_.empty());
  sim_.Resume(pb_);  // t = 26 ms
  RunMs(1);
  EXPECT_EQ(log_, (Log{"26 b msg 1", "26 b timer", "26 b msg 2", "26 b msg 3"}));
}

TEST_F(NetworkTest, MessagesArrivingJustAfterResumeQueueBehindTheBacklog) {
  const ConnId ab = Open(a_, b_);
  sim_.Pause(pb_);
  Send(ab, a_, 1);
  RunMs(5);         // t = 9
  Send(ab, a_, 2);  // arrives at 10, the resume instant
  sim_.Schedule(Time::FromMillis(10), EventTag{1, 0, 0}, [this] { sim_.Resume(pb_); });
  RunMs(5);
  EXPECT_EQ(hb_.received, (Ids{1, 2}));
}

TEST_F(NetworkTest, ConnectToAPausedProcessCompletesButAcceptWaits) {
  sim_.Pause(pb_);
  const ConnId conn = net_.Connect(a_, b_);
  Send(conn, a_, 1);
  RunMs(10);
  // The kernel answered the SYN; the owner has not run.
  EXPECT_EQ(log_, (Log{"2 a connected"}));
  EXPECT_EQ(net_.state(conn, b_), ConnState::kNone);
  sim_.Resume(pb_);
  RunMs(1);
  EXPECT_EQ(log_, (Log{"2 a connected", "10 b accept from=0", "10 b msg 1"}));
}

TEST_F(NetworkTest, PausedSenderSendsNothingMeanwhile) {
  const ConnId ab = Open(a_, b_);
  Send(ab, a_, 1);  // already on the wire: delivered
  sim_.Pause(pa_);
  RunMs(10);
  EXPECT_EQ(hb_.received, Ids{1});
  // While paused, a's pending deliveries wait too.
  Send(ab, b_, 2);
  RunMs(10);
  EXPECT_TRUE(ha_.received.empty());
  sim_.Resume(pa_);
  RunMs(1);
  EXPECT_EQ(ha_.received, Ids{2});
}

TEST_F(NetworkTest, ProcessCrashResetsConnectionsAndDropsItsEvents) {
  const ConnId ab = Open(a_, b_);
  const ConnId cb = Open(c_, b_);
  Send(ab, b_, 1);  // toward a, lost with the crash
  Send(ab, a_, 2);  // from a, not yet delivered: lost with the crash
  bool timer_ran = false;
  sim_.ScheduleForAfter(pa_, Duration::Millis(1), EventTag{1, 0, 0},
                        [&] { timer_ran = true; });
  sim_.Crash(pa_, CrashKind::kProcess);
  EXPECT_EQ(net_.state(ab, a_), ConnState::kClosed);
  RunMs(5);
  EXPECT_FALSE(timer_ran);
  // b hears of it through the reset, one link delay later.
  EXPECT_EQ(log_, (Log{"5 b closed"}));
  EXPECT_TRUE(hb_.received.empty());
  EXPECT_EQ(net_.state(cb, c_), ConnState::kOpen);
  EXPECT_EQ(net_.stats().drops(DropReason::kCrash), 2u);
  sim_.Restart(pa_);
  RunMs(5);
  EXPECT_TRUE(ha_.closed.empty());  // the new incarnation knows nothing of ab
  EXPECT_EQ(net_.live_connections(), 1u);
  ExpectConservation();
}

TEST_F(NetworkTest, ConnectToACrashedProcessIsRefusedAfterARoundTrip) {
  sim_.Crash(pb_, CrashKind::kProcess);
  const ConnId conn = net_.Connect(a_, b_);
  Send(conn, a_, 1);
  RunMs(5);
  EXPECT_EQ(log_, (Log{"2 a connect-failed"}));
  EXPECT_EQ(net_.stats().drops(DropReason::kClosed), 1u);  // the buffered message
  EXPECT_EQ(net_.live_connections(), 0u);
  ExpectConservation();
}

TEST_F(NetworkTest, PowerLossIsSilentUntilTheHostComesBack) {
  const ConnId ab = Open(a_, b_);
  sim_.Crash(pa_, CrashKind::kPowerLoss);
  RunMs(10);
  EXPECT_TRUE(log_.empty());  // no reset: the host is gone
  EXPECT_EQ(net_.state(ab, b_), ConnState::kOpen);
  Send(ab, b_, 1);
  RunMs(10);
  EXPECT_TRUE(log_.empty());  // lost in silence
  const ConnId pending = net_.Connect(b_, a_);
  RunMs(10);
  EXPECT_EQ(net_.state(pending, b_), ConnState::kConnecting);
  sim_.Restart(pa_);
  Send(ab, b_, 2);  // now the host answers with a reset
  RunMs(5);
  EXPECT_EQ(log_, (Log{"34 b closed"}));  // sent at 32 ms, reset back at 34
  EXPECT_TRUE(ha_.received.empty());
  net_.Close(pending, b_);
  EXPECT_EQ(net_.live_connections(), 0u);
}

TEST_F(NetworkTest, CrashWhilePausedDiscardsWhatWasWaiting) {
  const ConnId ab = Open(a_, b_);
  sim_.Pause(pb_);
  Send(ab, a_, 1);
  Send(ab, a_, 2);
  RunMs(5);
  sim_.Crash(pb_, CrashKind::kProcess);
  sim_.Restart(pb_);
  RunMs(5);
  EXPECT_TRUE(hb_.received.empty());
  EXPECT_EQ(log_, (Log{"8 a closed"}));  // crash at 7 ms, reset arrives at 8
  EXPECT_EQ(net_.stats().drops(DropReason::kCrash), 2u);
  EXPECT_EQ(net_.live_connections(), 0u);
  ExpectConservation();
}

TEST_F(NetworkTest, AcceptorCrashBeforeItsOwnerAcceptedResetsTheInitiator) {
  sim_.Pause(pb_);
  const ConnId conn = net_.Connect(a_, b_);
  RunMs(5);  // a is connected; b's accept waits
  sim_.Crash(pb_, CrashKind::kProcess);
  sim_.Restart(pb_);
  RunMs(5);
  EXPECT_EQ(log_, (Log{"2 a connected", "6 a closed"}));
  EXPECT_TRUE(hb_.accepted.empty());
  EXPECT_EQ(net_.state(conn, a_), ConnState::kClosed);
}

TEST_F(NetworkTest, ProcessCanReconnectAfterRestart) {
  Open(a_, b_);
  sim_.Crash(pa_, CrashKind::kProcess);
  RunMs(5);
  sim_.Restart(pa_);
  const ConnId again = Open(a_, b_);
  Send(again, a_, 7);
  RunMs(1);
  EXPECT_EQ(hb_.received, Ids{7});
}

}  // namespace
}  // namespace slotsim::sim::testing
