#include "tools/report/plot_axis.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "sim/check.h"
#include "tools/report/number_format.h"

namespace slotsim::tools {
namespace {

// 10^exponent by repeated multiplication or division (exact for 0 <= e <= 22).
double PowerOfTen(int exponent) {
  double result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  for (int i = 0; i > exponent; --i) result /= 10;
  return result;
}

// The largest e with 10^e <= value. REQUIRES: value > 0, finite.
int DecadeBelow(double value) {
  int e = 0;
  while (PowerOfTen(e + 1) <= value) ++e;
  while (PowerOfTen(e) > value) --e;
  return e;
}

}  // namespace

std::string TickLabel(double value, int decimals) {
  if (std::fabs(value) >= 1e9 || decimals > 9) return FormatShortest(value);
  return FormatFixed(value, decimals < 0 ? 0 : decimals);
}

PlotAxis PlotAxis::Linear(double lo, double hi, int max_ticks) {
  CHECK(std::isfinite(lo) && std::isfinite(hi)) << lo << ", " << hi;
  CHECK_LE(lo, hi);
  CHECK_GE(max_ticks, 3);
  if (lo == hi) {
    if (lo == 0) {
      hi = 1;
    } else {
      const double pad = PowerOfTen(DecadeBelow(std::fabs(lo)));
      lo -= pad;
      hi += pad;
    }
  }
  // Smallest 1-2-5 step that needs at most max_ticks - 1 intervals.
  const double raw = (hi - lo) / (max_ticks - 1);
  int exponent = DecadeBelow(raw);
  double step = 0;
  long long first = 0, last = 0;
  for (int attempt = 0;; ++attempt) {
    const double multiplier[] = {1, 2, 5};
    const double m = multiplier[attempt % 3];
    const int e = exponent + attempt / 3;
    step = m * PowerOfTen(e);
    // The 1e-9 keeps 0.3 / 0.1 = 2.9999999999999996 from adding a whole step.
    first = static_cast<long long>(std::floor(lo / step + 1e-9));
    last = static_cast<long long>(std::ceil(hi / step - 1e-9));
    if (last - first <= max_ticks - 1) {
      exponent = e;
      break;
    }
  }
  PlotAxis axis;
  axis.lo_ = static_cast<double>(first) * step;
  axis.hi_ = static_cast<double>(last) * step;
  for (long long k = first; k <= last; ++k) {
    const double value = static_cast<double>(k) * step;
    axis.ticks_.push_back(Tick{value, TickLabel(value, -exponent)});
  }
  return axis;
}

PlotAxis PlotAxis::Log(double lo, double hi) {
  CHECK(std::isfinite(lo) && std::isfinite(hi)) << lo << ", " << hi;
  CHECK_GT(lo, 0);
  CHECK_LE(lo, hi);
  // Candidate bounds and ticks are m * 10^e with m in {1, 2, 5}, in order.
  const int first = DecadeBelow(lo);
  const int last = DecadeBelow(hi) + 1;
  std::vector<std::pair<double, int>> candidates;  // (value, exponent)
  for (int e = first; e <= last; ++e) {
    for (double m : {1.0, 2.0, 5.0}) candidates.emplace_back(m * PowerOfTen(e), e);
  }
  size_t lo_index = 0;  // The largest candidate <= lo.
  while (lo_index + 1 < candidates.size() && candidates[lo_index + 1].first <= lo) {
    ++lo_index;
  }
  size_t hi_index = lo_index + 1;  // The smallest candidate >= hi, above lo's.
  while (candidates[hi_index].first < hi) ++hi_index;
  PlotAxis axis;
  axis.log_ = true;
  axis.lo_ = candidates[lo_index].first;
  axis.hi_ = candidates[hi_index].first;
  const bool dense = candidates[hi_index].second - candidates[lo_index].second <= 2;
  for (size_t i = lo_index; i <= hi_index; ++i) {
    const auto [value, e] = candidates[i];
    if (!dense && i % 3 != 0) continue;  // Sparse: decades only.
    axis.ticks_.push_back(Tick{value, TickLabel(value, -e)});
  }
  return axis;
}

double PlotAxis::ToPixel(double value, double pixel_lo, double pixel_hi) const {
  double fraction;
  if (log_) {
    fraction =
        (std::log10(value) - std::log10(lo_)) / (std::log10(hi_) - std::log10(lo_));
  } else {
    fraction = (value - lo_) / (hi_ - lo_);
  }
  return pixel_lo + fraction * (pixel_hi - pixel_lo);
}

}  // namespace slotsim::tools
