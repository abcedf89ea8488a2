// PlotAxis: the numeric side of a plot axis: a "nice" domain and its ticks, the
// mapping from data values to pixels, and deterministic tick labels.
//
// Linear axes use 1-2-5 steps: the step is m * 10^e with m in {1, 2, 5}, the
// smallest such step giving at most `max_ticks` intervals, and the domain is
// widened outward to whole steps. Tick k is exactly k * step computed once (no
// accumulated error), and labels print with max(0, -e) decimals, so 0.1 * 3
// prints "0.3". Powers of ten come from repeated multiplication, not pow() or
// log10(), so ticks are the same on every platform.
//
// Log axes (base 10) widen the domain to the nearest 1-2-5 values (1, 2, 5, 10,
// 20, ...) and put a tick on every decade; when the domain spans at most two
// decades they tick every 1-2-5 value instead.
//
// Degenerate input: an empty range [v, v] widens to one step around v (or
// [0, 1] for v = 0); no data at all gives [0, 1].
//
// Example:
//   PlotAxis axis = PlotAxis::Linear(13, 97, 6);  // domain [0, 100], ticks 0,20,..,100
//   axis.ToPixel(50, 0, 400)                      // 200
//   axis.ticks()[1].label                         // "20"

#ifndef SLOTSIM_TOOLS_REPORT_PLOT_AXIS_H_
#define SLOTSIM_TOOLS_REPORT_PLOT_AXIS_H_

#include <string>
#include <vector>

namespace slotsim::tools {

struct Tick {
  double value = 0;
  std::string label;
};

class PlotAxis {
 public:
  // REQUIRES: lo <= hi, both finite; max_ticks >= 3 (a range across zero needs
  // two intervals whatever the step).
  static PlotAxis Linear(double lo, double hi, int max_ticks = 6);
  // REQUIRES: 0 < lo <= hi, both finite.
  static PlotAxis Log(double lo, double hi);

  bool is_log() const { return log_; }
  double lo() const { return lo_; }
  double hi() const { return hi_; }
  const std::vector<Tick>& ticks() const { return ticks_; }

  // Maps `value` in the domain to [pixel_lo, pixel_hi] (pixel_hi may be below
  // pixel_lo, as for a y axis that grows upward).
  double ToPixel(double value, double pixel_lo, double pixel_hi) const;

 private:
  PlotAxis() = default;
  bool log_ = false;
  double lo_ = 0;
  double hi_ = 1;
  std::vector<Tick> ticks_;
};

// A tick label: `value` with `decimals` digits, or the shortest text for very
// large or very small magnitudes (|value| >= 1e9 or decimals > 9).
std::string TickLabel(double value, int decimals);

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_REPORT_PLOT_AXIS_H_
