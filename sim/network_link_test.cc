// Per-link options: delays per pair, queue bounds, loss, duplication and
// reordering.

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/network_testing.h"

namespace slotsim::sim::testing {
namespace {

using Ids = std::vector<uint64_t>;

TEST_F(NetworkTest, PerPairDelayOverridesTheDefault) {
  LinkOptions slow;
  slow.delay = DelayModel::Fixed(Duration::Millis(10));
  net_.SetLink(a_, b_, slow);  // a -> b only
  const ConnId conn = net_.Connect(a_, b_);
  sim_.RunFor(Duration::Millis(20));
  EXPECT_EQ(hb_.accepted.size(), 1u);
  Send(conn, a_, 1);
  Send(conn, b_, 2);
  const Time sent = sim_.now();
  RunMs(20);
  EXPECT_EQ(hb_.received_at, std::vector<Time>{sent + Duration::Millis(10)});
  EXPECT_EQ(ha_.received_at, std::vector<Time>{sent + Duration::Millis(1)});
  EXPECT_EQ(net_.Link(b_, a_).delay.base(), Duration::Millis(1));
}

TEST_F(NetworkTest, QueueBoundDropsTheOverflowAndCountsIt) {
  LinkOptions small;
  small.capacity = 3;
  net_.SetDefaultLink(small);
  const ConnId conn = Open(a_, b_);
  sim_.Pause(pb_);  // nothing is taken off the queue
  int accepted = 0;
  for (uint64_t i = 1; i <= 5; ++i) accepted += Send(conn, a_, i) ? 1 : 0;
  EXPECT_EQ(accepted, 3);
  RunMs(5);
  // Arrived but waiting for the paused owner still counts against the bound.
  EXPECT_FALSE(Send(conn, a_, 6));
  EXPECT_EQ(net_.stats().drops(DropReason::kOverflow), 3u);
  sim_.Resume(pb_);
  RunMs(5);
  EXPECT_EQ(hb_.received, (Ids{1, 2, 3}));
  EXPECT_TRUE(Send(conn, a_, 7));
  RunMs(5);
  EXPECT_EQ(hb_.received, (Ids{1, 2, 3, 7}));
  ExpectConservation();
}

TEST_F(NetworkTest, ConnectBufferIsBoundedToo) {
  LinkOptions small;
  small.capacity = 2;
  net_.SetDefaultLink(small);
  const ConnId conn = net_.Connect(a_, b_);
  EXPECT_TRUE(Send(conn, a_, 1));
  EXPECT_TRUE(Send(conn, a_, 2));
  EXPECT_FALSE(Send(conn, a_, 3));
  RunMs(5);
  EXPECT_EQ(hb_.received, (Ids{1, 2}));
}

TEST_F(NetworkTest, LossDropsAboutTheRequestedFraction) {
  LinkOptions lossy;
  lossy.loss = Ratio{1, 4};
  net_.SetDefaultLink(lossy);
  const ConnId conn = Open(a_, b_);
  for (uint64_t i = 0; i < 4000; ++i) EXPECT_TRUE(Send(conn, a_, i));
  RunMs(5);
  const uint64_t lost = net_.stats().drops(DropReason::kLoss);
  EXPECT_NEAR(static_cast<double>(lost), 1000.0, 120.0);
  EXPECT_EQ(hb_.received.size(), 4000 - lost);
  EXPECT_TRUE(std::is_sorted(hb_.received.begin(), hb_.received.end()));
  ExpectConservation();
}

TEST_F(NetworkTest, DuplicationDeliversCopiesBackToBack) {
  LinkOptions dup;
  dup.duplicate = Ratio{1, 1};
  net_.SetDefaultLink(dup);
  const ConnId conn = Open(a_, b_);
  Send(conn, a_, 1);
  Send(conn, a_, 2);
  RunMs(5);
  EXPECT_EQ(hb_.received, (Ids{1, 1, 2, 2}));
  EXPECT_EQ(net_.stats().duplicated(), 2u);
  EXPECT_EQ(net_.stats().total().sent_messages, 4u);
  ExpectConservation();
}

TEST_F(NetworkTest, ReorderingLetsAMessageOvertakeThePreviousOne) {
  LinkOptions shuffled;
  shuffled.reorder = Ratio{1, 1};
  net_.SetDefaultLink(shuffled);
  const ConnId conn = Open(a_, b_);
  Send(conn, a_, 1);
  Send(conn, a_, 2);  // overtakes 1
  RunMs(5);
  Send(conn, a_, 3);  // nothing in flight to overtake
  RunMs(5);
  EXPECT_EQ(hb_.received, (Ids{2, 1, 3}));
  EXPECT_EQ(net_.stats().reordered(), 1u);
}

TEST_F(NetworkTest, ReorderingNeverOvertakesTheHandshake) {
  LinkOptions shuffled;
  shuffled.reorder = Ratio{1, 1};
  net_.SetDefaultLink(shuffled);
  const ConnId conn = net_.Connect(a_, b_);
  Send(conn, a_, 1);
  RunMs(1);  // b accepted; its message queues behind the SYN-ACK
  Send(conn, b_, 2);
  RunMs(5);
  EXPECT_EQ(log_, (std::vector<std::string>{"1 b accept from=0", "2 a connected",
                                            "2 a msg 2", "3 b msg 1"}));
}

TEST_F(NetworkTest, SomeReorderingUnderRandomDelayStillDeliversEverything) {
  LinkOptions link;
  link.delay = DelayModel::Uniform(Duration::Millis(1), Duration::Millis(5));
  link.reorder = Ratio{1, 10};
  net_.SetDefaultLink(link);
  const ConnId conn = net_.Connect(a_, b_);
  RunMs(20);
  for (uint64_t i = 0; i < 1000; ++i) {
    Send(conn, a_, i);
    if (i % 7 == 0) sim_.RunFor(Duration::Micros(300));
  }
  RunMs(100);
  ASSERT_EQ(hb_.received.size(), 1000u);
  EXPECT_FALSE(std::is_sorted(hb_.received.begin(), hb_.received.end()));
  Ids sorted = hb_.received;
  std::sort(sorted.begin(), sorted.end());
  for (uint64_t i = 0; i < 1000; ++i) ASSERT_EQ(sorted[i], i);
  EXPECT_GT(net_.stats().reordered(), 50u);
}

}  // namespace
}  // namespace slotsim::sim::testing
