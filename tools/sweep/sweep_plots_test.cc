#include "tools/sweep/sweep_plots.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tools/report/csv.h"

namespace slotsim::tools::sweep {
namespace {

const std::vector<std::string> kColumns = {
    "run", "point", "nt", "loss", "seed", "fault_at_ms", "pfail_ms", "fail_ms",
    "election_start_ms", "promoted_ms", "false_fails", "status"};

// nt x loss grid, 2 seeds per point; promoted_ms grows with nt; loss=10 runs
// never promote (empty field).
Manifest Grid(std::vector<std::string> nt_values) {
  Manifest m;
  m.name = "grid";
  m.axes = {AxisInfo{"nt", "knobs.cluster_node_timeout", nt_values},
            AxisInfo{"loss", "network.loss_ppm", {"0", "10"}}};
  m.main_axis = "nt";
  m.points = static_cast<int64_t>(nt_values.size()) * 2;
  m.seeds_per_point = 2;
  m.first_seed = 1;
  m.runs = m.points * 2;
  m.columns = kColumns;
  m.outcomes = {"pfail_ms", "fail_ms", "election_start_ms", "promoted_ms", "false_fails"};
  return m;
}

RunsTable Rows(const Manifest& m) {
  std::string text = FormatCsvRecord(m.columns);
  for (int64_t run = 0; run < m.runs; ++run) {
    const int64_t point = run / 2;
    const std::string& nt = m.axes[0].values[static_cast<size_t>(point / 2)];
    const bool lossy = point % 2 == 1;
    const double base = static_cast<double>(point / 2 + 1) * 1000 + static_cast<double>(run % 2);
    text += FormatCsvRecord(
        {absl::StrCat(run), absl::StrCat(point), nt, lossy ? "10" : "0",
         absl::StrCat(run % 2 + 1), "10000", absl::StrCat(base), absl::StrCat(base + 100),
         absl::StrCat(base + 700), lossy ? "" : absl::StrCat(base + 701), "0", "ok"});
  }
  return *ParseRunsCsv(text, m.columns, m.runs);
}

std::map<std::string, std::string> Plots(const Manifest& m) {
  absl::StatusOr<std::vector<PlotFile>> files = SweepPlots(m, Rows(m));
  EXPECT_TRUE(files.ok()) << files.status();
  std::map<std::string, std::string> out;
  for (const PlotFile& f : *files) out[f.name] = f.svg;
  return out;
}

TEST(SweepPlotsTest, CdfPerGroupTimelineAndOneFilePerOutcome) {
  const std::map<std::string, std::string> p = Plots(Grid({"500", "1000", "2000"}));
  for (const char* name : {"promotion_cdf_loss-0.svg", "failover_times_loss-0.svg", "failover_times_loss-10.svg",
                           "pfail_ms.svg", "promoted_ms.svg", "false_fails.svg"}) {
    ASSERT_EQ(p.count(name), 1u) << name;
    EXPECT_NE(p.at(name).find("<svg"), std::string::npos);
    EXPECT_NE(p.at(name).find("</svg>"), std::string::npos);
  }
  EXPECT_EQ(p.size(), 8u) << "1 CDF (loss=10 never promotes), 2 timelines, 5 outcomes";
  EXPECT_NE(p.at("promotion_cdf_loss-0.svg").find("nt=2000"), std::string::npos);
  EXPECT_NE(p.at("promoted_ms.svg").find("loss=0"), std::string::npos)
      << "one series per value of the other axis";
  EXPECT_NE(p.at("promotion_cdf_loss-0.svg").find("grid: promotion after the fault"),
            std::string::npos);
}

TEST(SweepPlotsTest, ManyMainAxisValuesAreThinnedInTheCdf) {
  std::vector<std::string> nts;
  for (int i = 1; i <= 20; ++i) nts.push_back(absl::StrCat(i * 500));
  const std::map<std::string, std::string> p = Plots(Grid(nts));
  const std::string& cdf = p.at("promotion_cdf_loss-0.svg");
  EXPECT_NE(cdf.find("nt=500<"), std::string::npos);
  EXPECT_NE(cdf.find("nt=10000<"), std::string::npos);
  EXPECT_EQ(cdf.find("nt=1000<"), std::string::npos) << "thinned out";
  std::set<std::string> labels;
  for (size_t i = cdf.find("nt="); i != std::string::npos; i = cdf.find("nt=", i + 1)) {
    labels.insert(cdf.substr(i, cdf.find('<', i) - i));
  }
  EXPECT_EQ(labels.size(), static_cast<size_t>(kMaxCdfSeries));
}

TEST(SweepPlotsTest, NonNumericMainAxisAndNoAxes) {
  Manifest m = Grid({"500", "1000"});
  m.axes[0].values = {"yes", "no"};
  std::string text = FormatCsvRecord(m.columns);
  const RunsTable numeric = Rows(Grid({"500", "1000"}));
  RunsTable words = numeric;
  for (auto& [run, row] : words.rows) row[2] = row[2] == "500" ? "yes" : "no";
  absl::StatusOr<std::vector<PlotFile>> files = SweepPlots(m, words);
  ASSERT_TRUE(files.ok()) << files.status();
  bool found = false;
  for (const PlotFile& f : *files) {
    if (f.name == "promoted_ms.svg") {
      found = true;
      EXPECT_NE(f.svg.find("position in the list"), std::string::npos);
    }
  }
  EXPECT_TRUE(found);

  Manifest none = Grid({"500"});
  none.axes.clear();
  none.main_axis.clear();
  absl::StatusOr<std::vector<PlotFile>> only = SweepPlots(none, Rows(Grid({"500"})));
  ASSERT_TRUE(only.ok()) << only.status();
  ASSERT_EQ(only->size(), 1u);
  EXPECT_EQ((*only)[0].name, "promotion_cdf.svg");
}

}  // namespace
}  // namespace slotsim::tools::sweep
