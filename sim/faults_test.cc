#include "sim/faults.h"

#include "gtest/gtest.h"

namespace slotsim::sim {
namespace {

const EndpointId e0(0), e1(1), e2(2), e3(3);

TEST(EndpointSetTest, SortsDeduplicatesAndMatches) {
  const EndpointSet s{e2, e0, e2};
  EXPECT_EQ(s.members(), (std::vector<EndpointId>{e0, e2}));
  EXPECT_TRUE(s.Contains(e0));
  EXPECT_FALSE(s.Contains(e1));
  EXPECT_EQ(s.ToString(), "{0,2}");
  EXPECT_TRUE(EndpointSet::All().Contains(e3));
  EXPECT_EQ(EndpointSet::All().ToString(), "*");
}

TEST(FaultTableTest, PartitionsAreSymmetricAndBlocksAreNot) {
  FaultTable t;
  t.AddBlock({e0}, {e1}, /*symmetric=*/true, FaultMode::kDrop);
  t.AddBlock({e2}, {e3}, /*symmetric=*/false, FaultMode::kHold);
  const Time now;
  EXPECT_EQ(t.Check(e0, e1, now), FaultTable::Action::kDrop);
  EXPECT_EQ(t.Check(e1, e0, now), FaultTable::Action::kDrop);
  EXPECT_EQ(t.Check(e2, e3, now), FaultTable::Action::kHold);
  EXPECT_EQ(t.Check(e3, e2, now), FaultTable::Action::kPass);
  EXPECT_EQ(t.Check(e0, e2, now), FaultTable::Action::kPass);
}

TEST(FaultTableTest, StrongestFaultWins) {
  FaultTable t;
  const Time now;
  t.AddClog({e0}, EndpointSet::All(), true, Time::FromMillis(10));
  EXPECT_EQ(t.Check(e0, e1, now), FaultTable::Action::kClog);
  t.AddBlock({e0}, {e1}, false, FaultMode::kHold);
  EXPECT_EQ(t.Check(e0, e1, now), FaultTable::Action::kHold);
  const FaultId drop = t.AddBlock({e0}, {e1}, false, FaultMode::kDrop);
  EXPECT_EQ(t.Check(e0, e1, now), FaultTable::Action::kDrop);
  t.AddBlock({e0}, {e1}, false, FaultMode::kReject);
  EXPECT_EQ(t.Check(e0, e1, now), FaultTable::Action::kReject);
  EXPECT_TRUE(t.Remove(drop));
  EXPECT_FALSE(t.Remove(drop));
  EXPECT_EQ(t.faults().size(), 3u);
  t.Clear();
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.Check(e0, e1, now), FaultTable::Action::kPass);
}

TEST(FaultTableTest, ExpiredClogsNoLongerStall) {
  FaultTable t;
  t.AddClog({e0}, {e1}, true, Time::FromMillis(10));
  EXPECT_EQ(t.Check(e1, e0, Time::FromMillis(9)), FaultTable::Action::kClog);
  EXPECT_EQ(t.Check(e1, e0, Time::FromMillis(10)), FaultTable::Action::kPass);
}

TEST(FaultTableTest, ExtraDelaysAddUpAndNeverStall) {
  FaultTable t;
  EXPECT_FALSE(t.has_extra_delay());
  t.AddExtraDelay({e0}, EndpointSet::All(), false, Duration::Millis(3));
  const FaultId second = t.AddExtraDelay({e0}, {e1}, true, Duration::Millis(4));
  EXPECT_TRUE(t.has_extra_delay());
  EXPECT_EQ(t.ExtraDelay(e0, e1), Duration::Millis(7));
  EXPECT_EQ(t.ExtraDelay(e1, e0), Duration::Millis(4));
  EXPECT_EQ(t.ExtraDelay(e2, e3), Duration::Zero());
  EXPECT_EQ(t.Check(e0, e1, Time()), FaultTable::Action::kPass);
  t.Remove(second);
  EXPECT_EQ(t.ExtraDelay(e1, e0), Duration::Zero());
}

TEST(FaultTableTest, IdsAreSequentialAndDescribed) {
  FaultTable t;
  const FaultId a = t.AddBlock({e0, e1}, {e2}, true, FaultMode::kHold);
  const FaultId b = t.AddClog({e3}, EndpointSet::All(), true, Time::FromMillis(5));
  EXPECT_EQ(a.value(), 1u);
  EXPECT_EQ(b.value(), 2u);
  EXPECT_EQ(t.Find(a)->ToString(), "partition {0,1} | {2} mode=hold");
  EXPECT_EQ(t.Find(b)->ToString(), "clog {3} <-> * until=0.005000s");
  EXPECT_EQ(t.Find(FaultId(9)), nullptr);
}

}  // namespace
}  // namespace slotsim::sim
