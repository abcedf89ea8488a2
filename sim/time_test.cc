#include "sim/time.h"

#include <sstream>

#include "gtest/gtest.h"

namespace slotsim::sim {
namespace {

TEST(DurationTest, ConstructorsAndAccessors) {
  EXPECT_EQ(Duration::Millis(1500).micros(), 1500000);
  EXPECT_EQ(Duration::Seconds(2).millis(), 2000);
  EXPECT_EQ(Duration::Micros(2999).millis(), 2);
  EXPECT_EQ(Duration::Zero().micros(), 0);
  EXPECT_EQ(Duration().micros(), 0);
}

TEST(DurationTest, MillisAndSecondsRoundTowardNegativeInfinity) {
  EXPECT_EQ(Duration::Micros(-1).millis(), -1);
  EXPECT_EQ(Duration::Micros(-1000).millis(), -1);
  EXPECT_EQ(Duration::Micros(-1001).millis(), -2);
  EXPECT_EQ(Duration::Micros(-1).seconds(), -1);
  EXPECT_EQ(Duration::Micros(999999).seconds(), 0);
}

TEST(DurationTest, Arithmetic) {
  const Duration a = Duration::Millis(300);
  const Duration b = Duration::Millis(200);
  EXPECT_EQ(a + b, Duration::Millis(500));
  EXPECT_EQ(a - b, Duration::Millis(100));
  EXPECT_EQ(b - a, Duration::Millis(-100));
  EXPECT_EQ(-a, Duration::Millis(-300));
  EXPECT_EQ(a * 3, Duration::Millis(900));
  EXPECT_EQ(3 * a, Duration::Millis(900));
  EXPECT_EQ(a / 3, Duration::Millis(100));
  EXPECT_EQ(a / b, 1);
  EXPECT_EQ(a % b, Duration::Millis(100));
  Duration c = a;
  c += b;
  EXPECT_EQ(c, Duration::Millis(500));
  c -= a;
  EXPECT_EQ(c, b);
  EXPECT_LT(b, a);
  EXPECT_LE(b, b);
  EXPECT_GT(a, b);
  EXPECT_GE(a, a);
  EXPECT_NE(a, b);
}

TEST(TimeTest, ArithmeticMixesOnlyWithDuration) {
  const Time t = Time() + Duration::Millis(1500);
  EXPECT_EQ(t.micros(), 1500000);
  EXPECT_EQ(t.millis(), 1500);
  EXPECT_EQ(t.seconds(), 1);
  EXPECT_EQ(t - Time(), Duration::Millis(1500));
  EXPECT_EQ(t - Duration::Millis(500), Time::FromMillis(1000));
  EXPECT_EQ(Time::FromMicros(7).micros(), 7);
  Time u = t;
  u += Duration::Micros(1);
  EXPECT_EQ(u - t, Duration::Micros(1));
  EXPECT_LT(t, u);
  EXPECT_GT(Time::Max(), u);
  EXPECT_EQ(Time::Zero(), Time());
}

TEST(TimeTest, ToStringPrintsSecondsWithMilliseconds) {
  EXPECT_EQ(Time::FromMicros(12345678).ToString(), "12.345s");
  EXPECT_EQ(Time::FromMicros(12345678).ToStringMicros(), "12.345678s");
  EXPECT_EQ(Time().ToString(), "0.000s");
  EXPECT_EQ(Duration::Micros(999).ToString(), "0.000s");
  EXPECT_EQ(Duration::Micros(1000).ToString(), "0.001s");
  EXPECT_EQ(Duration::Seconds(3600).ToString(), "3600.000s");
}

TEST(TimeTest, ToStringTruncatesTowardZeroAndKeepsTheSign) {
  EXPECT_EQ(Duration::Millis(-500).ToString(), "-0.500s");
  EXPECT_EQ(Duration::Micros(-12345678).ToString(), "-12.345s");
  EXPECT_EQ(Duration::Micros(-1).ToStringMicros(), "-0.000001s");
  EXPECT_EQ(Duration::Micros(INT64_MIN).ToStringMicros(), "-9223372036854.775808s");
  EXPECT_EQ(Duration::Max().ToStringMicros(), "9223372036854.775807s");
}

TEST(TimeTest, StreamsUseToString) {
  std::ostringstream out;
  out << Time::FromMillis(2500) << " " << Duration::Millis(-1);
  EXPECT_EQ(out.str(), "2.500s -0.001s");
}

}  // namespace
}  // namespace slotsim::sim
