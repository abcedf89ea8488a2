#include "tools/report/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "tools/report/number_format.h"
#include "tools/report/plot_axis.h"
#include "tools/report/stats.h"
#include "tools/report/svg.h"
#include "tools/report/utf8.h"

namespace slotsim::tools {
namespace {

constexpr double kCharWidthPx = 7;  // Rough advance of a 12px sans-serif glyph.
constexpr size_t kMaxLegendChars = 40;
constexpr double kLegendSwatchPx = 24;
constexpr double kLegendRowPx = 18;
constexpr double kMinPlotPx = 80;
constexpr double kDodgePx = 4;
constexpr double kCapHalfWidthPx = 4;

struct SeriesStyle {
  std::string colour;
  std::string dash;  // stroke-dasharray, empty for solid
};

SeriesStyle StyleFor(size_t index) {
  const std::vector<std::string>& palette = PlotPalette();
  static const char* const kDashes[] = {"", "6 3", "2 2", "8 3 2 3"};
  return SeriesStyle{palette[index % palette.size()],
                     kDashes[(index / palette.size()) % 4]};
}

// `label` cut to kMaxLegendChars code points, with an ellipsis if cut.
std::string LegendText(std::string_view label) {
  std::string clean = SanitizeUtf8(label);
  size_t i = 0, count = 0;
  while (i < clean.size() && count < kMaxLegendChars) {
    i += Utf8SequenceLength(clean, i);
    ++count;
  }
  if (i >= clean.size()) return clean;
  return clean.substr(0, i) + "\xE2\x80\xA6";
}

// Pixel box of the plot area and where the legend goes.
struct Layout {
  double left = 0, right = 0, top = 0, bottom = 0;
  double legend_x = 0;
};

// The plot area's top and bottom depend only on the title and the height.
double PlotTop(const PlotOptions& options) { return options.title.empty() ? 16 : 44; }
double PlotBottom(const PlotOptions& options) { return options.height_px - 52; }

// Roughly one tick per kPixelsPerTick, within [3, 11].
int MaxTicks(double length_px) {
  constexpr double kPixelsPerTick = 60;
  return std::clamp(static_cast<int>(length_px / kPixelsPerTick) + 1, 3, 11);
}

// The left margin fits the y label and the widest y tick label.
absl::StatusOr<Layout> ComputeLayout(const PlotOptions& options,
                                     const std::vector<std::string>& labels,
                                     const PlotAxis& y_axis) {
  size_t longest = 0;
  for (const std::string& label : labels) {
    longest = std::max(longest, Utf8Length(LegendText(label)));
  }
  size_t widest_tick = 0;
  for (const Tick& tick : y_axis.ticks()) {
    widest_tick = std::max(widest_tick, tick.label.size());
  }
  const double legend_width =
      labels.empty() ? 0 : kLegendSwatchPx + 8 + kCharWidthPx * longest + 8;
  Layout layout;
  layout.left = std::max(64.0, 36 + kCharWidthPx * widest_tick);
  layout.top = PlotTop(options);
  layout.right = options.width_px - legend_width - 24;
  layout.bottom = PlotBottom(options);
  layout.legend_x = layout.right + 16;
  if (layout.right - layout.left < kMinPlotPx ||
      layout.bottom - layout.top < kMinPlotPx) {
    return absl::InvalidArgumentError(
        absl::StrCat("plot size ", options.width_px, "x", options.height_px,
                     " px is too small for the axes and legend"));
  }
  return layout;
}

// Background, title, grid lines, ticks, tick labels, axis labels and the frame.
void DrawFrame(SvgWriter* svg, const PlotOptions& options, const Layout& layout,
               const PlotAxis& x_axis, const PlotAxis& y_axis, std::string_view y_label) {
  svg->Element("rect", {{"width", "100%"}, {"height", "100%"}, {"fill", "white"}});
  if (!options.title.empty()) {
    svg->Text(options.width_px / 2, 26, options.title,
              {{"text-anchor", "middle"}, {"font-size", "15"}, {"font-weight", "bold"}});
  }
  svg->Open("g", {{"class", "grid"}, {"stroke", "#e0e0e0"}, {"stroke-width", "1"}});
  for (const Tick& tick : x_axis.ticks()) {
    const std::string x =
        SvgNumber(x_axis.ToPixel(tick.value, layout.left, layout.right));
    svg->Element("line", {{"x1", x},
                          {"x2", x},
                          {"y1", SvgNumber(layout.top)},
                          {"y2", SvgNumber(layout.bottom)}});
  }
  for (const Tick& tick : y_axis.ticks()) {
    const std::string y =
        SvgNumber(y_axis.ToPixel(tick.value, layout.bottom, layout.top));
    svg->Element("line", {{"x1", SvgNumber(layout.left)},
                          {"x2", SvgNumber(layout.right)},
                          {"y1", y},
                          {"y2", y}});
  }
  svg->Close();
  svg->Open("g", {{"class", "ticks"}, {"fill", "#333"}});
  for (const Tick& tick : x_axis.ticks()) {
    svg->Text(x_axis.ToPixel(tick.value, layout.left, layout.right), layout.bottom + 18,
              tick.label, {{"text-anchor", "middle"}});
  }
  for (const Tick& tick : y_axis.ticks()) {
    svg->Text(layout.left - 8, y_axis.ToPixel(tick.value, layout.bottom, layout.top) + 4,
              tick.label, {{"text-anchor", "end"}});
  }
  svg->Close();
  svg->Element("rect", {{"x", SvgNumber(layout.left)},
                        {"y", SvgNumber(layout.top)},
                        {"width", SvgNumber(layout.right - layout.left)},
                        {"height", SvgNumber(layout.bottom - layout.top)},
                        {"fill", "none"},
                        {"stroke", "#333"}});
  const double mid_x = (layout.left + layout.right) / 2;
  const double mid_y = (layout.top + layout.bottom) / 2;
  svg->Text(mid_x, options.height_px - 14, options.x_label, {{"text-anchor", "middle"}});
  svg->Text(18, mid_y, y_label,
            {{"text-anchor", "middle"},
             {"transform", "rotate(-90 18 " + SvgNumber(mid_y) + ")"}});
}

void DrawLegend(SvgWriter* svg, const Layout& layout,
                const std::vector<std::string>& labels, bool markers) {
  svg->Open("g", {{"class", "legend"}});
  for (size_t i = 0; i < labels.size(); ++i) {
    const SeriesStyle style = StyleFor(i);
    const double y = layout.top + 8 + kLegendRowPx * static_cast<double>(i);
    SvgAttributes line = {{"x1", SvgNumber(layout.legend_x)},
                          {"x2", SvgNumber(layout.legend_x + kLegendSwatchPx)},
                          {"y1", SvgNumber(y)},
                          {"y2", SvgNumber(y)},
                          {"stroke", style.colour},
                          {"stroke-width", "2"}};
    if (!style.dash.empty()) line.push_back({"stroke-dasharray", style.dash});
    svg->Element("line", line);
    if (markers) {
      svg->Element("circle", {{"cx", SvgNumber(layout.legend_x + kLegendSwatchPx / 2)},
                              {"cy", SvgNumber(y)},
                              {"r", "3"},
                              {"fill", style.colour}});
    }
    svg->Text(layout.legend_x + kLegendSwatchPx + 8, y + 4, LegendText(labels[i]));
  }
  svg->Close();
}

SvgAttributes StrokeAttributes(const SeriesStyle& style, std::string_view width) {
  SvgAttributes attributes = {
      {"fill", "none"}, {"stroke", style.colour}, {"stroke-width", std::string(width)}};
  if (!style.dash.empty()) attributes.push_back({"stroke-dasharray", style.dash});
  return attributes;
}

absl::Status CheckLogX(bool log_x, double x, std::string_view label) {
  if (!log_x || x > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("log x axis needs x > 0; series \"",
                                                 std::string(label), "\" has x = ", x));
}

// Min and max of the finite values seen, or nothing.
struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void Add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

PlotAxis MakeXAxis(const Range& range, bool log_x, const Layout& layout) {
  const int max_ticks = MaxTicks(layout.right - layout.left);
  if (range.empty())
    return log_x ? PlotAxis::Log(1, 10) : PlotAxis::Linear(0, 1, max_ticks);
  return log_x ? PlotAxis::Log(range.lo, range.hi)
               : PlotAxis::Linear(range.lo, range.hi, max_ticks);
}

std::vector<std::string> Labels(const std::vector<CdfSeries>& series) {
  std::vector<std::string> labels;
  for (const CdfSeries& s : series) labels.push_back(s.label);
  return labels;
}

std::vector<std::string> Labels(const std::vector<LineSeries>& series) {
  std::vector<std::string> labels;
  for (const LineSeries& s : series) labels.push_back(s.label);
  return labels;
}

}  // namespace

const std::vector<std::string>& PlotPalette() {
  static const std::vector<std::string>* const kPalette = new std::vector<std::string>{
      "#0072B2", "#D55E00", "#009E73", "#CC79A7",
      "#E69F00", "#56B4E9", "#000000", "#F0E442",
  };
  return *kPalette;
}

absl::StatusOr<std::string> RenderCdfPlot(const PlotOptions& options,
                                          const std::vector<CdfSeries>& series) {
  const std::vector<std::string> labels = Labels(series);
  const PlotAxis y_axis = PlotAxis::Linear(0, 1, 6);
  absl::StatusOr<Layout> layout = ComputeLayout(options, labels, y_axis);
  if (!layout.ok()) return layout.status();
  std::vector<std::vector<CdfPoint>> cdfs;
  Range x_range;
  for (const CdfSeries& s : series) {
    cdfs.push_back(EmpiricalCdf(s.samples));
    for (const CdfPoint& point : cdfs.back()) {
      if (!std::isfinite(point.x)) continue;
      if (absl::Status status = CheckLogX(options.log_x, point.x, s.label);
          !status.ok()) {
        return status;
      }
      x_range.Add(point.x);
    }
  }
  const PlotAxis x_axis = MakeXAxis(x_range, options.log_x, *layout);
  const auto px = [&](double x) {
    return x_axis.ToPixel(x, layout->left, layout->right);
  };
  const auto py = [&](double y) {
    return y_axis.ToPixel(y, layout->bottom, layout->top);
  };

  SvgWriter svg(options.width_px, options.height_px,
                {{"font-family", "sans-serif"}, {"font-size", "12"}});
  DrawFrame(
      &svg, options, *layout, x_axis, y_axis,
      options.y_label.empty() ? "fraction of runs \xE2\x89\xA4 x" : options.y_label);
  for (size_t i = 0; i < series.size(); ++i) {
    // Start at the level of any -inf samples, step up at each finite value, and
    // stay at the last level (below 1 when there are +inf samples).
    double start_level = 0;
    std::string steps;
    for (const CdfPoint& point : cdfs[i]) {
      if (point.x == -std::numeric_limits<double>::infinity())
        start_level = point.fraction;
      if (!std::isfinite(point.x)) continue;
      absl::StrAppend(&steps, "H", SvgNumber(px(point.x)), "V",
                      SvgNumber(py(point.fraction)));
    }
    if (steps.empty()) continue;
    std::string d =
        absl::StrCat("M", SvgNumber(layout->left), " ", SvgNumber(py(start_level)), steps,
                     "H", SvgNumber(layout->right));
    SvgAttributes attributes = StrokeAttributes(StyleFor(i), "2");
    attributes.insert(attributes.begin(), {{"class", "series"}, {"d", d}});
    svg.Open("g");
    svg.ElementWithText("title", {}, series[i].label);
    svg.Element("path", attributes);
    svg.Close();
  }
  DrawLegend(&svg, *layout, labels, /*markers=*/false);
  return svg.Finish();
}

namespace {

bool HasInterval(const ErrorPoint& p) {
  return std::isfinite(p.lo) && std::isfinite(p.hi);
}

// Drawable points of a series (finite x and y), sorted by x.
std::vector<ErrorPoint> DrawablePoints(const LineSeries& series) {
  std::vector<ErrorPoint> points;
  for (const ErrorPoint& p : series.points) {
    if (std::isfinite(p.x) && std::isfinite(p.y)) points.push_back(p);
  }
  std::stable_sort(points.begin(), points.end(),
                   [](const ErrorPoint& a, const ErrorPoint& b) { return a.x < b.x; });
  return points;
}

// An error bar with caps at pixel x from pixel y_lo to y_hi.
std::string ErrorBarPath(double x, double y_lo, double y_hi) {
  const std::string left = SvgNumber(x - kCapHalfWidthPx);
  const std::string right = SvgNumber(x + kCapHalfWidthPx);
  return absl::StrCat("M", SvgNumber(x), " ", SvgNumber(y_lo), "V", SvgNumber(y_hi), "M",
                      left, " ", SvgNumber(y_lo), "H", right, "M", left, " ",
                      SvgNumber(y_hi), "H", right);
}

}  // namespace

absl::StatusOr<std::string> RenderLinePlot(const LinePlotOptions& options,
                                           const std::vector<LineSeries>& series) {
  const PlotOptions& plot = options.plot;
  const std::vector<std::string> labels = Labels(series);
  std::vector<std::vector<ErrorPoint>> drawable;
  Range x_range, y_range;
  if (options.y_includes_zero) y_range.Add(0);
  for (const LineSeries& s : series) {
    drawable.push_back(DrawablePoints(s));
    for (const ErrorPoint& p : drawable.back()) {
      if (absl::Status status = CheckLogX(plot.log_x, p.x, s.label); !status.ok()) {
        return status;
      }
      x_range.Add(p.x);
      y_range.Add(p.y);
      if (HasInterval(p)) {
        y_range.Add(p.lo);
        y_range.Add(p.hi);
      }
    }
  }
  const int y_ticks = MaxTicks(PlotBottom(plot) - PlotTop(plot));
  const PlotAxis y_axis = y_range.empty()
                              ? PlotAxis::Linear(0, 1, y_ticks)
                              : PlotAxis::Linear(y_range.lo, y_range.hi, y_ticks);
  absl::StatusOr<Layout> layout = ComputeLayout(plot, labels, y_axis);
  if (!layout.ok()) return layout.status();
  const PlotAxis x_axis = MakeXAxis(x_range, plot.log_x, *layout);
  const auto py = [&](double y) {
    return y_axis.ToPixel(y, layout->bottom, layout->top);
  };

  SvgWriter svg(plot.width_px, plot.height_px,
                {{"font-family", "sans-serif"}, {"font-size", "12"}});
  DrawFrame(&svg, plot, *layout, x_axis, y_axis, plot.y_label);
  const bool bars = options.error_style == ErrorStyle::kBars;
  for (size_t i = 0; i < series.size(); ++i) {
    const std::vector<ErrorPoint>& points = drawable[i];
    if (points.empty()) continue;
    const SeriesStyle style = StyleFor(i);
    const double dodge =
        bars ? kDodgePx * (static_cast<double>(i) - (series.size() - 1) / 2.0) : 0;
    const auto px = [&](double x) {
      return x_axis.ToPixel(x, layout->left, layout->right) + dodge;
    };
    svg.Open("g", {{"class", "series-group"}});
    svg.ElementWithText("title", {}, series[i].label);
    if (!bars) {
      // One band per run of consecutive points that have an interval; a lone
      // point with an interval gets a bar.
      size_t run_start = 0;
      for (size_t k = 0; k <= points.size(); ++k) {
        if (k < points.size() && HasInterval(points[k])) continue;
        if (k - run_start == 1) {
          const ErrorPoint& p = points[run_start];
          SvgAttributes bar = StrokeAttributes(style, "1.5");
          bar.insert(bar.begin(), {{"class", "errorbar"},
                                   {"d", ErrorBarPath(px(p.x), py(p.lo), py(p.hi))}});
          svg.Element("path", bar);
        } else if (k - run_start > 1) {
          std::string outline;
          for (size_t j = run_start; j < k; ++j) {
            absl::StrAppend(&outline, SvgNumber(px(points[j].x)), ",",
                            SvgNumber(py(points[j].lo)), " ");
          }
          for (size_t j = k; j-- > run_start;) {
            absl::StrAppend(&outline, SvgNumber(px(points[j].x)), ",",
                            SvgNumber(py(points[j].hi)), j > run_start ? " " : "");
          }
          svg.Element("polygon", {{"class", "band"},
                                  {"points", outline},
                                  {"fill", style.colour},
                                  {"fill-opacity", "0.18"},
                                  {"stroke", "none"}});
        }
        run_start = k + 1;
      }
    }
    std::string line;
    for (const ErrorPoint& p : points) {
      absl::StrAppend(&line, line.empty() ? "M" : "L", SvgNumber(px(p.x)), " ",
                      SvgNumber(py(p.y)));
    }
    SvgAttributes path = StrokeAttributes(style, "2");
    path.insert(path.begin(), {{"class", "series"}, {"d", line}});
    svg.Element("path", path);
    for (const ErrorPoint& p : points) {
      std::string tip = absl::StrCat(series[i].label, ": x=", FormatShortest(p.x),
                                     " y=", FormatShortest(p.y));
      if (HasInterval(p)) {
        absl::StrAppend(&tip, " [", FormatShortest(p.lo), ", ", FormatShortest(p.hi),
                        "]");
        if (bars) {
          SvgAttributes bar = StrokeAttributes(style, "1.5");
          bar.insert(bar.begin(), {{"class", "errorbar"},
                                   {"d", ErrorBarPath(px(p.x), py(p.lo), py(p.hi))}});
          svg.Element("path", bar);
        }
      }
      svg.Open("circle", {{"class", "marker"},
                          {"cx", SvgNumber(px(p.x))},
                          {"cy", SvgNumber(py(p.y))},
                          {"r", "3"},
                          {"fill", style.colour}});
      svg.ElementWithText("title", {}, tip);
      svg.Close();
    }
    svg.Close();
  }
  DrawLegend(&svg, *layout, labels, /*markers=*/true);
  return svg.Finish();
}

}  // namespace slotsim::tools
