// End-to-end tests of RunSweep and MergeSweeps on a small real sweep: two
// node timeouts x three seeds of a short master crash with clients.

#include "tools/sweep/sweep_job.h"

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "scenarios/sweep_loader.h"
#include "tools/report/atomic_file.h"
#include "tools/report/csv.h"
#include "tools/sweep/merge.h"
#include "tools/sweep/results_dir.h"

namespace slotsim::tools::sweep {
namespace {

constexpr char kBase[] =
    "name: 'small-crash'\n"
    "topology { masters: 3 replicas_per_master: 1 }\n"
    "knobs { cluster_node_timeout: 1000 }\n"
    "workload { clients: 1 ops_per_s: 50 }\n"
    "duration_ms: 6000\n"
    "faults { at_ms: 2000 crash { node: 'm1' } }\n";

constexpr char kSweep[] =
    "name: 'small'\n"
    "base: 'base.textproto'\n"
    "axis { path: 'knobs.cluster_node_timeout' label: 'nt' values: ['1000', '1500'] }\n"
    "seeds_per_point: 3\n";

SweepPlan Plan(int seeds = 3) {
  absl::StatusOr<scenarios::LoadedSweep> s = scenarios::LoadSweepText(kSweep, "sweep.textproto");
  EXPECT_TRUE(s.ok()) << s.status();
  PlanOptions o;
  o.seeds_per_point = seeds;
  absl::StatusOr<SweepPlan> p = SweepPlan::Build(*s, kBase, o);
  EXPECT_TRUE(p.ok()) << p.status();
  return *std::move(p);
}

std::string TempDir(const std::string& name) {
  const char* root = std::getenv("TEST_TMPDIR");
  return absl::StrCat(root != nullptr ? root : "/tmp", "/", name);
}

SweepOptions Options(const std::string& dir, int jobs) {
  SweepOptions o;
  o.out_dir = dir;
  o.jobs = jobs;
  o.build = "test-build";
  o.progress = false;
  o.execute.check_properties = false;  // faster; the runs are the same
  return o;
}

// Every file under `dir` (relative path -> contents).
std::map<std::string, std::string> Tree(const std::string& dir, const std::string& rel = "") {
  std::map<std::string, std::string> out;
  DIR* d = opendir(JoinPath(dir, rel).c_str());
  if (d == nullptr) return out;
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    const std::string path = rel.empty() ? name : rel + "/" + name;
    if (e->d_type == DT_DIR) {
      for (auto& [k, v] : Tree(dir, path)) out[k] = v;
    } else {
      out[path] = *ReadFileToString(JoinPath(dir, path));
    }
  }
  closedir(d);
  return out;
}

void ExpectSameTree(const std::map<std::string, std::string>& a,
                    const std::map<std::string, std::string>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, text] : a) {
    ASSERT_EQ(b.count(name), 1u) << name;
    EXPECT_EQ(b.at(name), text) << name << " differs";
  }
}

class SweepJobTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    reference_ = new std::map<std::string, std::string>();
    const std::string dir = TempDir("reference");
    absl::StatusOr<SweepReport> r = RunSweep(Plan(), Options(dir, 1));
    ASSERT_TRUE(r.ok()) << r.status();
    *reference_ = Tree(dir);
  }
  static std::map<std::string, std::string>* reference_;
};
std::map<std::string, std::string>* SweepJobTest::reference_ = nullptr;

TEST_F(SweepJobTest, WritesRunsSummaryPlotsAndManifest) {
  const auto& t = *reference_;
  for (const char* f : {"sweep.json", "runs.csv", "summary.csv", "plots/promotion_cdf.svg",
                        "plots/failover_times.svg", "plots/promoted_ms.svg",
                        "plots/unavail_m1_ms.svg"}) {
    EXPECT_EQ(t.count(f), 1u) << f;
  }
  absl::StatusOr<CsvTable> runs = ParseCsvTable(t.at("runs.csv"));
  ASSERT_TRUE(runs.ok()) << runs.status();
  ASSERT_EQ(runs->rows.size(), 6u);
  EXPECT_EQ(*runs->Get(4, "nt"), "1500");
  EXPECT_EQ(*runs->Get(4, "seed"), "2");
  EXPECT_EQ(*runs->Get(4, "status"), "ok") << *runs->Get(4, "detail");
  EXPECT_NE(*runs->Get(4, "promoted_ms"), "");
  absl::StatusOr<CsvTable> summary = ParseCsvTable(t.at("summary.csv"));
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(*summary->Get(0, "count"), "3");
  EXPECT_EQ(summary->rows.size() % 2, 0u) << "two points, the same outcomes each";
}

TEST_F(SweepJobTest, ResultsDoNotDependOnJobs) {
  const std::string dir = TempDir("jobs2");
  absl::StatusOr<SweepReport> r = RunSweep(Plan(), Options(dir, 2));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->ran, 6);
  EXPECT_TRUE(r->complete);
  ExpectSameTree(*reference_, Tree(dir));
}

