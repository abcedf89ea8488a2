#include "model/cli_rebalance_plan.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"

namespace slotsim::model {
namespace {

NodeName Name(char c) { return NodeName::FromString(std::string(40, c)); }

SlotBitmap Range(int a, int b) {
  SlotBitmap s;
  if (a <= b) s.SetRange(a, b);
  return s;
}

std::vector<CliNode> Cluster(const std::vector<std::pair<int, int>>& ranges) {
  std::vector<CliNode> nodes;
  for (size_t i = 0; i < ranges.size(); ++i) {
    nodes.push_back(MakeCliMaster(Name('a' + i), "127.0.0.1", 7000 + static_cast<int>(i),
                                  Range(ranges[i].first, ranges[i].second)));
  }
  return nodes;
}

std::vector<CliNode> ThreePlusEmpty() {
  auto nodes = Cluster({{0, 5460}, {5461, 10922}, {10923, 16383}, {1, 0}});
  nodes.push_back(MakeCliReplica(Name('r'), "127.0.0.1", 7010, Name('a')));
  return nodes;
}

TEST(PlanRebalanceTest, BalancedClusterNeedsNothing) {
  auto plan = PlanRebalance(ThreePlusEmpty(), {});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_FALSE(plan->needed);
  EXPECT_EQ(plan->lines, (std::vector<std::string>{
                             "*** No rebalancing needed! All nodes are within the 2.00% "
                             "threshold."}));
  EXPECT_EQ(plan->nodes.size(), 3u);  // the empty master is left out
}

TEST(PlanRebalanceTest, UseEmptyMastersFillsTheNewNode) {
  RebalanceOptions options;
  options.use_empty_masters = true;
  auto plan = PlanRebalance(ThreePlusEmpty(), options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_TRUE(plan->needed);
  // Balances: a 1365, b 1366, c 1365, d -4096; sorted d, a, c, b.
  ASSERT_EQ(plan->nodes.size(), 4u);
  EXPECT_EQ(plan->nodes[0].node, 3);
  EXPECT_EQ(plan->nodes[0].balance, -4096);
  EXPECT_EQ(plan->nodes[1].node, 0);
  EXPECT_EQ(plan->nodes[2].node, 2);
  EXPECT_EQ(plan->nodes[3].node, 1);
  ASSERT_EQ(plan->moves.size(), 3u);
  EXPECT_EQ(plan->moves[0].src, 1);
  EXPECT_EQ(plan->moves[0].numslots, 1366);
  EXPECT_EQ(plan->moves[0].slots.front(), 5461);
  EXPECT_EQ(plan->moves[1].src, 2);
  EXPECT_EQ(plan->moves[1].slots.front(), 10923);
  EXPECT_EQ(plan->moves[2].src, 0);
  EXPECT_EQ(plan->moves[2].slots.back(), 1364);
  EXPECT_EQ(plan->lines[0], ">>> Rebalancing across 4 nodes. Total weight = 4.00");
  EXPECT_EQ(plan->lines[1], "Moving 1366 slots from 127.0.0.1:7001 to 127.0.0.1:7003");
  EXPECT_EQ(plan->lines[2], std::string(1366, '#'));
  EXPECT_EQ(plan->lines.size(), 7u);
}

TEST(PlanRebalanceTest, WeightsByAbbreviatedName) {
  RebalanceOptions options;
  options.weights = {"AAAA=2"};
  options.verbose = true;
  auto plan = PlanRebalance(ThreePlusEmpty(), options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_FLOAT_EQ(plan->total_weight, 4.0f);
  ASSERT_EQ(plan->moves.size(), 2u);
  EXPECT_EQ(plan->moves[0].src, 1);
  EXPECT_EQ(plan->moves[0].dst, 0);
  EXPECT_EQ(plan->moves[0].numslots, 1366);
  EXPECT_EQ(plan->moves[1].src, 2);
  EXPECT_EQ(plan->moves[1].numslots, 1365);
  EXPECT_EQ(plan->lines[1], "127.0.0.1:7000 balance is -2731 slots");
}

// Balances a +10923, b -5461, c -5461 sum to 1: b is decremented once. The
// second move from a starts after the slots the first one took (OPT_UPDATE).
TEST(PlanRebalanceTest, RoundingAdjustmentAndUpdatedSourceSlots) {
  RebalanceOptions options;
  options.use_empty_masters = true;
  auto plan = PlanRebalance(Cluster({{0, 16383}, {1, 0}, {1, 0}}), options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->nodes[0].node, 1);
  EXPECT_EQ(plan->nodes[0].balance, -5462);
  EXPECT_EQ(plan->nodes[1].balance, -5461);
  ASSERT_EQ(plan->moves.size(), 2u);
  EXPECT_EQ(plan->moves[0].numslots, 5462);
  EXPECT_EQ(plan->moves[0].slots.back(), 5461);
  EXPECT_EQ(plan->moves[1].numslots, 5461);
  EXPECT_EQ(plan->moves[1].slots.front(), 5462);
}

TEST(PlanRebalanceTest, ThresholdRules) {
  RebalanceOptions options;
  options.use_empty_masters = true;
  options.threshold = 0;  // never over a threshold of 0
  auto plan = PlanRebalance(ThreePlusEmpty(), options);
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(plan->needed);
  EXPECT_EQ(plan->lines[0],
            "*** No rebalancing needed! All nodes are within the 0.00% threshold.");
  // 5000 vs expected 5461: 9.2% off; under a 10% threshold nothing happens.
  options.threshold = 10;
  auto near = PlanRebalance(Cluster({{0, 4999}, {5000, 10922}, {10923, 16383}}), options);
  ASSERT_TRUE(near.ok());
  EXPECT_FALSE(near->needed);
  options.threshold = 9;
  near = PlanRebalance(Cluster({{0, 4999}, {5000, 10922}, {10923, 16383}}), options);
  ASSERT_TRUE(near.ok());
  EXPECT_TRUE(near->needed);
}

TEST(PlanRebalanceTest, Errors) {
  RebalanceOptions options;
  options.weights = {"aaaa"};
  auto bad = PlanRebalance(ThreePlusEmpty(), options);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "*** invalid input aaaa");
  options.weights = {"zz=1"};
  bad = PlanRebalance(ThreePlusEmpty(), options);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "*** No such master node zz");
  options.weights = {"a=0", "b=0", "c=0"};
  EXPECT_FALSE(PlanRebalance(ThreePlusEmpty(), options).ok());
}

// A negative weight makes a node give more slots than it has: the reshard
// table comes up short and redis-cli stops with its "assertion" message.
TEST(PlanRebalanceTest, ShortTableAborts) {
  RebalanceOptions options;
  options.weights = {"a=-1", "b=1", "c=1"};
  auto plan = PlanRebalance(Cluster({{0, 5460}, {5461, 10922}, {10923, 16383}}), options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_TRUE(plan->table_assertion_failed);
  EXPECT_EQ(plan->lines.back(), "*** Assertion failed: Reshard table != number of slots");
}

// Random contiguous layouts and weights: every move takes slots its source owns
// at that point, no slot moves twice, and every node ends at its target count.
RC_GTEST_PROP(PlanRebalanceProp, MovesReachTheBalance, ()) {
  const int masters = *rc::gen::inRange(2, 9);
  std::vector<int> cuts =
      *rc::gen::unique<std::vector<int>>(masters - 1, rc::gen::inRange(1, kClusterSlots));
  std::sort(cuts.begin(), cuts.end());
  std::vector<std::pair<int, int>> ranges;
  int first = 0;
  for (int c : cuts) {
    ranges.push_back({first, c - 1});
    first = c;
  }
  ranges.push_back({first, kClusterSlots - 1});
  RebalanceOptions options;
  options.use_empty_masters = true;
  for (int i = 0; i < masters; ++i) {
    options.weights.push_back(std::string(1, static_cast<char>('a' + i)) + "=" +
                              std::to_string(*rc::gen::inRange(1, 4)));
  }
  const std::vector<CliNode> nodes = Cluster(ranges);
  auto plan = PlanRebalance(nodes, options);
  RC_ASSERT(plan.ok());
  RC_ASSERT(!plan->table_assertion_failed);
  std::vector<SlotBitmap> owned;
  for (const CliNode& n : nodes) owned.push_back(n.slots);
  for (const RebalanceMove& m : plan->moves) {
    RC_ASSERT(static_cast<int>(m.slots.size()) == m.numslots);
    for (int s : m.slots) {
      RC_ASSERT(owned[m.src].Test(s));
      owned[m.src].Clear(s);
      owned[m.dst].Set(s);
    }
  }
  if (!plan->needed) return;
  for (const RebalanceNode& row : plan->nodes) {
    // Final count = initial - (adjusted) balance.
    RC_ASSERT(owned[row.node].Count() == nodes[row.node].slots_count - row.balance);
  }
}

}  // namespace
}  // namespace slotsim::model
