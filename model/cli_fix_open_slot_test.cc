#include "model/cli_fix_open_slot.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/cli_step.h"

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

TEST(PlanFixOpenSlotTest, Case1InterruptedMoveBeforeAnyKeyArrived) {
  auto nodes = Cluster();
  nodes[0].migrating = {{kSlot, Name('b')}};
  nodes[1].importing = {{kSlot, Name('a')}};
  const FixOpenSlotPlan plan = PlanFixOpenSlot(nodes, kSlot, {5, 0, 0, 5});
  EXPECT_TRUE(plan.ok);
  EXPECT_EQ(plan.open_case, OpenSlotCase::kMoveToImporting);
  EXPECT_EQ(plan.owner, 0);
  EXPECT_EQ(
      CliStepStrings(plan.steps),
      (Strings{"log >>> Fixing open slot 100", "log Set as migrating in: 127.0.0.1:7000",
               "log Set as importing in: 127.0.0.1:7001",
               "log >>> Case 1: Moving slot 100 from 127.0.0.1:7000 to 127.0.0.1:7001",
               "move 0->1 slot 100 update"}));
}

// Keys on both sides of an interrupted move: the importing node counts as an
// owner too, the one with most keys wins, and the keys are cold-moved (case 2).
TEST(PlanFixOpenSlotTest, KeysOnBothSidesBecomeCase2) {
  auto nodes = Cluster();
  nodes[0].migrating = {{kSlot, Name('b')}};
  nodes[1].importing = {{kSlot, Name('a')}};
  const FixOpenSlotPlan plan = PlanFixOpenSlot(nodes, kSlot, {2, 7, 0, 2});
  EXPECT_TRUE(plan.ok);
  EXPECT_EQ(plan.owners, (std::vector<int>{0, 1}));
  EXPECT_TRUE(plan.owner_chosen_by_keys);
  EXPECT_EQ(plan.owner, 1);
  EXPECT_EQ(plan.open_case, OpenSlotCase::kColdMoveToOwner);
  const std::string b = Id('b');
  EXPECT_EQ(
      CliStepStrings(plan.steps),
      (Strings{"log >>> Fixing open slot 100",
               "log *** Found keys about slot 100 in non-owner node 127.0.0.1:7001!",
               "log Set as migrating in: 127.0.0.1:7000",
               "log Set as importing in: 127.0.0.1:7001",
               "log >>> No single clear owner for the slot, selecting an owner by # "
               "of keys...",
               "log *** Configuring 127.0.0.1:7001 as the slot owner",
               "cmd 1 CLUSTER SETSLOT 100 STABLE", "owner 1 slot 100",
               "delslot 0 slot 100", "cmd 0 CLUSTER SETSLOT 100 node " + b,
               "cmd 0 CLUSTER SETSLOT 100 importing " + b,
               "log >>> Case 2: Moving all the 100 slot keys to its owner 127.0.0.1:7001",
               "move 0->1 slot 100 cold",
               "log >>> Setting 100 as STABLE in 127.0.0.1:7000",
               "cmd 0 CLUSTER SETSLOT 100 STABLE", "cmd 0 CLUSTER SETSLOT 100 NODE " + b,
               "cmd 2 CLUSTER SETSLOT 100 NODE " + b}));
}

TEST(PlanFixOpenSlotTest, Case2ImportingWithoutMigrating) {
  auto nodes = Cluster();
  nodes[1].importing = {{kSlot, Name('a')}};
  const FixOpenSlotPlan plan = PlanFixOpenSlot(nodes, kSlot, {0, 0, 0, 0});
  EXPECT_EQ(plan.open_case, OpenSlotCase::kColdMoveToOwner);
  EXPECT_FALSE(plan.owner_chosen_by_keys);
  const Strings steps = CliStepStrings(plan.steps);
  EXPECT_EQ(steps.back(),
            "cmd 2 CLUSTER SETSLOT 100 NODE " + Id('a'));  // replica skipped
  EXPECT_EQ(steps[3], "move 1->0 slot 100 cold");
}