TEST_F(SweepJobTest, MergedShardsEqualOneMachineByteForByte) {
  std::vector<std::string> dirs;
  for (int i = 0; i < 3; ++i) {
    SweepOptions o = Options(TempDir(absl::StrCat("shard", i)), 1);
    o.shard = Shard{i, 3};
    absl::StatusOr<SweepReport> r = RunSweep(Plan(), o);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->shard_runs, 2);
    dirs.push_back(o.out_dir);
  }
  // Shards in any order, one given twice.
  absl::StatusOr<MergeReport> m =
      MergeSweeps({dirs[2], dirs[0], dirs[1], dirs[0]}, TempDir("merged"));
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(m->complete());
  ExpectSameTree(*reference_, Tree(TempDir("merged")));

  absl::StatusOr<MergeReport> partial = MergeSweeps({dirs[1]}, TempDir("partial"));
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_FALSE(partial->complete());
  EXPECT_EQ(partial->runs_recorded, 2);
}

TEST_F(SweepJobTest, MergeRefusesResultsOfAnotherSweep) {
  SweepOptions o = Options(TempDir("other-seeds"), 1);
  o.shard = Shard{0, 2};
  ASSERT_TRUE(RunSweep(Plan(2), o).ok());
  SweepOptions p = Options(TempDir("same-seeds"), 1);
  p.shard = Shard{1, 2};
  ASSERT_TRUE(RunSweep(Plan(), p).ok());
  absl::StatusOr<MergeReport> m = MergeSweeps({o.out_dir, p.out_dir}, TempDir("bad-merge"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("not a shard of the same sweep"), std::string::npos)
      << m.status();
}

TEST_F(SweepJobTest, ResumeAfterAnInterruptionSkipsRecordedRuns) {
  const std::string dir = TempDir("interrupted");
  SweepOptions o = Options(dir, 2);
  o.checkpoint_interval_ms = 0;
  int recorded = 0;
  o.on_recorded = [&](int64_t) { ++recorded; };
  o.stop = [&] { return recorded >= 2; };
  absl::StatusOr<SweepReport> first = RunSweep(Plan(), o);
  ASSERT_TRUE(absl::IsCancelled(first.status())) << first.status();
  EXPECT_NE(first.status().message().find("--resume"), std::string::npos);
  absl::StatusOr<CsvTable> partial = ParseCsvTable(*ReadFileToString(JoinPath(dir, "runs.csv")));
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_GE(partial->rows.size(), 2u);
  EXPECT_LT(partial->rows.size(), 6u);

  SweepOptions again = Options(dir, 1);
  absl::StatusOr<SweepReport> refused = RunSweep(Plan(), again);
  EXPECT_TRUE(absl::IsFailedPrecondition(refused.status())) << "needs --resume";
  again.resume = true;
  int ran = 0;
  again.on_recorded = [&](int64_t) { ++ran; };
  absl::StatusOr<SweepReport> second = RunSweep(Plan(), again);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->resumed, static_cast<int64_t>(partial->rows.size()));
  EXPECT_EQ(second->ran + second->resumed, 6);
  EXPECT_EQ(ran, second->ran);
  ExpectSameTree(*reference_, Tree(dir));

  absl::StatusOr<SweepReport> nothing_left = RunSweep(Plan(), again);
  ASSERT_TRUE(nothing_left.ok());
  EXPECT_EQ(nothing_left->ran, 0);
  ExpectSameTree(*reference_, Tree(dir));

  absl::StatusOr<SweepReport> other = RunSweep(Plan(4), again);
  EXPECT_TRUE(absl::IsFailedPrecondition(other.status())) << "another sweep's results";
}

TEST_F(SweepJobTest, AKilledSweepLeavesWholeRowsOnly) {
  const std::string dir = TempDir("killed");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    SweepOptions o = Options(dir, 2);
    o.checkpoint_interval_ms = 0;
    int recorded = 0;
    o.on_recorded = [&](int64_t) {
      if (++recorded == 3) raise(SIGKILL);  // no cleanup of any kind
    };
    (void)RunSweep(Plan(), o);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  const std::string text = *ReadFileToString(JoinPath(dir, "runs.csv"));
  ASSERT_TRUE(absl::EndsWith(text, "\n"));
  absl::StatusOr<CsvTable> rows = ParseCsvTable(text);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(rows->rows.size(), 3u) << "with a checkpoint after every run, every recorded row";

  SweepOptions resume = Options(dir, 2);
  resume.resume = true;
  absl::StatusOr<SweepReport> r = RunSweep(Plan(), resume);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->resumed, 3);
  ExpectSameTree(*reference_, Tree(dir));  // the temporary file is gone too
}

}  // namespace
}  // namespace slotsim::tools::sweep
