// Summary statistics for one sample set (e.g. the failover times of all seeds at
// one cluster-node-timeout), with 95% confidence intervals, and an empirical CDF.
//
// Definitions (all computed on the sorted samples, so the result does not depend
// on the order the samples came in, and is bit-identical run to run):
//  - Quantiles use Hyndman & Fan type 7 (the default of R and NumPy): for
//    q in [0, 1] and sorted x[0..n-1], h = (n - 1) q, and
//    Q(q) = x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)]).
//    median = Q(0.5), p90 = Q(0.9), p99 = Q(0.99).
//  - mean with compensated (Neumaier) summation; stddev is the sample standard
//    deviation (denominator n - 1).
//  - mean_ci95: mean +- t(0.975, n - 1) stddev / sqrt(n). t comes from an
//    embedded table for 1..30 degrees of freedom and a Cornish-Fisher expansion
//    above (absolute error below 4e-8).
//  - median_ci95: distribution-free, from order statistics. With B ~ Binomial(n,
//    1/2), [x(j), x(n+1-j)] (1-based ranks) covers the population median with
//    probability P(j <= B <= n - j). j is the largest rank whose coverage is still
//    >= 0.95; the exact coverage is reported too. For n <= 5 no interval reaches
//    95%: the interval is [min, max] and median_ci_coverage says how much less it
//    covers (n = 5: 0.9375; n = 1: 0).
//
// Missing values: NaN samples are skipped and counted in `missing`. Fields that
// are undefined for the number of samples are NaN: everything for n = 0, stddev
// and mean_ci95 for n = 1.
//
// Example:
//   Summary s = Summarize({1200, 1350, 1100, 1500, 1290, 1310, 1405});
//   s.median              // 1310
//   s.median_ci95.lo/hi   // [x(1), x(7)] = [1100, 1500], coverage 0.984

#ifndef SLOTSIM_TOOLS_REPORT_STATS_H_
#define SLOTSIM_TOOLS_REPORT_STATS_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace slotsim::tools {

struct Interval {
  double lo = std::numeric_limits<double>::quiet_NaN();
  double hi = std::numeric_limits<double>::quiet_NaN();
};

struct Summary {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

  size_t count = 0;    // samples used (NaNs excluded)
  size_t missing = 0;  // NaN samples skipped
  double mean = kNaN;
  double stddev = kNaN;
  double min = kNaN;
  double median = kNaN;
  double p90 = kNaN;
  double p99 = kNaN;
  double max = kNaN;
  Interval mean_ci95;
  Interval median_ci95;
  double median_ci_coverage = kNaN;
};

Summary Summarize(std::vector<double> samples);

// Tidy columns for a Summary, in a fixed order: count, missing, mean, mean_ci_lo,
// mean_ci_hi, stddev, min, median, median_ci_lo, median_ci_hi,
// median_ci_coverage, p90, p99, max. Values line up with the names.
const std::vector<std::string>& SummaryColumnNames();
std::vector<double> SummaryColumnValues(const Summary& summary);

// Type 7 quantile of sorted, NaN-free samples. REQUIRES: !sorted.empty(),
// 0 <= q <= 1.
double QuantileSorted(const std::vector<double>& sorted, double q);

// The 0.975 quantile of Student's t distribution (two-sided 95%).
// REQUIRES: degrees_of_freedom >= 1.
double StudentT975(int64_t degrees_of_freedom);

// The order-statistics interval for the median of n samples (see the file
// comment). Ranks are 1-based; lower_rank + upper_rank == n + 1.
struct MedianRanks {
  size_t lower_rank = 0;
  size_t upper_rank = 0;
  double coverage = 0;
};
// REQUIRES: n >= 1.
MedianRanks MedianConfidenceRanks(size_t n);

// One step of an empirical CDF: the fraction of samples <= x.
struct CdfPoint {
  double x = 0;
  double fraction = 0;
};
// One point per distinct value, ascending; the last fraction is 1. NaNs are
// skipped; an empty (or all-NaN) input gives no points.
std::vector<CdfPoint> EmpiricalCdf(std::vector<double> samples);

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_REPORT_STATS_H_