TEST(PlanFixOpenSlotTest, Case3PicksTheMigrationTarget) {
  auto nodes = Cluster();
  nodes[0].migrating = {{kSlot, Name('c')}};
  nodes[1].importing = {{kSlot, Name('a')}};
  nodes[2].importing = {{kSlot, Name('a')}};
  FixOpenSlotPlan plan = PlanFixOpenSlot(nodes, kSlot, {4, 0, 0, 4});
  EXPECT_EQ(plan.open_case, OpenSlotCase::kMoveToTarget);
  Strings steps = CliStepStrings(plan.steps);
  EXPECT_EQ(steps[steps.size() - 2], "move 0->2 slot 100");
  EXPECT_EQ(steps.back(), "cmd 1 CLUSTER SETSLOT 100 STABLE");

  nodes[0].migrating = {{kSlot, Name('z')}};  // target among none of them
  plan = PlanFixOpenSlot(nodes, kSlot, {4, 0, 0, 4});
  EXPECT_EQ(plan.open_case, OpenSlotCase::kCloseAll);
  steps = CliStepStrings(plan.steps);
  EXPECT_EQ(
      Strings(steps.end() - 3, steps.end()),
      (Strings{"cmd 0 CLUSTER SETSLOT 100 STABLE", "cmd 1 CLUSTER SETSLOT 100 STABLE",
               "cmd 2 CLUSTER SETSLOT 100 STABLE"}));
}

TEST(PlanFixOpenSlotTest, Case4ClosesAMigratingOwner) {
  auto nodes = Cluster();
  nodes[0].migrating = {{kSlot, Name('b')}};
  const FixOpenSlotPlan plan = PlanFixOpenSlot(nodes, kSlot, {9, 0, 0, 9});
  EXPECT_TRUE(plan.ok);
  EXPECT_EQ(plan.open_case, OpenSlotCase::kCloseMigrating);
  EXPECT_EQ(CliStepStrings(plan.steps).back(), "cmd 0 CLUSTER SETSLOT 100 STABLE");
}

TEST(PlanFixOpenSlotTest, TwoMigratingNodesAreUnfixable) {
  auto nodes = Cluster();
  nodes[0].migrating = {{kSlot, Name('b')}};
  nodes[2].migrating = {{kSlot, Name('b')}};
  nodes[1].importing = {{kSlot, Name('a')}};
  const FixOpenSlotPlan plan = PlanFixOpenSlot(nodes, kSlot, {1, 0, 0, 1});
  EXPECT_FALSE(plan.ok);
  EXPECT_EQ(plan.open_case, OpenSlotCase::kUnfixable);
  EXPECT_EQ(
      plan.steps.back().text,
      "[ERR] Sorry, redis-cli can't fix this slot yet (work in progress). Slot is set "
      "as migrating in 127.0.0.1:7000,127.0.0.1:7002, as importing in "
      "127.0.0.1:7001, owner is 127.0.0.1:7000");
}

// Nobody owns the slot and nobody has keys: the first master in the list
// becomes the owner although it never claimed the slot.
TEST(PlanFixOpenSlotTest, UnclaimedSlotGoesToFirstMaster) {
  auto nodes = Cluster();
  nodes[0].slots.Clear(kSlot);
  nodes[2].importing = {{kSlot, Name('b')}};
  FixOpenSlotPlan plan = PlanFixOpenSlot(nodes, kSlot, {0, 0, 0, 0});
  EXPECT_TRUE(plan.owners.empty());
  EXPECT_EQ(plan.owner, 0);
  EXPECT_EQ(plan.open_case, OpenSlotCase::kColdMoveToOwner);

  // If that first master was the only open node, closing it empties both lists
  // and redis-cli then reports the slot as unfixable.
  nodes[2].importing.clear();
  nodes[0].importing = {{kSlot, Name('b')}};
  plan = PlanFixOpenSlot(nodes, kSlot, {0, 0, 0, 0});
  EXPECT_EQ(plan.open_case, OpenSlotCase::kUnfixable);
  EXPECT_EQ(CliStepStrings(plan.steps)[5], "owner 0 slot 100");
}

TEST(PlanFixOpenSlotTest, NoMasterNoOwner) {
  std::vector<CliNode> nodes = {MakeCliReplica(Name('r'), "h", 1, Name('a'))};
  nodes[0].importing = {{kSlot, Name('a')}};
  const FixOpenSlotPlan plan = PlanFixOpenSlot(nodes, kSlot, {0});
  EXPECT_EQ(plan.open_case, OpenSlotCase::kNoOwner);
  EXPECT_EQ(plan.steps.back().text,
            "[ERR] Can't select a slot owner. Impossible to fix.");
}

TEST(NodeWithMostKeysTest, FirstMasterWithStrictlyMostKeys) {
  auto nodes = Cluster();
  EXPECT_EQ(NodeWithMostKeys(nodes, {0, 1, 2, 3}, {0, 0, 0, 0}), 0);
  EXPECT_EQ(NodeWithMostKeys(nodes, {0, 1, 2, 3}, {1, 3, 3, 9}), 1);  // replica skipped
  EXPECT_EQ(NodeWithMostKeys(nodes, {3}, {0, 0, 0, 9}), -1);
}

}  // namespace
}  // namespace slotsim::model
