#include "sim/ring_queue.h"

#include <deque>
#include <string>

#include "gtest/gtest.h"
#include "sim/rng.h"

namespace slotsim::sim {
namespace {

TEST(RingQueueTest, StartsEmptyWithoutMemory) {
  RingQueue<int> q;
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0u);
}

TEST(RingQueueTest, FifoAcrossGrowthAndWraparound) {
  RingQueue<int> q;
  for (int i = 0; i < 3; ++i) q.push_back(i);
  q.pop_front();
  q.pop_front();
  for (int i = 3; i < 20; ++i) q.push_back(i);  // wraps, then grows
  EXPECT_EQ(q.size(), 18u);
  for (int i = 2; i < 20; ++i) {
    EXPECT_EQ(q.front(), i);
    q.pop_front();
  }
  EXPECT_TRUE(q.empty());
}

TEST(RingQueueTest, IndexingBackAndClear) {
  RingQueue<std::string> q;
  q.push_back("a");
  q.push_back("b");
  q.push_back("c");
  EXPECT_EQ(q[1], "b");
  EXPECT_EQ(q.back(), "c");
  q.back() = "z";
  EXPECT_EQ(q[2], "z");
  q.clear();
  EXPECT_TRUE(q.empty());
  q.push_back("d");
  EXPECT_EQ(q.front(), "d");
}

TEST(RingQueueTest, MoveLeavesTheSourceEmpty) {
  RingQueue<int> q;
  q.push_back(1);
  q.push_back(2);
  RingQueue<int> r = std::move(q);
  EXPECT_TRUE(q.empty());  // NOLINT: testing moved-from state
  EXPECT_EQ(r.size(), 2u);
  EXPECT_EQ(r.front(), 1);
  q.push_back(3);
  EXPECT_EQ(q.front(), 3);
}

TEST(RingQueueTest, MatchesDequeUnderRandomOperations) {
  Rng rng(3);
  RingQueue<int> q;
  std::deque<int> ref;
  for (int step = 0; step < 100000; ++step) {
    if (rng.Chance(11, 20) || ref.empty()) {
      q.push_back(step);
      ref.push_back(step);
    } else {
      ASSERT_EQ(q.front(), ref.front());
      q.pop_front();
      ref.pop_front();
    }
    ASSERT_EQ(q.size(), ref.size());
    if (!ref.empty()) {
      ASSERT_EQ(q.back(), ref.back());
    }
  }
}

TEST(RingQueueDeathTest, PopFromEmptyFails) {
  RingQueue<int> q;
  EXPECT_DEATH(q.pop_front(), "size_ > 0");
}

}  // namespace
}  // namespace slotsim::sim
