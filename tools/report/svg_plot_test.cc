#include "tools/report/svg_plot.h"

#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace slotsim::tools {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Checks that `xml` is well-formed enough for a browser: one <svg> root, every
// start tag closed in order, and '&' only in the five predefined entities.
// Returns an empty string, or what is wrong.
std::string XmlProblems(const std::string& xml) {
  std::vector<std::string> open;
  int roots = 0;
  size_t i = 0;
  while ((i = xml.find('<', i)) != std::string::npos) {
    if (xml.compare(i, 2, "<?") == 0) {
      i = xml.find("?>", i);
      if (i == std::string::npos) return "unterminated <?";
      continue;
    }
    if (xml.compare(i, 4, "<!--") == 0) {
      i = xml.find("-->", i);
      if (i == std::string::npos) return "unterminated comment";
      continue;
    }
    const size_t end = xml.find('>', i);
    if (end == std::string::npos) return "unterminated tag";
    const std::string tag = xml.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag[0] == '/') {
      if (open.empty() || open.back() != tag.substr(1)) return "mismatched </" + tag;
      open.pop_back();
      continue;
    }
    const std::string name = tag.substr(0, tag.find_first_of(" /"));
    if (open.empty()) ++roots;
    if (tag.back() != '/') open.push_back(name);
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  if (roots != 1) return absl::StrCat(roots, " root elements");
  for (size_t amp = xml.find('&'); amp != std::string::npos;
       amp = xml.find('&', amp + 1)) {
    bool known = false;
    for (const char* entity : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
      known = known || xml.compare(amp, std::string(entity).size(), entity) == 0;
    }
    if (!known) return "bare & at " + std::to_string(amp);
  }
  return "";
}

