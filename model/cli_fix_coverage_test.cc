#include "model/cli_fix_coverage.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/cli_step.h"
#include "sim/rng.h"

namespace slotsim::model {
namespace {

using Strings = std::vector<std::string>;

NodeName Name(char c) { return NodeName::FromString(std::string(40, c)); }
std::string Id(char c) { return std::string(40, c); }

SlotBitmap Range(int a, int b) {
  SlotBitmap s;
  s.SetRange(a, b);
  return s;
}

// a 0-5460 (7000), b 5461-10922 (7001), c 10923-16383 (7002), r replica of a.
std::vector<CliNode> Cluster() {
  return {MakeCliMaster(Name('a'), "127.0.0.1", 7000, Range(0, 5460)),
          MakeCliMaster(Name('b'), "127.0.0.1", 7001, Range(5461, 10922)),
          MakeCliMaster(Name('c'), "127.0.0.1", 7002, Range(10923, 16383)),
          MakeCliReplica(Name('r'), "127.0.0.1", 7003, Name('a'))};
}

constexpr int kSlot = 100;

TEST(FindOpenSlotsTest, WarningLines) {
  auto nodes = Cluster();
  EXPECT_TRUE(FindOpenSlots(nodes).lines.empty());
  nodes[0].migrating = {{7, Name('b')}, {5, Name('b')}};
  nodes[1].importing = {{9, Name('a')}};
  const OpenSlotsReport r = FindOpenSlots(nodes);
  EXPECT_EQ(r.slots, (std::vector<int>{5, 7, 9}));
  EXPECT_EQ(r.lines,
            (Strings{"[WARNING] Node 127.0.0.1:7000 has slots in migrating state 7,5.",
                     "[WARNING] Node 127.0.0.1:7001 has slots in importing state 9.",
                     "[WARNING] The following slots are open: 5,7,9."}));
}

TEST(UncoveredSlotsTest, ReplicaSlotsCountAsCovered) {
  auto nodes = Cluster();
  EXPECT_TRUE(UncoveredSlots(nodes).empty());
  nodes[0].slots.Clear(9);
  EXPECT_EQ(UncoveredSlots(nodes), (std::vector<int>{9}));
  nodes[3].slots.Set(9);  // redis-cli unions every node's slots
  EXPECT_TRUE(UncoveredSlots(nodes).empty());
}

TEST(PlanFixSlotsCoverageTest, ThreeGroups) {
  auto nodes = Cluster();
  for (int s = 0; s <= 4; ++s) nodes[0].slots.Clear(s);
  nodes[0].slots_count = nodes[0].slots.Count();
  SlotKeyCounts keys;
  keys[3] = {0, 2, 0, 0};
  keys[4] = {0, 1, 5, 9};  // the replica's count is ignored
  sim::Rng rng(1);
  const FixCoveragePlan plan = PlanFixSlotsCoverage(nodes, keys, rng);
  EXPECT_EQ(plan.uncovered, (std::vector<int>{0, 1, 2, 3, 4}));
  ASSERT_EQ(plan.groups.size(), 3u);
  const CoverageGroup& none = plan.groups[0];
  EXPECT_EQ(none.kind, CoverageGroup::Kind::kNoKeys);
  EXPECT_EQ(none.slots, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(none.header,
            (Strings{"The following uncovered slots have no keys across the cluster:",
                     "[0-2]"}));
  EXPECT_EQ(none.question, "Fix these slots by covering with a random node?");
  ASSERT_EQ(none.steps.size(), 6u);
  const int chosen = none.steps[1].node;
  EXPECT_TRUE(chosen >= 0 && chosen <= 2);  // a master, the same for every slot
  EXPECT_EQ(none.steps[3].node, chosen);
  EXPECT_EQ(none.steps[5].node, chosen);

  EXPECT_EQ(CliStepStrings(plan.groups[1].steps),
            (Strings{"log >>> Covering slot 3 with 127.0.0.1:7001", "owner 1 slot 3"}));
  EXPECT_EQ(plan.groups[1].header[1], "[3]");
  const std::string c = Id('c');
  EXPECT_EQ(CliStepStrings(plan.groups[2].steps),
            (Strings{"log >>> Covering slot 4 moving keys to 127.0.0.1:7002",
                     "owner 2 slot 4 clear", "cmd 1 CLUSTER SETSLOT 4 NODE " + c,
                     "cmd 1 CLUSTER SETSLOT 4 IMPORTING " + c, "move 1->2 slot 4 cold",
                     "cmd 1 CLUSTER SETSLOT 4 STABLE"}));
}

TEST(PlanFixSlotsCoverageTest, FullyCoveredHasNothingToDo) {
  sim::Rng rng(1);
  const FixCoveragePlan plan = PlanFixSlotsCoverage(Cluster(), {}, rng);
  EXPECT_TRUE(plan.uncovered.empty());
  EXPECT_TRUE(plan.groups.empty());
}

TEST(PlanFixMultipleSlotOwnersTest, MostKeysWinsOthersGiveUp) {
  auto nodes = Cluster();
  nodes[1].slots.Set(kSlot);  // a and b both own slot 100
  const std::vector<int64_t> keys = {1, 4, 0, 1};
  const std::vector<int> claimants = SlotClaimants(nodes, kSlot, keys);
  EXPECT_EQ(claimants, (std::vector<int>{0, 1}));
  const std::string b = Id('b');
  EXPECT_EQ(
      CliStepStrings(PlanFixMultipleSlotOwners(nodes, kSlot, claimants, keys)),
      (Strings{"log >>> Fixing multiple owners for slot 100...",
               "log >>> Setting slot 100 owner: 127.0.0.1:7001", "owner 1 slot 100",
               "delslot 0 slot 100 ignore-failure", "cmd 0 CLUSTER SETSLOT 100 node " + b,
               "move 0->1 slot 100 cold", "delslot 2 slot 100 ignore-failure",
               "cmd 2 CLUSTER SETSLOT 100 node " + b}));
}

}  // namespace
}  // namespace slotsim::model
