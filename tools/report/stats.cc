#include "tools/report/stats.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/check.h"

namespace slotsim::tools {
namespace {

// t(0.975, v) for v = 1..30, to 17 significant digits.
constexpr double kStudentT975[30] = {
    12.706204736174705, 4.3026527297494639, 3.1824463052837096, 2.7764451051977944,
    2.5705818356363155, 2.4469118511449700, 2.3646242515927853, 2.3060041352041667,
    2.2621571627982055, 2.2281388519862747, 2.2009851600916399, 2.1788128296672289,
    2.1603686564627925, 2.1447866879178038, 2.1314495455597757, 2.1199052992212547,
    2.1098155778333171, 2.1009220402410385, 2.0930240544083098, 2.0859634472658648,
    2.0796138447276804, 2.0738730679040262, 2.0686576104190487, 2.0638985616280258,
    2.0595385527532977, 2.0555294386428732, 2.0518305164802856, 2.0484071417952452,
    2.0452296421327043, 2.0422724563012383,
};

// The 0.975 quantile of the standard normal distribution.
constexpr double kZ975 = 1.9599639845400542;

// Neumaier's compensated sum: deterministic (fixed order, no reassociation) and
// accurate for long sample sets.
class CompensatedSum {
 public:
  void Add(double value) {
    double t = sum_ + value;
    if (std::fabs(sum_) >= std::fabs(value)) {
      compensation_ += (sum_ - t) + value;
    } else {
      compensation_ += (value - t) + sum_;
    }
    sum_ = t;
  }
  double Total() const { return sum_ + compensation_; }

 private:
  double sum_ = 0;
  double compensation_ = 0;
};

std::vector<double> SortedWithoutNaN(std::vector<double> samples, size_t* missing) {
  auto nan_begin = std::remove_if(samples.begin(), samples.end(),
                                  [](double x) { return std::isnan(x); });
  if (missing != nullptr) *missing = static_cast<size_t>(samples.end() - nan_begin);
  samples.erase(nan_begin, samples.end());
  std::sort(samples.begin(), samples.end());
  return samples;
}

}  // namespace

double QuantileSorted(const std::vector<double>& sorted, double q) {
  CHECK(!sorted.empty());
  CHECK(q >= 0 && q <= 1) << "q = " << q;
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const double fraction = h - static_cast<double>(lo);
  if (fraction == 0 || lo + 1 >= sorted.size() || sorted[lo] == sorted[lo + 1]) {
    return sorted[lo];  // Also keeps inf - inf from making NaN.
  }
  return sorted[lo] + fraction * (sorted[lo + 1] - sorted[lo]);
}

double StudentT975(int64_t degrees_of_freedom) {
  CHECK_GE(degrees_of_freedom, 1);
  if (degrees_of_freedom <= 30) return kStudentT975[degrees_of_freedom - 1];
  // Cornish-Fisher expansion of t in powers of 1/v around the normal quantile.
  const double z = kZ975, z2 = z * z;
  const double g1 = z * (z2 + 1) / 4;
  const double g2 = z * ((5 * z2 + 16) * z2 + 3) / 96;
  const double g3 = z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / 384;
  const double g4 = z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / 92160;
  const double inv = 1.0 / static_cast<double>(degrees_of_freedom);
  return z + inv * (g1 + inv * (g2 + inv * (g3 + inv * g4)));
}

MedianRanks MedianConfidenceRanks(size_t n) {
  CHECK_GE(n, 1u);
  // Binomial(n, 1/2) probabilities relative to the central one, for the lower
  // half i = 0..h (the upper half mirrors it). Starting from the centre avoids
  // underflow: terms far in the tail just become 0.
  const size_t h = n / 2;
  std::vector<double> relative(h + 1);
  relative[h] = 1;
  for (size_t i = h; i > 0; --i) {
    relative[i - 1] =
        relative[i] * static_cast<double>(i) / static_cast<double>(n - i + 1);
  }
  double half = 0;
  for (double r : relative) half += r;  // Ascending: small terms first.
  const double total = 2 * half - (n % 2 == 0 ? relative[h] : 0);
  // tail = P(B <= j - 1); the largest j with 2 * tail <= 0.05 wins.
  MedianRanks ranks{1, n, 1 - 2 * relative[0] / total};
  double tail = 0;
  for (size_t j = 1; j <= h; ++j) {
    tail += relative[j - 1];
    const double coverage = 1 - 2 * tail / total;
    if (coverage < 0.95) break;
    ranks = MedianRanks{j, n + 1 - j, coverage};
  }
  if (n == 1) ranks.coverage = 0;  // [x(1), x(1)] is a point.
  return ranks;
}

Summary Summarize(std::vector<double> samples) {
  Summary s;
  const std::vector<double> sorted = SortedWithoutNaN(std::move(samples), &s.missing);
  s.count = sorted.size();
  if (sorted.empty()) return s;
  const double n = static_cast<double>(sorted.size());

  CompensatedSum sum;
  for (double x : sorted) sum.Add(x);
  s.mean = sum.Total() / n;
  s.min = sorted.front();
  s.max = sorted.back();
  s.median = QuantileSorted(sorted, 0.5);
  s.p90 = QuantileSorted(sorted, 0.9);
  s.p99 = QuantileSorted(sorted, 0.99);

  const MedianRanks ranks = MedianConfidenceRanks(sorted.size());
  s.median_ci95 = Interval{sorted[ranks.lower_rank - 1], sorted[ranks.upper_rank - 1]};
  s.median_ci_coverage = ranks.coverage;

  if (sorted.size() >= 2) {
    CompensatedSum squares;
    for (double x : sorted) squares.Add((x - s.mean) * (x - s.mean));
    s.stddev = std::sqrt(squares.Total() / (n - 1));
    const double half_width =
        StudentT975(static_cast<int64_t>(sorted.size()) - 1) * s.stddev / std::sqrt(n);
    s.mean_ci95 = Interval{s.mean - half_width, s.mean + half_width};
  }
  return s;
}

const std::vector<std::string>& SummaryColumnNames() {
  static const std::vector<std::string>* const kNames = new std::vector<std::string>{
      "count", "missing", "mean",         "mean_ci_lo",   "mean_ci_hi",         "stddev",
      "min",   "median",  "median_ci_lo", "median_ci_hi", "median_ci_coverage", "p90",
      "p99",   "max"};
  return *kNames;
}

std::vector<double> SummaryColumnValues(const Summary& s) {
  return {static_cast<double>(s.count),
          static_cast<double>(s.missing),
          s.mean,
          s.mean_ci95.lo,
          s.mean_ci95.hi,
          s.stddev,
          s.min,
          s.median,
          s.median_ci95.lo,
          s.median_ci95.hi,
          s.median_ci_coverage,
          s.p90,
          s.p99,
          s.max};
}

std::vector<CdfPoint> EmpiricalCdf(std::vector<double> samples) {
  const std::vector<double> sorted = SortedWithoutNaN(std::move(samples), nullptr);
  std::vector<CdfPoint> points;
  const double n = static_cast<double>(sorted.size());
  for (size_t i = 0; i < sorted.size(); ++i) {
    // The last index of each run of equal values carries the step.
    if (i + 1 < sorted.size() && sorted[i + 1] == sorted[i]) continue;
    points.push_back(CdfPoint{sorted[i], static_cast<double>(i + 1) / n});
  }
  return points;
}

}  // namespace slotsim::tools
