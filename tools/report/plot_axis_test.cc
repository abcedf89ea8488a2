#include "tools/report/plot_axis.h"

#include <cmath>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"

namespace slotsim::tools {
namespace {

std::vector<std::string> Labels(const PlotAxis& axis) {
  std::vector<std::string> labels;
  for (const Tick& tick : axis.ticks()) labels.push_back(tick.label);
  return labels;
}

using ::testing::ElementsAre;

TEST(PlotAxisTest, LinearOneTwoFive) {
  PlotAxis axis = PlotAxis::Linear(13, 97, 6);
  EXPECT_EQ(axis.lo(), 0);
  EXPECT_EQ(axis.hi(), 100);
  EXPECT_THAT(Labels(axis), ElementsAre("0", "20", "40", "60", "80", "100"));
  EXPECT_THAT(Labels(PlotAxis::Linear(0, 1, 6)),
              ElementsAre("0.0", "0.2", "0.4", "0.6", "0.8", "1.0"));
  EXPECT_THAT(Labels(PlotAxis::Linear(1000, 15000, 6)),
              ElementsAre("0", "5000", "10000", "15000"));
  EXPECT_THAT(Labels(PlotAxis::Linear(0.3, 0.7, 6)),
              ElementsAre("0.3", "0.4", "0.5", "0.6", "0.7"));
  // Step 2 would need six intervals (-8..4): too many for six ticks.
  EXPECT_THAT(Labels(PlotAxis::Linear(-7, 3, 6)), ElementsAre("-10", "-5", "0", "5"));
  EXPECT_THAT(Labels(PlotAxis::Linear(-7, 3, 7)),
              ElementsAre("-8", "-6", "-4", "-2", "0", "2", "4"));
}

TEST(PlotAxisTest, DegenerateRanges) {
  EXPECT_THAT(Labels(PlotAxis::Linear(0, 0, 6)),
              ElementsAre("0.0", "0.2", "0.4", "0.6", "0.8", "1.0"));
  PlotAxis axis = PlotAxis::Linear(1500, 1500, 6);
  EXPECT_LE(axis.lo(), 1500);
  EXPECT_GE(axis.hi(), 1500);
  EXPECT_LT(axis.lo(), axis.hi());
}

TEST(PlotAxisTest, LogDecades) {
  PlotAxis axis = PlotAxis::Log(3, 2500);
  EXPECT_TRUE(axis.is_log());
  EXPECT_EQ(axis.lo(), 2);
  EXPECT_EQ(axis.hi(), 5000);
  EXPECT_THAT(Labels(axis), ElementsAre("10", "100", "1000"));  // Decades only.
  EXPECT_THAT(Labels(PlotAxis::Log(1000, 15000)),
              ElementsAre("1000", "2000", "5000", "10000", "20000"));
  EXPECT_THAT(Labels(PlotAxis::Log(0.02, 0.5)),
              ElementsAre("0.02", "0.05", "0.1", "0.2", "0.5"));
  EXPECT_THAT(Labels(PlotAxis::Log(100, 100)), ElementsAre("100", "200"));
  EXPECT_THAT(Labels(PlotAxis::Log(7, 7)), ElementsAre("5", "10"));
}

TEST(PlotAxisTest, ToPixel) {
  PlotAxis linear = PlotAxis::Linear(0, 100, 6);
  EXPECT_DOUBLE_EQ(linear.ToPixel(50, 0, 400), 200);
  EXPECT_DOUBLE_EQ(linear.ToPixel(0, 300, 100), 300);  // y grows upward.
  EXPECT_DOUBLE_EQ(linear.ToPixel(100, 300, 100), 100);
  PlotAxis log = PlotAxis::Log(1, 100);
  EXPECT_NEAR(log.ToPixel(10, 0, 200), 100, 1e-9);
}

TEST(PlotAxisTest, TickLabels) {
  EXPECT_EQ(TickLabel(0.30000000000000004, 1), "0.3");
  EXPECT_EQ(TickLabel(999999999, 0), "999999999");
  EXPECT_EQ(TickLabel(2e9, 0), "2e+09");
  EXPECT_EQ(TickLabel(1e-12, 12), "1e-12");
  EXPECT_EQ(TickLabel(-0.0, 2), "0.00");
}

RC_GTEST_PROP(PlotAxisProperty, LinearCoversDataWithFewTicks, (int a, int b, int scale)) {
  const double s = std::pow(10.0, scale % 7 - 3);
  const double lo = std::min(a, b) * s, hi = std::max(a, b) * s;
  const int max_ticks = *rc::gen::inRange(3, 12);
  PlotAxis axis = PlotAxis::Linear(lo, hi, max_ticks);
  RC_ASSERT(axis.lo() <= lo + std::fabs(lo) * 1e-9);
  RC_ASSERT(axis.hi() >= hi - std::fabs(hi) * 1e-9);
  RC_ASSERT(axis.lo() < axis.hi());
  RC_ASSERT(axis.ticks().size() >= 2u);
  RC_ASSERT(axis.ticks().size() <= static_cast<size_t>(max_ticks));
  for (size_t i = 1; i < axis.ticks().size(); ++i) {
    RC_ASSERT(axis.ticks()[i - 1].value < axis.ticks()[i].value);
    RC_ASSERT(axis.ticks()[i - 1].label != axis.ticks()[i].label);
  }
}

RC_GTEST_PROP(PlotAxisProperty, LogCoversData, (unsigned a, unsigned b, int scale)) {
  const double s = std::pow(10.0, scale % 7 - 3);
  const double lo = (std::min(a, b) % 1000000 + 1) * s;
  const double hi = (std::max(a, b) % 1000000 + 1) * s;
  RC_PRE(lo <= hi);
  PlotAxis axis = PlotAxis::Log(lo, hi);
  RC_ASSERT(axis.lo() <= lo);
  RC_ASSERT(axis.hi() >= hi);
  RC_ASSERT(axis.lo() < axis.hi());
  RC_ASSERT(axis.ticks().size() >= 2u);
  for (const Tick& tick : axis.ticks()) {
    RC_ASSERT(tick.value >= axis.lo() && tick.value <= axis.hi());
  }
}

}  // namespace
}  // namespace slotsim::tools
