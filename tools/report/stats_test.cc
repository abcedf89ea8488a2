#include "tools/report/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"

namespace slotsim::tools {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(QuantileTest, Type7MatchesR) {
  // R: quantile(1:10, c(0, .25, .5, .9, .99, 1), type = 7)
  std::vector<double> x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_DOUBLE_EQ(QuantileSorted(x, 0), 1);
  EXPECT_DOUBLE_EQ(QuantileSorted(x, 0.25), 3.25);
  EXPECT_DOUBLE_EQ(QuantileSorted(x, 0.5), 5.5);
  EXPECT_DOUBLE_EQ(QuantileSorted(x, 0.9), 9.1);
  EXPECT_DOUBLE_EQ(QuantileSorted(x, 0.99), 9.91);
  EXPECT_DOUBLE_EQ(QuantileSorted(x, 1), 10);
  EXPECT_DOUBLE_EQ(QuantileSorted({7}, 0.9), 7);
}

TEST(QuantileTest, InfinitiesDoNotMakeNaN) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(QuantileSorted({1, inf, inf}, 0.75), inf);
  EXPECT_EQ(QuantileSorted({1, 2, inf}, 0.5), 2);
}

TEST(StudentTTest, TableAndExpansion) {
  EXPECT_DOUBLE_EQ(StudentT975(1), 12.706204736174705);
  EXPECT_DOUBLE_EQ(StudentT975(30), 2.0422724563012383);
  // Reference values from the exact inverse CDF (mpmath, 30 digits).
  EXPECT_NEAR(StudentT975(31), 2.03951344639, 4e-8);
  EXPECT_NEAR(StudentT975(40), 2.02107539031, 1e-8);
  EXPECT_NEAR(StudentT975(100), 1.98397151852, 1e-9);
  EXPECT_NEAR(StudentT975(1000), 1.96233908083, 1e-11);
  EXPECT_NEAR(StudentT975(int64_t{1} << 40), 1.959963984540054, 1e-11);
}

// Exact binomial coverage of [x(j), x(n+1-j)] with integer arithmetic.
double ExactCoverage(size_t n, size_t j) {
  std::vector<uint64_t> row = {1};
  for (size_t k = 0; k < n; ++k) {
    std::vector<uint64_t> next(row.size() + 1, 0);
    for (size_t i = 0; i < row.size(); ++i) {
      next[i] += row[i];
      next[i + 1] += row[i];
    }
    row = next;
  }
  uint64_t inside = 0;
  for (size_t i = j; i <= n - j; ++i) inside += row[i];
  return static_cast<double>(inside) / std::ldexp(1.0, static_cast<int>(n));
}

TEST(MedianRanksTest, MatchesExactBinomialUpTo60) {
  for (size_t n = 6; n <= 60; ++n) {
    MedianRanks ranks = MedianConfidenceRanks(n);
    EXPECT_EQ(ranks.lower_rank + ranks.upper_rank, n + 1);
    EXPECT_NEAR(ranks.coverage, ExactCoverage(n, ranks.lower_rank), 1e-12) << n;
    EXPECT_GE(ranks.coverage, 0.95) << n;
    // One rank tighter would fall below 95%.
    EXPECT_LT(ExactCoverage(n, ranks.lower_rank + 1), 0.95) << n;
  }
}

TEST(MedianRanksTest, SmallAndLargeN) {
  EXPECT_EQ(MedianConfidenceRanks(1).coverage, 0);
  EXPECT_EQ(MedianConfidenceRanks(2).coverage, 0.5);
  EXPECT_EQ(MedianConfidenceRanks(5).coverage, 0.9375);
  EXPECT_EQ(MedianConfidenceRanks(5).upper_rank, 5u);
  MedianRanks ranks = MedianConfidenceRanks(100);
  EXPECT_EQ(ranks.lower_rank, 40u);  // Textbook value for n = 100.
  EXPECT_EQ(ranks.upper_rank, 61u);
  ranks = MedianConfidenceRanks(1000);
  EXPECT_EQ(ranks.lower_rank, 469u);
  EXPECT_NEAR(ranks.coverage, 0.9537088026395019, 1e-12);
  ranks = MedianConfidenceRanks(5000000);  // Tail terms underflow harmlessly.
  EXPECT_GE(ranks.coverage, 0.95);
  EXPECT_NEAR(static_cast<double>(ranks.lower_rank), 2500000 - 0.98 * std::sqrt(5e6), 3);
}

