// slotsim sweep / merge: parameter sweeps over many seeds (tools/sweep/).

#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "props/registry.h"
#include "tools/build_info.h"
#include "tools/cli_common.h"
#include "tools/commands.h"
#include "tools/sweep/merge.h"
#include "tools/sweep/shard.h"
#include "tools/sweep/sweep_job.h"
#include "tools/sweep/sweep_plan.h"

namespace slotsim::tools {
namespace po = boost::program_options;
namespace {

constexpr int kExitInterrupted = 130;  // as a shell reports Ctrl-C

volatile std::sig_atomic_t g_interrupted = 0;
void OnInterrupt(int) { g_interrupted = 1; }

// SIGINT and SIGTERM set a flag the sweep polls while this is alive.
class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted = 0;
    struct sigaction sa {};
    sa.sa_handler = OnInterrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

int DefaultJobs() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

// Parses; returns an exit code after printing help or an error.
std::optional<int> Parse(const Args& args, po::options_description& desc,
                         po::options_description& hidden, po::positional_options_description& pos,
                         const char* usage, const char* about, po::variables_map& vm) {
  po::options_description all;
  all.add(desc).add(hidden);
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "slotsim: " << e.what() << "\nusage: " << usage << "\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << "usage: " << usage << "\n\n" << about << "\n\n" << desc << "\n";
    return kExitOk;
  }
  return std::nullopt;
}

constexpr char kSweepUsage[] =
    "slotsim sweep SPEC.textproto --out DIR [--jobs J] [--seeds N] [--shard I/N] [--resume]";
constexpr char kSweepAbout[] =
    "Runs a parameter sweep (scenarios/sweep.proto, docs/research.md): every point of the\n"
    "grid of axes over seeds_per_point seeds, on J worker processes. Writes into DIR:\n"
    "  runs.csv     one row per run: axis values, seed, measured outcomes, status\n"
    "  summary.csv  per point and outcome: count, mean, median, p90, p99, min, max, 95% CIs\n"
    "  plots/*.svg  CDF of the promotion time, each outcome's median against the main axis\n"
    "  sweep.json   what the directory holds (for --resume and `slotsim merge`)\n"
    "Results do not depend on --jobs. runs.csv is published atomically every few seconds;\n"
    "after an interruption (Ctrl-C, a killed job) --resume runs only what is missing.\n"
    "--shard I/N runs runs I, I+N, I+2N, ... (I from 0) for batch systems; join the\n"
    "shards' directories with `slotsim merge`.\n"
    "Exit codes: 0 the sweep is complete (runs whose property or expectation failed are\n"
    "data: see the status column), 2 bad input or usage, 130 interrupted.";

}  // namespace