int Count(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Saves `svg` for a human to look at (bazel-testlogs/.../test.outputs).
void SaveOutput(const std::string& name, const std::string& svg) {
  const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  if (dir == nullptr) return;
  std::ofstream(std::string(dir) + "/" + name, std::ios::binary) << svg;
}

PlotOptions SmallCdfOptions() {
  PlotOptions options;
  options.title = "Promotion time";
  options.x_label = "time from failure to promotion (ms)";
  options.width_px = 480;
  options.height_px = 300;
  return options;
}

std::vector<CdfSeries> SmallCdfSeries() {
  return {{"node_timeout=1000", {1800, 2100, 1950, 2600, 2250}},
          {"node_timeout=2000", {3300, 2900, 4100, 3600, kInf}},
          {"odd <label> & \"quotes\"", {2500}}};
}

TEST(CdfPlotTest, MatchesGoldenFile) {
  absl::StatusOr<std::string> svg = RenderCdfPlot(SmallCdfOptions(), SmallCdfSeries());
  ASSERT_TRUE(svg.ok()) << svg.status();
  SaveOutput("cdf_small.svg", *svg);
  const std::string golden = ReadFile("tools/report/testdata/cdf_small.svg");
  ASSERT_FALSE(golden.empty()) << "missing testdata/cdf_small.svg";
  EXPECT_EQ(*svg, golden)
      << "if the change is intended, copy cdf_small.svg from "
         "bazel-testlogs/tools/report/svg_plot_test/test.outputs/outputs.zip to "
         "tools/report/testdata/ (and look at it in a browser first)";
}

TEST(CdfPlotTest, Structure) {
  absl::StatusOr<std::string> svg = RenderCdfPlot(SmallCdfOptions(), SmallCdfSeries());
  ASSERT_TRUE(svg.ok()) << svg.status();
  EXPECT_EQ(XmlProblems(*svg), "");
  EXPECT_EQ(Count(*svg, "class=\"series\""), 3);
  EXPECT_EQ(Count(*svg, "<title>"), 3);
  EXPECT_THAT(*svg, HasSubstr(">Promotion time</text>"));
  EXPECT_THAT(*svg, HasSubstr(">time from failure to promotion (ms)</text>"));
  EXPECT_THAT(*svg, HasSubstr(">node_timeout=1000</text>"));
  EXPECT_THAT(*svg, HasSubstr("odd &lt;label&gt; &amp; &quot;quotes&quot;"));
  EXPECT_THAT(*svg, HasSubstr("stroke=\"#0072B2\""));
  EXPECT_THAT(*svg, HasSubstr("stroke=\"#D55E00\""));
  EXPECT_THAT(*svg, HasSubstr(">1.0</text>"));  // y tick
}

TEST(CdfPlotTest, InfiniteSamplesKeepTheCurveBelowOne) {
  PlotOptions options = SmallCdfOptions();
  options.height_px = 452;  // Plot area y: 44 (title) .. 400: fraction 0.5 at y = 222.
  absl::StatusOr<std::string> svg =
      RenderCdfPlot(options, {{"half", {1, 2, kInf, kInf}}});
  ASSERT_TRUE(svg.ok());
  EXPECT_THAT(*svg, HasSubstr("V222H"));
  EXPECT_THAT(*svg, Not(HasSubstr("V44H")));  // Never reaches 1.
}

TEST(CdfPlotTest, DeterministicAndOrderFree) {
  absl::StatusOr<std::string> a = RenderCdfPlot(SmallCdfOptions(), SmallCdfSeries());
  std::vector<CdfSeries> shuffled = SmallCdfSeries();
  shuffled[0].samples = {2600, 1800, kNaN, 2250, 2100, 1950};
  absl::StatusOr<std::string> b = RenderCdfPlot(SmallCdfOptions(), shuffled);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

TEST(CdfPlotTest, LogXNeedsPositiveValues) {
  PlotOptions options = SmallCdfOptions();
  options.log_x = true;
  absl::StatusOr<std::string> svg = RenderCdfPlot(options, {{"s", {0, 10}}});
  EXPECT_EQ(svg.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(svg.status().message(), HasSubstr("series \"s\" has x = 0"));
  svg = RenderCdfPlot(options, {{"s", {3, 10, 700}}});
  ASSERT_TRUE(svg.ok());
  EXPECT_THAT(*svg, HasSubstr(">1000</text>"));
  EXPECT_EQ(XmlProblems(*svg), "");
}

TEST(CdfPlotTest, EmptySeriesAndTooSmall) {
  absl::StatusOr<std::string> svg = RenderCdfPlot(SmallCdfOptions(), {{"none", {}}});
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(Count(*svg, "class=\"series\""), 0);
  EXPECT_THAT(*svg, HasSubstr(">none</text>"));  // Still in the legend.
  PlotOptions tiny = SmallCdfOptions();
  tiny.width_px = 150;
  EXPECT_EQ(RenderCdfPlot(tiny, SmallCdfSeries()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CdfPlotTest, ManySeriesCycleColoursWithDashes) {
  std::vector<CdfSeries> series;
  for (int i = 0; i < 10; ++i)
    series.push_back({absl::StrCat("s", i), {1.0 * i, 5.0 + i}});
  PlotOptions options = SmallCdfOptions();
  options.width_px = 720;
  absl::StatusOr<std::string> svg = RenderCdfPlot(options, series);
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(Count(*svg, "class=\"series\""), 10);
  // Series 8 and 9 reuse the first colours, dashed, in the plot and the legend.
  EXPECT_EQ(Count(*svg, "stroke-dasharray=\"6 3\""), 4);
}

std::vector<LineSeries> SweepSeries() {
  return {{"median promotion ms",
           {{1000, 2100, 1900, 2400},
            {15000, 16500, 16000, 17400},
            {5000, 6100, 5800, 6500}}},
          {"median unavailable ms",
           {{1000, 2500, 2200, 2900},
            {5000, 6800, kNaN, kNaN},
            {15000, 17000, 16100, 18000}}}};
}

TEST(LinePlotTest, ErrorBars) {
  LinePlotOptions options;
  options.plot.title = "Failover vs cluster-node-timeout";
  options.plot.x_label = "cluster-node-timeout (ms)";
  options.plot.y_label = "ms (median, 95% CI)";
  absl::StatusOr<std::string> svg = RenderLinePlot(options, SweepSeries());
  ASSERT_TRUE(svg.ok()) << svg.status();
  SaveOutput("line_bars.svg", *svg);
  EXPECT_EQ(XmlProblems(*svg), "");
  EXPECT_EQ(Count(*svg, "class=\"series\""), 2);
  EXPECT_EQ(Count(*svg, "class=\"marker\""), 6);
  EXPECT_EQ(Count(*svg, "class=\"errorbar\""), 5);  // One point has no interval.
  EXPECT_EQ(Count(*svg, "class=\"band\""), 0);
  EXPECT_THAT(*svg, HasSubstr("<title>median promotion ms: x=5000 y=6100 [5800, 6500]"));
  EXPECT_THAT(*svg, HasSubstr(">15000</text>"));
  EXPECT_THAT(*svg, HasSubstr(">0</text>"));  // y axis starts at zero.
}

TEST(LinePlotTest, BandsSplitWhereAnIntervalIsMissing) {
  LinePlotOptions options;
  options.error_style = ErrorStyle::kBand;
  options.plot.log_x = true;
  absl::StatusOr<std::string> svg = RenderLinePlot(options, SweepSeries());
  ASSERT_TRUE(svg.ok()) << svg.status();
  SaveOutput("line_bands.svg", *svg);
  EXPECT_EQ(XmlProblems(*svg), "");
  // Series 1: one band over three points. Series 2: lone points at both ends
  // get bars instead of a band.
  EXPECT_EQ(Count(*svg, "class=\"band\""), 1);
  EXPECT_EQ(Count(*svg, "class=\"errorbar\""), 2);
  EXPECT_THAT(*svg, HasSubstr(">20000</text>"));  // Log axis: 1000, 2000, 5000, ...
}

TEST(LinePlotTest, SkipsNonFinitePointsAndRejectsBadLogX) {
  LinePlotOptions options;
  absl::StatusOr<std::string> svg =
      RenderLinePlot(options, {{"s", {{1, 2, 1, 3}, {kNaN, 1, 0, 2}, {2, kInf, 0, 1}}}});
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(Count(*svg, "class=\"marker\""), 1);
  options.plot.log_x = true;
  EXPECT_FALSE(RenderLinePlot(options, {{"s", {{-1, 2, 1, 3}}}}).ok());
}

}  // namespace
}  // namespace slotsim::tools
