#include "model/cli_reshard_plan.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace slotsim::model {
namespace {

NodeName Name(char c) { return NodeName::FromString(std::string(40, c)); }

SlotBitmap Range(int a, int b) {
  SlotBitmap s;
  s.SetRange(a, b);
  return s;
}

// a: 0-5460, b: 5461-10922, c: 10923-16383, d: empty master, r: replica of a.
std::vector<CliNode> ThreeMastersPlusEmpty() {
  return {MakeCliMaster(Name('a'), "127.0.0.1", 7000, Range(0, 5460)),
          MakeCliMaster(Name('b'), "127.0.0.1", 7001, Range(5461, 10922)),
          MakeCliMaster(Name('c'), "127.0.0.1", 7002, Range(10923, 16383)),
          MakeCliMaster(Name('d'), "127.0.0.1", 7003, SlotBitmap()),
          MakeCliReplica(Name('e'), "127.0.0.1", 7004, Name('a'))};
}

int CountFrom(const std::vector<ReshardMove>& t, int source) {
  int n = 0;
  for (const auto& m : t) n += m.source == source;
  return n;
}

TEST(ComputeReshardTableTest, LargestSourceFirstRoundedUp) {
  const auto nodes = ThreeMastersPlusEmpty();
  const auto table = ComputeReshardTable(nodes, {0, 1, 2}, 4096);
  ASSERT_EQ(table.size(), 4096u);
  // b (5462 slots) goes first: 0.25 * 5462 = 1365.5 -> 1366; a, c: 1365.25 -> 1365.
  EXPECT_EQ(table.front(), (ReshardMove{5461, 1}));
  EXPECT_EQ(CountFrom(table, 1), 1366);
  EXPECT_EQ(table[1366], (ReshardMove{0, 0}));
  EXPECT_EQ(CountFrom(table, 0), 1365);
  EXPECT_EQ(CountFrom(table, 2), 1365);
  EXPECT_EQ(table.back(), (ReshardMove{10923 + 1364, 2}));
}

TEST(ComputeReshardTableTest, RoundingDownCanFallShort) {
  std::vector<CliNode> nodes;
  for (int i = 0; i < 3; ++i) {
    nodes.push_back(
        MakeCliMaster(Name('a' + i), "h", 7000 + i, Range(100 * i, 100 * i + 99)));
  }
  EXPECT_EQ(ComputeReshardTable(nodes, {0, 1, 2}, 100).size(), 100u);  // 34+33+33
  const auto two = ComputeReshardTable(nodes, {0, 1, 2}, 2);  // ceil .67, floor, floor
  EXPECT_EQ(two, (std::vector<ReshardMove>{{0, 0}}));
}

// Single precision matters: 30 / 38 as a float times 19 is 15.000001, so the
// first source rounds up to 16 and the second gives the remaining 14 (exact
// arithmetic would split 15/15).
TEST(ComputeReshardTableTest, SinglePrecisionLikeRedisCli) {
  std::vector<CliNode> nodes = {MakeCliMaster(Name('a'), "h", 1, Range(0, 18)),
                                MakeCliMaster(Name('b'), "h", 2, Range(100, 118))};
  const auto table = ComputeReshardTable(nodes, {0, 1}, 30);
  ASSERT_EQ(table.size(), 30u);
  EXPECT_EQ(CountFrom(table, 0), 16);
  EXPECT_EQ(CountFrom(table, 1), 14);
}

TEST(ComputeReshardTableTest, UsesSlotsCountButTakesOwnedSlots) {
  std::vector<CliNode> nodes = {MakeCliMaster(Name('a'), "h", 1, Range(10, 12))};
  EXPECT_EQ(ComputeReshardTable(nodes, {0}, 5).size(), 3u);  // only 3 slots owned
  EXPECT_TRUE(
      ComputeReshardTable({MakeCliMaster(Name('z'), "h", 1, SlotBitmap())}, {0}, 5)
          .empty());
  EXPECT_EQ(ReshardTableLines(nodes, {{10, 0}}),
            (std::vector<std::string>{"    Moving slot 10 from " + Name('a').str()}));
}

TEST(PlanReshardTest, AllSourcesExcludeTargetAndReplicas) {
  const auto nodes = ThreeMastersPlusEmpty();
  auto plan = PlanReshard(nodes, "all", Name('d').str(), 4096);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->target, 3);
  EXPECT_EQ(plan->sources, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(plan->table.size(), 4096u);
  EXPECT_EQ(plan->lines[0], "");
  EXPECT_EQ(plan->lines[1], "Ready to move 4096 slots.");
  EXPECT_EQ(plan->lines[2], "  Source nodes:");
  EXPECT_EQ(plan->lines[3], "    M: " + Name('a').str() + " 127.0.0.1:7000");
  EXPECT_EQ(plan->lines[4], "       slots:[0-5460] (5461 slots) master");
  EXPECT_EQ(plan->lines[9], "  Destination node:");
  EXPECT_EQ(plan->lines[12], "  Resharding plan:");
  EXPECT_EQ(plan->lines[13], "    Moving slot 5461 from " + Name('b').str());
}

TEST(PlanReshardTest, ExplicitSourcesAndErrors) {
  const auto nodes = ThreeMastersPlusEmpty();
  auto plan = PlanReshard(nodes, Name('c').str() + "," + Name('D').str() + ",",
                          Name('d').str(), 10);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->sources, (std::vector<int>{2}));
  EXPECT_EQ(plan->lines[0],
            "*** It is not possible to use the target node as source node.");
  EXPECT_EQ(plan->table.front(), (ReshardMove{10923, 2}));

  auto unknown = PlanReshard(nodes, "nope", Name('d').str(), 10);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(),
            "*** The specified node (nope) is not known or not a master, please retry.");
  EXPECT_FALSE(PlanReshard(nodes, Name('e').str(), Name('d').str(), 10).ok());  // replica
  EXPECT_FALSE(PlanReshard(nodes, "all", Name('e').str(), 10).ok());  // replica target
  auto none = PlanReshard(nodes, Name('d').str(), Name('d').str(), 10);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(), "*** No source nodes given, operation aborted.");
}

}  // namespace
}  // namespace slotsim::model
