#include "props/no_lost_slot.h"

#include <gtest/gtest.h>

#include "props/testing/fake_cluster.h"
#include "props/testing/harness.h"

namespace slotsim::props {
namespace {

using sim::Duration;
using testing::FakeCluster;
using testing::Harness;

model::SlotBitmap All() {
  model::SlotBitmap b;
  b.SetRange(0, model::kClusterSlots - 1);
  return b;
}

TEST(NoLostSlot, FormedClusterServesEverySlot) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  EXPECT_TRUE(UnservedSlots(c.view(), All()).None());
  EXPECT_EQ(SlotsBoundSomewhere(c.view()).Count(), model::kClusterSlots);
  EXPECT_EQ(BoundSlots(c.state("r2")), model::kClusterSlots);
}

TEST(NoLostSlot, UnboundSlotIsUnserved) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  for (const char* n : {"m1", "m2", "m3", "r1", "r2", "r3"}) c.Bind(n, 10, 19, "");
  const model::SlotBitmap bad = UnservedSlots(c.view(), All());
  EXPECT_EQ(bad.ToRangeString(), "10-19");
  EXPECT_EQ(BoundSlots(c.state("m1")), model::kClusterSlots - 10);
}

TEST(NoLostSlot, SlotOfADownOrNonClaimingOwnerIsUnserved) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  c.Down("m2");
  EXPECT_EQ(UnservedSlots(c.view(), All()).ToRangeString(), "5461-10921");
  c.Up("m2");
  // m3 no longer binds its own slot 16000 (it thinks m1 has it); the others
  // still say m3.
  c.Bind("m3", 16000, 16000, "m1");
  EXPECT_EQ(UnservedSlots(c.view(), All()).ToRangeString(), "16000");
}

TEST(NoLostSlot, DeletedSlotsOfCommand) {
  EXPECT_EQ(DeletedSlotsOfCommand("CLUSTER DELSLOTS 1 5 7"), (std::vector<int>{1, 5, 7}));
  EXPECT_EQ(DeletedSlotsOfCommand("cluster delslotsrange 1 3 10 10"),
            (std::vector<int>{1, 2, 3, 10}));
  EXPECT_TRUE(DeletedSlotsOfCommand("CLUSTER ADDSLOTS 1").empty());
  EXPECT_TRUE(DeletedSlotsOfCommand("CLUSTER DELSLOTS 99999").empty());
}

// ---------------------------------------------------------------- on a world

TEST(NoLostSlotWorld, FailoverPartitionAndHealLoseNothing) {
  Harness h(Harness::Options(3, 1, 1000, /*seed=*/17));
  NoLostSlotChecker checker;
  h.Add(&checker);
  ASSERT_TRUE(h.FormCluster(3, 1));
  h.world().Partition({{"m3", "r1"}, {"m1", "m2", "r2", "r3"}}, sim::FaultMode::kDrop);
  h.RunFor(Duration::Seconds(6));
  ASSERT_TRUE(h.world().Crash("m2"));
  h.RunFor(Duration::Seconds(6));
  ASSERT_TRUE(h.Heal());
  h.Finish();
  EXPECT_TRUE(checker.ok()) << checker.violations()[0].message;
}

TEST(NoLostSlotWorld, DelslotsIsOnPurposeButForgettingTheOwnerLosesSlots) {
  Harness h(Harness::Options(3, 0, 1000, /*seed=*/19));
  NoLostSlotChecker checker;
  h.Add(&checker);
  ASSERT_TRUE(h.FormCluster(3, 0));
  // DELSLOTS everywhere: on purpose, never reported.
  for (const char* n : {"m1", "m2", "m3"}) {
    ASSERT_FALSE(h.Command(n, {"CLUSTER", "DELSLOTS", "16383"}).is_error());
  }
  h.RunFor(Duration::Seconds(1));
  // m2 dies for good and an operator makes the others forget it: its slots
  // end up bound to nobody (FORGET itself is allowed to unbind).
  const std::string m2 = h.world().node("m2")->name().str();
  ASSERT_TRUE(h.world().Crash("m2"));
  h.RunFor(Duration::Seconds(1));
  for (const char* n : {"m1", "m3"}) {
    ASSERT_FALSE(h.Command(n, {"CLUSTER", "FORGET", m2}).is_error());
  }
  h.RunFor(Duration::Seconds(2));
  EXPECT_TRUE(checker.ok()) << checker.violations()[0].message;
  h.Finish();  // no heal: m2 stays down
  ASSERT_EQ(checker.violations().size(), 1u);
  EXPECT_NE(checker.violations()[0].message.find("5461-10922"), std::string::npos)
      << checker.violations()[0].message;
}

}  // namespace
}  // namespace slotsim::props
