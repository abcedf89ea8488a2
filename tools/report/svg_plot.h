// Plots for sweep results as self-contained SVG files (no scripts, no external
// fonts or styles), so a browser, an image viewer or a paper can use them as is.
//
// Two kinds:
//  - RenderCdfPlot: empirical CDFs, one step line per series (e.g. one per
//    cluster-node-timeout value), y = fraction of runs with value <= x.
//    Samples of +inf (e.g. "never promoted") count in the denominator but are
//    not drawn, so such a curve levels off below 1; NaN samples are ignored.
//  - RenderLinePlot: x = a numeric knob, y = a statistic (median or mean) with
//    an interval [lo, hi] drawn as error bars or as a shaded band; several series
//    (e.g. outcomes) share the axes. Points with a non-finite x or y are skipped;
//    a non-finite lo or hi leaves that point without an interval. With error bars
//    and several series, series are nudged a few pixels apart so bars at the
//    same x do not hide each other.
//
// Both: 1-2-5 ticks with light grid lines (tools/report/plot_axis.h), optional
// log-10 x axis, a title, axis labels, and a legend to the right of the plot.
// Series colours come from the Okabe-Ito colour-blind-safe palette in a fixed
// order; past eight series the colours repeat with dashed lines. Output is a
// pure function of the input (fixed element order, two-decimal coordinates).
// Elements carry class names ("series", "marker", "errorbar", "band", "grid",
// "legend") so tests and stylesheets can find them.
//
// Errors: InvalidArgument for a log x axis with a drawn x value <= 0, or for a
// width or height too small to hold the plot.
//
// Example:
//   PlotOptions options;
//   options.title = "Promotion time";
//   options.x_label = "time to promotion (ms)";
//   absl::StatusOr<std::string> svg = RenderCdfPlot(
//       options, {{"node_timeout=1000", times_1000}, {"node_timeout=5000", times_5000}});

#ifndef SLOTSIM_TOOLS_REPORT_SVG_PLOT_H_
#define SLOTSIM_TOOLS_REPORT_SVG_PLOT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace slotsim::tools {

struct PlotOptions {
  std::string title;
  std::string x_label;
  std::string y_label;  // RenderCdfPlot uses "fraction of runs <= x" if empty.
  double width_px = 720;
  double height_px = 450;
  bool log_x = false;
};

struct CdfSeries {
  std::string label;
  std::vector<double> samples;
};

absl::StatusOr<std::string> RenderCdfPlot(const PlotOptions& options,
                                          const std::vector<CdfSeries>& series);

struct ErrorPoint {
  double x = 0;
  double y = 0;
  double lo = 0;  // Interval around y (e.g. a 95% CI); NaN for none.
  double hi = 0;
};

struct LineSeries {
  std::string label;
  std::vector<ErrorPoint> points;
};

enum class ErrorStyle { kBars, kBand };

struct LinePlotOptions {
  PlotOptions plot;
  ErrorStyle error_style = ErrorStyle::kBars;
  bool y_includes_zero = true;  // Start the y axis at 0 (or end at 0 if all < 0).
};

absl::StatusOr<std::string> RenderLinePlot(const LinePlotOptions& options,
                                           const std::vector<LineSeries>& series);

// The series colours, in order (Okabe & Ito 2008; yellow last, as it is faint
// on white).
const std::vector<std::string>& PlotPalette();

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_REPORT_SVG_PLOT_H_
