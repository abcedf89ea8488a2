// slotsim check: explore random fault schedules over many seeds, shrink every
// new violation to a minimal seed file, report known findings apart.

#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

#include <boost/program_options.hpp>

#include "props/profiles.h"
#include "tools/build_info.h"
#include "tools/check/check_job.h"
#include "tools/cli_common.h"
#include "tools/commands.h"
#include "tools/report/progress.h"

namespace slotsim::tools {
namespace po = boost::program_options;
namespace {

constexpr int kExitInterrupted = 130;

volatile std::sig_atomic_t g_check_interrupted = 0;
void OnCheckInterrupt(int) { g_check_interrupted = 1; }

constexpr char kUsage[] =
    "slotsim check [--profile NAME] --seeds N [--first-seed S] [--jobs J] [--out DIR] "
    "[--json] [--shrink-runs B] [--shrink-known]";
constexpr char kAbout[] =
    "Explores N random runs of a profile (seeds S..S+N-1) on J worker processes. Each run\n"
    "draws a topology, knobs, network, workload and fault schedule from its seed, runs the\n"
    "safety phase, heals every partition, restarts crashed and resumes paused nodes, and\n"
    "checks every default property, convergence included. A violation no finding explains\n"
    "(docs/findings.md) is shrunk to a minimal schedule that still fails the same way and\n"
    "written as DIR/failures/<seed>-<property>.textproto, which `slotsim replay` reproduces.\n"
    "Violations a finding explains are counted apart and saved under DIR/known/ unshrunk.\n"
    "The result (runs, files, summary) depends on the seeds, not on J; only the wall time\n"
    "does. Exit 1 if any run had a new violation or could not be carried out.";

}  // namespace

int CheckCommand(const Args& args) {
  std::string profile_name = "default";
  int64_t seeds = 0;
  uint64_t first_seed = 1;
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  int jobs = cores > 0 ? static_cast<int>(cores) : 1;
  std::string out = "slotsim-check";
  bool json = false;
  int shrink_runs = 200;
  bool shrink_known = false;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")
      ("profile", po::value(&profile_name),
       ("generator weighting: " + props::ProfileNames() + " (default: default)").c_str())
      ("seeds", po::value(&seeds), "number of runs (required)")
      ("first-seed", po::value(&first_seed), "seed of the first run (default 1)")
      ("jobs,j", po::value(&jobs), "worker processes (default: the number of cores)")
      ("out", po::value(&out), "folder for failures/, known/, errors/ and summary.json "
                               "(default slotsim-check)")
      ("json", po::bool_switch(&json), "print the summary as one JSON object on stdout")
      ("shrink-runs", po::value(&shrink_runs),
       "shrink budget: runs per failing seed (default 200; 0: no shrinking)")
      ("shrink-known", po::bool_switch(&shrink_known),
       "shrink violations known findings explain too");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "slotsim: " << e.what() << "\nusage: " << kUsage << "\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << "usage: " << kUsage << "\n\n" << kAbout << "\n\n" << desc << "\n"
              << props::ProfileHelp() << "\n"
              << "exit codes: 0 no new violation, 1 a new violation or an error, 2 bad usage\n";
    return kExitOk;
  }
  const props::Profile* profile = props::FindProfile(profile_name);
  if (profile == nullptr) {
    std::cerr << "slotsim: unknown profile '" << profile_name << "'; profiles are "
              << props::ProfileNames() << "\n";
    return kExitUsage;
  }
  if (seeds <= 0 || jobs <= 0 || shrink_runs < 0) {
    std::cerr << "slotsim: check needs --seeds N > 0, --jobs J > 0 and --shrink-runs >= 0\n"
              << "usage: " << kUsage << "\n";
    return kExitUsage;
  }

  check::CheckOptions options;
  options.profile = profile;
  options.first_seed = first_seed;
  options.seeds = seeds;
  options.jobs = jobs;
  options.shrink_runs = shrink_runs;
  options.shrink_known = shrink_known;
  options.build = BuildId();

  struct sigaction sa = {}, old_sa = {};
  sa.sa_handler = OnCheckInterrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_sa);
  ProgressLine progress("check", seeds);
  auto report = check::RunCheck(
      options, [&](int64_t done) { progress.Update(done); },
      [] { return g_check_interrupted != 0; });
  progress.Finish();
  sigaction(SIGINT, &old_sa, nullptr);
  if (!report.ok()) {
    std::cerr << "slotsim: check: " << report.status().message() << "\n";
    return g_check_interrupted ? kExitInterrupted : kExitUsage;
  }
  if (absl::Status st = check::WriteCheckFiles(out, *report); !st.ok()) {
    std::cerr << "slotsim: writing " << out << ": " << st.message() << "\n";
    return kExitUsage;
  }
  if (json) {
    std::cout << check::CheckSummaryJson(*report, out, true).Pretty() << "\n";
  } else {
    std::cout << check::CheckSummaryText(*report, out);
  }
  return report->failed_runs() + report->errors() > 0 ? kExitFailed : kExitOk;
}

}  // namespace slotsim::tools
