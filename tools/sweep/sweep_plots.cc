#include "tools/sweep/sweep_plots.h"

#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/report/stats.h"
#include "tools/report/svg_plot.h"
#include "tools/sweep/summary_table.h"

namespace slotsim::tools::sweep {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Group {
  std::string label;  // "loss_ppm=1000, x=2", or "" for the only group
  std::string slug;   // "_loss_ppm-1000_x-2", or ""
  std::vector<const PointRuns*> points;
};

std::string Slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    out += keep ? c : '_';
  }
  return out;
}

int MainIndex(const Manifest& m) {
  for (size_t i = 0; i < m.axes.size(); ++i) {
    if (m.axes[i].label == m.main_axis) return static_cast<int>(i);
  }
  return -1;
}

std::vector<Group> Groups(const Manifest& m, const std::vector<PointRuns>& points, int main) {
  std::vector<Group> groups;
  std::map<std::string, size_t> index;
  for (const PointRuns& p : points) {
    std::vector<std::string> label, slug;
    for (size_t i = 0; i < m.axes.size(); ++i) {
      if (static_cast<int>(i) == main) continue;
      label.push_back(absl::StrCat(m.axes[i].label, "=", p.axis_values[i]));
      slug.push_back(Slug(absl::StrCat(m.axes[i].label, "-", p.axis_values[i])));
    }
    const std::string key = absl::StrJoin(label, ", ");
    auto [it, inserted] = index.emplace(key, groups.size());
    if (inserted) {
      groups.push_back(Group{key, slug.empty() ? "" : "_" + absl::StrJoin(slug, "_"), {}});
    }
    groups[it->second].points.push_back(&p);
  }
  return groups;
}

// x positions of the main axis values: the numbers, or 1..k.
struct XAxis {
  bool numeric = true;
  std::map<std::string, double> x;
  std::string label;
};

XAxis MakeXAxis(const Manifest& m, int main) {
  XAxis ax;
  const AxisInfo& a = m.axes[static_cast<size_t>(main)];
  for (const std::string& v : a.values) {
    double d = 0;
    if (!absl::SimpleAtod(v, &d) || !std::isfinite(d)) ax.numeric = false;
  }
  for (size_t i = 0; i < a.values.size(); ++i) {
    double d = static_cast<double>(i + 1);
    if (ax.numeric) (void)absl::SimpleAtod(a.values[i], &d);
    ax.x.emplace(a.values[i], d);
  }
  ax.label = ax.numeric ? a.label : a.label + " (position in the list of values)";
  return ax;
}

std::vector<double> PromotionSamples(const RunsTable& runs, const PointRuns& p) {
  std::vector<double> promoted = Samples(runs, p, "promoted_ms");
  const std::vector<double> fault = Samples(runs, p, "fault_at_ms");
  for (size_t i = 0; i < promoted.size(); ++i) {
    if (std::isnan(promoted[i]) && !std::isnan(fault[i])) promoted[i] = kInf;
  }
  return promoted;
}

bool AnyFinite(const std::vector<double>& v) {
  for (double x : v) {
    if (std::isfinite(x)) return true;
  }
  return false;
}

