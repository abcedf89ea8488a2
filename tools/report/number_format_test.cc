#include "tools/report/number_format.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"

namespace slotsim::tools {
namespace {

TEST(FormatShortestTest, CommonValues) {
  EXPECT_EQ(FormatShortest(0.1), "0.1");
  EXPECT_EQ(FormatShortest(1.5), "1.5");
  EXPECT_EQ(FormatShortest(2.0), "2");
  EXPECT_EQ(FormatShortest(-3.25), "-3.25");
  EXPECT_EQ(FormatShortest(1e21), "1e+21");
  EXPECT_EQ(FormatShortest(123456789.0), "123456789");
  EXPECT_EQ(FormatShortest(-0.0), "0");
}

TEST(FormatShortestTest, NonFinite) {
  EXPECT_EQ(FormatShortest(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(FormatShortest(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(FormatShortest(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(FormatFixedTest, RoundsAndPads) {
  EXPECT_EQ(FormatFixed(2.0 / 3, 3), "0.667");
  EXPECT_EQ(FormatFixed(1, 2), "1.00");
  EXPECT_EQ(FormatFixed(1234.5, 0), "1234");  // Round half to even on the exact value.
  EXPECT_EQ(FormatFixed(0.125, 2), "0.12");   // 0.125 is exact: ties to even.
  EXPECT_EQ(FormatFixed(-1.005, 1), "-1.0");
}

TEST(FormatFixedTest, NeverPrintsNegativeZero) {
  EXPECT_EQ(FormatFixed(-0.0001, 2), "0.00");
  EXPECT_EQ(FormatFixed(-0.0, 0), "0");
  EXPECT_EQ(FormatFixed(-0.4, 0), "0");
}

TEST(FormatFixedTest, HugeValuesFit) {
  std::string text = FormatFixed(std::numeric_limits<double>::max(), 17);
  EXPECT_EQ(text.size(), 309u + 1 + 17);
}

TEST(FormatTrimmedTest, DropsTrailingZeros) {
  EXPECT_EQ(FormatTrimmed(12.5, 2), "12.5");
  EXPECT_EQ(FormatTrimmed(4.0, 2), "4");
  EXPECT_EQ(FormatTrimmed(100.0, 0), "100");
  EXPECT_EQ(FormatTrimmed(0.001, 2), "0");
  EXPECT_EQ(FormatTrimmed(-0.001, 2), "0");
  EXPECT_EQ(FormatTrimmed(-2.345, 2), "-2.35");  // -2.345 is stored just above.
}

RC_GTEST_PROP(FormatShortestProperty, RoundTripsExactly, (double value)) {
  RC_PRE(std::isfinite(value));
  std::string text = FormatShortest(value);
  double parsed = 0;
  std::from_chars_result result =
      std::from_chars(text.data(), text.data() + text.size(), parsed);
  RC_ASSERT(result.ec == std::errc());
  RC_ASSERT(result.ptr == text.data() + text.size());
  RC_ASSERT(parsed == value);
}

}  // namespace
}  // namespace slotsim::tools