TEST(SummarizeTest, KnownSample) {
  Summary s = Summarize({1200, 1350, 1100, 1500, 1290, 1310, 1405});
  EXPECT_EQ(s.count, 7u);
  EXPECT_EQ(s.missing, 0u);
  EXPECT_DOUBLE_EQ(s.mean, 1307.857142857143);
  EXPECT_DOUBLE_EQ(s.stddev, 131.2077596427749);
  EXPECT_DOUBLE_EQ(s.mean_ci95.lo, 1186.510204205187);
  EXPECT_DOUBLE_EQ(s.mean_ci95.hi, 1429.2040815090988);
  EXPECT_EQ(s.min, 1100);
  EXPECT_EQ(s.max, 1500);
  EXPECT_EQ(s.median, 1310);
  EXPECT_DOUBLE_EQ(s.p90, 1443);  // h = 5.4: 1405 + 0.4 * 95.
  EXPECT_EQ(s.median_ci95.lo, 1100);
  EXPECT_EQ(s.median_ci95.hi, 1500);
  EXPECT_EQ(s.median_ci_coverage, 0.984375);
}

TEST(SummarizeTest, EmptySingleAndMissing) {
  Summary empty = Summarize({});
  EXPECT_EQ(empty.count, 0u);
  EXPECT_TRUE(std::isnan(empty.mean));
  EXPECT_TRUE(std::isnan(empty.median_ci95.lo));

  Summary one = Summarize({kNaN, 42, kNaN});
  EXPECT_EQ(one.count, 1u);
  EXPECT_EQ(one.missing, 2u);
  EXPECT_EQ(one.mean, 42);
  EXPECT_EQ(one.median, 42);
  EXPECT_EQ(one.p99, 42);
  EXPECT_TRUE(std::isnan(one.stddev));
  EXPECT_TRUE(std::isnan(one.mean_ci95.lo));
  EXPECT_EQ(one.median_ci95.lo, 42);
  EXPECT_EQ(one.median_ci_coverage, 0);
}

TEST(SummarizeTest, ColumnsLineUp) {
  Summary s = Summarize({1, 2, 3});
  std::vector<double> values = SummaryColumnValues(s);
  ASSERT_EQ(values.size(), SummaryColumnNames().size());
  EXPECT_EQ(SummaryColumnNames()[7], "median");
  EXPECT_EQ(values[7], 2);
  EXPECT_EQ(SummaryColumnNames()[0], "count");
  EXPECT_EQ(values[0], 3);
}

TEST(EmpiricalCdfTest, StepsAtDistinctValues) {
  std::vector<CdfPoint> cdf = EmpiricalCdf({3, 1, 2, 2, kNaN});
  ASSERT_EQ(cdf.size(), 3u);
  EXPECT_EQ(cdf[0].x, 1);
  EXPECT_EQ(cdf[0].fraction, 0.25);
  EXPECT_EQ(cdf[1].x, 2);
  EXPECT_EQ(cdf[1].fraction, 0.75);
  EXPECT_EQ(cdf[2].x, 3);
  EXPECT_EQ(cdf[2].fraction, 1);
  EXPECT_TRUE(EmpiricalCdf({}).empty());
}

bool SameBits(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

RC_GTEST_PROP(StatsProperty, OrderOfSamplesDoesNotMatter, (std::vector<int> ints)) {
  std::vector<double> samples(ints.begin(), ints.end());
  for (double& x : samples) x /= 7;
  std::vector<double> shuffled = samples;
  for (size_t i = shuffled.size(); i > 1; --i) {
    std::swap(shuffled[i - 1], shuffled[*rc::gen::inRange<size_t>(0, i)]);
  }
  std::vector<double> a = SummaryColumnValues(Summarize(samples));
  std::vector<double> b = SummaryColumnValues(Summarize(shuffled));
  for (size_t i = 0; i < a.size(); ++i) RC_ASSERT(SameBits(a[i], b[i]));
}

RC_GTEST_PROP(StatsProperty, OrderingInvariants, (std::vector<int> ints)) {
  RC_PRE(!ints.empty());
  Summary s = Summarize(std::vector<double>(ints.begin(), ints.end()));
  RC_ASSERT(s.min <= s.median && s.median <= s.p90 && s.p90 <= s.p99 && s.p99 <= s.max);
  RC_ASSERT(s.median_ci95.lo <= s.median && s.median <= s.median_ci95.hi);
  RC_ASSERT(s.min <= s.mean && s.mean <= s.max);
  if (s.count >= 2) RC_ASSERT(s.mean_ci95.lo <= s.mean && s.mean <= s.mean_ci95.hi);
  if (s.count >= 6) RC_ASSERT(s.median_ci_coverage >= 0.95);
}

}  // namespace
}  // namespace slotsim::tools
