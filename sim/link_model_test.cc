#include "sim/link_model.h"

#include "gtest/gtest.h"

namespace slotsim::sim {
namespace {

TEST(DelayModelTest, FixedAlwaysGivesTheSameDelay) {
  Rng rng(1);
  const DelayModel m = DelayModel::Fixed(Duration::Millis(3));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(m.Sample(rng), Duration::Millis(3));
  EXPECT_EQ(m.ToString(), "fixed(0.003000s)");
}

TEST(DelayModelTest, UniformCoversItsRangeInclusive) {
  Rng rng(2);
  const DelayModel m = DelayModel::Uniform(Duration::Micros(10), Duration::Micros(13));
  bool seen[4] = {false, false, false, false};
  for (int i = 0; i < 1000; ++i) {
    const int64_t us = m.Sample(rng).micros();
    ASSERT_GE(us, 10);
    ASSERT_LE(us, 13);
    seen[us - 10] = true;
  }
  for (bool s : seen) EXPECT_TRUE(s);
  EXPECT_EQ(m.ToString(), "uniform(0.000010s..0.000013s)");
  EXPECT_EQ(m.kind(), DelayModel::Kind::kUniform);
  EXPECT_EQ(m.spread(), Duration::Micros(3));
}

TEST(DelayModelTest, ExponentialHasBasePlusMean) {
  Rng rng(3);
  const DelayModel m = DelayModel::Exponential(Duration::Millis(1), Duration::Millis(2));
  int64_t sum = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const Duration d = m.Sample(rng);
    ASSERT_GE(d, Duration::Millis(1));
    sum += d.micros();
  }
  EXPECT_NEAR(static_cast<double>(sum) / n, 3000.0, 40.0);
  EXPECT_EQ(m.ToString(), "exp(0.001000s+0.002000s)");
}

TEST(DelayModelDeathTest, RejectsNegativeOrInvertedRanges) {
  EXPECT_DEATH(DelayModel::Fixed(Duration::Micros(-1)), "CHECK failed");
  EXPECT_DEATH(DelayModel::Uniform(Duration::Micros(5), Duration::Micros(4)),
               "CHECK failed");
}

TEST(LinkTableTest, PairOverridesAreDirectional) {
  LinkOptions slow;
  slow.delay = DelayModel::Fixed(Duration::Millis(50));
  LinkTable table;
  table.Set(EndpointId(1), EndpointId(2), slow);
  EXPECT_EQ(table.Get(EndpointId(1), EndpointId(2)).delay.base(), Duration::Millis(50));
  EXPECT_EQ(table.Get(EndpointId(2), EndpointId(1)).delay.base(), Duration::Millis(1));
  table.Reset(EndpointId(1), EndpointId(2));
  EXPECT_EQ(table.Get(EndpointId(1), EndpointId(2)).delay.base(), Duration::Millis(1));
  LinkOptions def;
  def.capacity = 7;
  table.SetDefault(def);
  EXPECT_EQ(table.Get(EndpointId(5), EndpointId(6)).capacity, 7u);
}

}  // namespace
}  // namespace slotsim::sim