int SweepCommand(const Args& args) {
  std::string spec, out, shard_text, main_axis;
  int jobs = DefaultJobs();
  int seeds = 0;
  bool resume = false, no_check = false, dry_run = false;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")
      ("out", po::value(&out), "results directory (required)")
      ("jobs,j", po::value(&jobs), "worker processes (default: the number of CPUs)")
      ("seeds", po::value(&seeds), "seeds per point (overrides the file's seeds_per_point)")
      ("shard", po::value(&shard_text), "run only shard I of N (I/N, I from 0)")
      ("resume", po::bool_switch(&resume), "continue the sweep recorded in --out")
      ("main-axis", po::value(&main_axis),
       "the axis (by label) on the plots' x axis (default: the first axis)")
      ("no-check", po::bool_switch(&no_check),
       "do not run the property checkers (faster; outcomes are the same)")
      ("dry-run", po::bool_switch(&dry_run), "print the grid and the number of runs, run nothing");
  po::options_description hidden;
  hidden.add_options()("spec", po::value(&spec));
  po::positional_options_description pos;
  pos.add("spec", 1);
  po::variables_map vm;
  if (auto code = Parse(args, desc, hidden, pos, kSweepUsage, kSweepAbout, vm)) return *code;
  if (spec.empty() || (out.empty() && !dry_run)) {
    std::cerr << "slotsim: sweep needs a sweep file and --out\nusage: " << kSweepUsage << "\n";
    return kExitUsage;
  }
  if (jobs < 1 || (vm.count("seeds") && seeds < 1)) {
    std::cerr << "slotsim: --jobs and --seeds must be at least 1\n";
    return kExitUsage;
  }
  sweep::SweepOptions options;
  if (!shard_text.empty()) {
    absl::StatusOr<sweep::Shard> shard = sweep::ParseShard(shard_text);
    if (!shard.ok()) {
      std::cerr << "slotsim: " << shard.status().message() << "\n";
      return kExitUsage;
    }
    options.shard = *shard;
  }
  sweep::PlanOptions plan_options;
  if (vm.count("seeds")) plan_options.seeds_per_point = seeds;
  plan_options.known_properties = props::AllPropertyNames();
  absl::StatusOr<sweep::SweepPlan> plan = sweep::SweepPlan::Load(spec, plan_options);
  if (!plan.ok()) {
    std::cerr << plan.status().message() << "\n";
    return kExitUsage;
  }
  const int64_t shard_runs = static_cast<int64_t>(options.shard.Runs(plan->run_count()).size());
  if (dry_run) {
    std::vector<std::string> labels;
    for (const auto& a : plan->axes()) labels.push_back(a.label);
    std::cout << "sweep " << plan->name() << ": " << plan->points().size() << " points x "
              << plan->seeds_per_point() << " seeds = " << plan->run_count() << " runs";
    if (!options.shard.all()) std::cout << " (" << shard_runs << " in shard "
                                        << options.shard.ToString() << ")";
    std::cout << "\npoint," << absl::StrJoin(labels, ",") << "\n";
    for (size_t p = 0; p < plan->points().size(); ++p) {
      std::cout << p << "," << absl::StrJoin(plan->points()[p].values, ",") << "\n";
    }
    return kExitOk;
  }
  options.out_dir = out;
  options.jobs = jobs;
  options.resume = resume;
  options.main_axis = main_axis;
  options.execute.check_properties = !no_check;
  options.build = BuildId();
  InterruptGuard guard;
  options.stop = [] { return g_interrupted != 0; };
  absl::StatusOr<sweep::SweepReport> report = sweep::RunSweep(*plan, options);
  if (absl::IsCancelled(report.status())) {
    std::cerr << "slotsim: " << report.status().message() << "\n";
    return kExitInterrupted;
  }
  if (!report.ok()) {
    std::cerr << "slotsim: " << report.status().message() << "\n";
    return kExitUsage;
  }
  const double rate = report->wall_seconds > 0 ? report->ran / report->wall_seconds : 0;
  std::cout << "sweep " << plan->name() << ": " << report->ran << " runs in "
            << absl::StrCat(static_cast<int64_t>(report->wall_seconds * 10) / 10.0) << " s ("
            << absl::StrCat(static_cast<int64_t>(rate * 10) / 10.0) << " runs/s, " << jobs
            << (jobs == 1 ? " job" : " jobs") << ")";
  if (report->resumed > 0) std::cout << ", " << report->resumed << " already recorded";
  std::cout << "\n";
  if (!options.shard.all()) {
    std::cout << "shard " << options.shard.ToString() << ": " << report->shard_runs << " of "
              << plan->run_count() << " runs; join the shards with `slotsim merge`\n";
  }
  std::cout << "results: " << out << "/{runs.csv,summary.csv,plots/}\n";
  if (report->not_ok > 0) {
    std::cout << report->not_ok
              << " runs did not end ok (a property, an expectation or the run itself "
                 "failed): see the status and detail columns of runs.csv\n";
  }
  return kExitOk;
}

int MergeCommand(const Args& args) {
  constexpr char kUsage[] = "slotsim merge DIR... --out OUT";
  constexpr char kAbout[] =
      "Joins the results directories of a sweep's shards (slotsim sweep --shard I/N) into\n"
      "OUT: the same runs.csv, summary.csv, plots and sweep.json one machine running the\n"
      "whole sweep would have written. The inputs must come from the same sweep file, base\n"
      "scenario and build.";
  std::vector<std::string> dirs;
  std::string out;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")("out", po::value(&out),
                                                 "the merged results directory (required)");
  po::options_description hidden;
  hidden.add_options()("dir", po::value(&dirs)->composing());
  po::positional_options_description pos;
  pos.add("dir", -1);
  po::variables_map vm;
  if (auto code = Parse(args, desc, hidden, pos, kUsage, kAbout, vm)) return *code;
  if (dirs.empty() || out.empty()) {
    std::cerr << "slotsim: merge needs result directories and --out\nusage: " << kUsage << "\n";
    return kExitUsage;
  }
  absl::StatusOr<sweep::MergeReport> r = sweep::MergeSweeps(dirs, out);
  if (!r.ok()) {
    std::cerr << "slotsim: " << r.status().message() << "\n";
    return kExitUsage;
  }
  std::cout << "merged " << r->inputs << " directories into " << out << ": "
            << r->runs_recorded << " of " << r->runs_total << " runs";
  if (!r->complete()) {
    std::cout << " (incomplete: " << r->runs_total - r->runs_recorded
              << " runs missing; the summary covers the recorded ones)";
  }
  std::cout << "\n";
  return kExitOk;
}

}  // namespace slotsim::tools