// Up to kMaxCdfSeries of `n` indices, evenly spaced, first and last included.
std::vector<size_t> Thin(size_t n) {
  std::vector<size_t> out;
  if (n <= static_cast<size_t>(kMaxCdfSeries)) {
    for (size_t i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  for (int k = 0; k < kMaxCdfSeries; ++k) {
    out.push_back(static_cast<size_t>(std::llround(static_cast<double>(k) *
                                                   static_cast<double>(n - 1) /
                                                   (kMaxCdfSeries - 1))));
  }
  return out;
}

LineSeries MedianSeries(const std::string& label, const RunsTable& runs,
                        const std::vector<const PointRuns*>& points, int main, const XAxis& ax,
                        const std::string& outcome) {
  LineSeries s;
  s.label = label;
  for (const PointRuns* p : points) {
    auto x = ax.x.find(p->axis_values[static_cast<size_t>(main)]);
    if (x == ax.x.end()) continue;  // not a value of the axis (checked on load)
    const Summary sum = Summarize(Samples(runs, *p, outcome));
    ErrorPoint e;
    e.x = x->second;
    e.y = sum.median;
    e.lo = sum.median_ci95.lo;
    e.hi = sum.median_ci95.hi;
    if (!std::isfinite(e.lo) || !std::isfinite(e.hi)) e.lo = e.hi = Summary::kNaN;
    s.points.push_back(e);
  }
  return s;
}

bool HasFiniteY(const LineSeries& s) {
  for (const ErrorPoint& e : s.points) {
    if (std::isfinite(e.y)) return true;
  }
  return false;
}

std::string Titled(const Manifest& m, const std::string& what, const std::string& group) {
  std::string t = m.name.empty() ? what : absl::StrCat(m.name, ": ", what);
  if (!group.empty()) absl::StrAppend(&t, " (", group, ")");
  return t;
}

}  // namespace

absl::StatusOr<std::vector<PlotFile>> SweepPlots(const Manifest& m, const RunsTable& runs) {
  std::vector<PlotFile> files;
  const std::vector<PointRuns> points = GroupByPoint(m, runs);
  if (points.empty()) return files;
  const int main = MainIndex(m);
  const std::vector<Group> groups = Groups(m, points, main);

  // CDFs of the promotion time.
  for (const Group& g : groups) {
    std::vector<CdfSeries> series;
    bool any = false;
    for (size_t i : Thin(g.points.size())) {
      const PointRuns& p = *g.points[i];
      CdfSeries s;
      s.label = main < 0 ? std::string("all runs")
                         : absl::StrCat(m.main_axis, "=",
                                        p.axis_values[static_cast<size_t>(main)]);
      s.samples = PromotionSamples(runs, p);
      any |= AnyFinite(s.samples);
      series.push_back(std::move(s));
    }
    if (!any) continue;
    PlotOptions o;
    o.title = Titled(m, "promotion after the fault", g.label);
    o.x_label = "promoted_ms (ms after the fault)";
    absl::StatusOr<std::string> svg = RenderCdfPlot(o, series);
    if (!svg.ok()) return svg.status();
    files.push_back(PlotFile{"promotion_cdf" + g.slug + ".svg", *std::move(svg)});
  }
  if (main < 0) return files;
  const XAxis ax = MakeXAxis(m, main);

  // The failover timeline against the main axis.
  for (const Group& g : groups) {
    std::vector<LineSeries> series;
    bool any = false;
    for (const char* outcome : {"pfail_ms", "fail_ms", "election_start_ms", "promoted_ms"}) {
      LineSeries s = MedianSeries(outcome, runs, g.points, main, ax, outcome);
      any |= HasFiniteY(s);
      series.push_back(std::move(s));
    }
    if (!any) continue;
    LinePlotOptions o;
    o.plot.title = Titled(m, "failover timeline, median and 95% CI", g.label);
    o.plot.x_label = ax.label;
    o.plot.y_label = "ms after the fault";
    absl::StatusOr<std::string> svg = RenderLinePlot(o, series);
    if (!svg.ok()) return svg.status();
    files.push_back(PlotFile{"failover_times" + g.slug + ".svg", *std::move(svg)});
  }

  // One plot per outcome, a series per group.
  for (const std::string& outcome : m.outcomes) {
    std::vector<LineSeries> series;
    bool any = false;
    for (const Group& g : groups) {
      LineSeries s = MedianSeries(g.label.empty() ? outcome : g.label, runs, g.points, main,
                                  ax, outcome);
      any |= HasFiniteY(s);
      series.push_back(std::move(s));
    }
    if (!any) continue;
    LinePlotOptions o;
    o.plot.title = Titled(m, outcome + ", median and 95% CI", "");
    o.plot.x_label = ax.label;
    o.plot.y_label = outcome;
    absl::StatusOr<std::string> svg = RenderLinePlot(o, series);
    if (!svg.ok()) return svg.status();
    files.push_back(PlotFile{Slug(outcome) + ".svg", *std::move(svg)});
  }
  return files;
}

}  // namespace slotsim::tools::sweep
