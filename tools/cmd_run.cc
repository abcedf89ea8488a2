// slotsim run / replay / nodes.

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "scenarios/loader.h"
#include "scenarios/runner.h"
#include "scenarios/seed_file.h"
#include "tools/build_info.h"
#include "tools/checkers.h"
#include "tools/cli_common.h"
#include "tools/commands.h"
#include "tools/report/progress.h"
#include "tools/run_output.h"
#include "tools/timeline.h"

namespace slotsim::tools {
namespace po = boost::program_options;
namespace {

struct RunFlags {
  std::string file;
  std::optional<uint64_t> seed;
  std::vector<std::string> sets;
  std::string out;
  std::string save_seed;
  bool timeline = false;
  bool json = false;
  bool quiet = false;
};

void AddCommonOptions(po::options_description& d, RunFlags& f, std::string& seed_text) {
  d.add_options()
      ("help,h", "show this help")
      ("seed", po::value(&seed_text),
       "the run's seed (default: the file's `seed`, else 1)")
      ("set", po::value(&f.sets)->composing(),
       "override a scalar field of the scenario by its path, e.g. "
       "--set knobs.cluster_node_timeout=5000 (repeatable)");
}

// Parses; returns nullopt after printing help (exit 0) or an error (exit 2).
std::optional<int> Parse(const Args& args, po::options_description& desc,
                         const char* usage, const char* about, RunFlags& f,
                         std::string& seed_text) {
  po::positional_options_description pos;
  pos.add("file", 1);
  po::options_description hidden;
  hidden.add_options()("file", po::value(&f.file));
  po::options_description all;
  all.add(desc).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "slotsim: " << e.what() << "\nusage: " << usage << "\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << "usage: " << usage << "\n\n" << about << "\n\n" << desc << "\n"
              << "exit codes: 0 all properties and expectations held, 1 one failed, "
                 "2 bad input or usage\n";
    return kExitOk;
  }
  if (f.file.empty()) {
    std::cerr << "slotsim: missing scenario file\nusage: " << usage << "\n";
    return kExitUsage;
  }
  if (!seed_text.empty()) {
    uint64_t s = 0;
    if (!absl::SimpleAtoi(seed_text, &s)) {
      std::cerr << "slotsim: --seed expects an unsigned integer, got '" << seed_text << "'\n";
      return kExitUsage;
    }
    f.seed = s;
  }
  return std::nullopt;
}

std::string Hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(v));
  return buf;
}

struct Outcome {
  scenarios::RunResult result;
  SummaryInfo info;
  int exit_code = kExitOk;
};

// Runs `scenario` and prints what the flags ask for. Returns the outcome.
Outcome Execute(const scenarios::Scenario& scenario, const RunFlags& f,
                const std::string& command_for_repro) {
  Outcome o;
  CheckerSet checkers = MakeCheckers(scenario);
  scenarios::RunOptions options;
  options.seed = f.seed;
  options.checkers = checkers.pointers();
  options.lost_writes = [&checkers](const scenarios::World& w, const scenarios::RunRecord& r) {
    return checkers.WritesLost(w, r);
  };
  std::ostream& tl = f.json ? std::cerr : std::cout;
  std::unique_ptr<RunOutput> out;
  scenarios::Runner* runner = nullptr;  // set below; callbacks run inside Run()
  // The runner builds the world in Run(); outputs need the node names, which
  // the layout gives before the world exists.
  std::vector<std::string> node_names;
  for (const auto& n : scenarios::ExpandTopology(scenario).nodes) node_names.push_back(n.name);
  if (!f.out.empty()) {
    auto opened = RunOutput::Open(f.out, node_names);
    if (!opened.ok()) {
      std::cerr << "slotsim: " << opened.status().message() << "\n";
      o.exit_code = kExitUsage;
      return o;
    }
    out = std::move(opened).value();
  }
  const sim::Time start;  // scenario time zero is simulated time zero
  scenarios::RunOptions& opts = options;
  opts.on_event = [&](const scenarios::WorldEvent& e) {
    if (f.timeline) {
      std::string line = TimelineLine(e, runner->world(), start);
      if (!line.empty()) tl << line << "\n";
    }
    if (out) out->OnEvent(e, runner->world(), start);
  };
  opts.on_fault = [&](const scenarios::FaultRecord& r) {
    if (f.timeline) tl << TimelineFaultLine(r, start) << "\n";
    if (out) out->OnFault(r, start);
  };
  const auto wall_start = std::chrono::steady_clock::now();
  std::unique_ptr<ProgressLine> progress;
  opts.progress = [&](double fraction) {
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                      wall_start).count();
    if (wall < 2.0 || f.timeline) return;  // short runs, or the timeline owns the terminal
    if (!progress) progress = std::make_unique<ProgressLine>("run", 1000);
    progress->Update(static_cast<int64_t>(fraction * 1000));
  };
  scenarios::Runner the_runner(scenario, opts);
  runner = &the_runner;
  o.result = runner->Run();
  if (progress) progress->Finish();
  o.info.wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - wall_start)
                       .count();
  o.info.scenario = scenario.name();
  o.info.file = f.file;
  o.info.build = BuildId();
  o.info.properties = checkers.Results();
  o.info.writes_acked = o.result.record.history.acked_writes();
  o.info.writes_lost = checkers.WritesLost(runner->world(), o.result.record);
  o.info.reproduce = ReproduceLine(command_for_repro, f.file, o.result.seed, f.sets);
  o.exit_code = o.result.ok() ? kExitOk : kExitFailed;
  if (out) {
    absl::Status st = out->Finish(runner->world().now(), start, SummaryJson(o.result, o.info));
    if (!st.ok()) {
      std::cerr << "slotsim: writing " << f.out << ": " << st.message() << "\n";
      o.exit_code = kExitUsage;
    }
  }
  return o;
}

void PrintHuman(const Outcome& o, const RunFlags& f) {
  const scenarios::RunResult& r = o.result;
  const sim::Time start = r.record.start;
  auto t = [&](sim::Time x) {
    return x == sim::Time::Max() ? std::string("-") : (x - start).ToString();
  };
  std::cout << "scenario " << (o.info.scenario.empty() ? f.file : o.info.scenario) << ", seed "
            << r.seed << "\n";
  if (!r.record.failovers.empty()) {
    std::cout << "failovers:\n";
    for (const auto& fo : r.record.failovers) {
      std::cout << "  " << fo.failed_node << " -> " << fo.promoted_node << (fo.manual ? " (manual)" : "")
                << ": pfail " << t(fo.pfail_at) << ", fail " << t(fo.fail_at) << ", election "
                << t(fo.election_started_at) << ", promoted " << t(fo.promoted_at)
                << ", configEpoch " << fo.config_epoch << "\n";
    }
  }
  if (!r.expectations.empty()) {
    std::cout << "expectations:\n";
    for (const auto& e : r.expectations) {
      std::cout << "  " << (e.held ? "ok    " : "FAIL  ") << e.description;
      if (!e.held) std::cout << "  (observed: " << e.observed << ")";
      std::cout << "\n";
    }
  }
  if (!o.info.properties.empty()) {
    std::cout << "properties:\n";
    for (const auto& [name, held] : o.info.properties) {
      std::cout << "  " << (held ? "ok    " : "FAIL  ") << name << "\n";
    }
    for (const auto& v : r.violations) {
      std::cout << "  violation " << v.property << " at " << t(v.at) << ": " << v.message << "\n";
    }
  }
  std::cout << "writes: " << o.info.writes_acked << " acknowledged, " << o.info.writes_lost
            << " lost\n";
  if (!r.error.empty()) std::cout << "error: " << r.error << "\n";
  std::cout << "convergence: "
            << (r.record.converged ? "converged at " + t(r.record.converged_at)
                                   : std::string("not converged"))
            << " (bound " << r.record.converge_bound.ToString() << " after the heal)\n";
  std::cout << "result: " << (r.ok() ? "OK" : "FAILED") << "  (" << r.sim_time_ms / 1000.0
            << " s simulated in " << o.info.wall_ms / 1000.0 << " s, " << r.events
            << " events, trace " << Hex(r.trace_hash) << ")\n";
  if (!r.ok()) std::cout << "reproduce: " << o.info.reproduce << "\n";
}

void PrintOutcome(const Outcome& o, const RunFlags& f) {
  if (f.json) {
    std::cout << SummaryJson(o.result, o.info).Pretty() << "\n";
  } else if (!f.quiet) {
    PrintHuman(o, f);
  }
}

// A seed file for this run: the scenario plus seed, build, hashes
// (scenarios/seed_file.h, shared with slotsim check).
absl::Status SaveSeedFile(const std::string& path, const scenarios::Scenario& scenario,
                          const Outcome& o) {
  const scenarios::Violation* v =
      o.result.violations.empty() ? nullptr : &o.result.violations.front();
  return scenarios::WriteScenarioFile(
      path, scenarios::MakeSeedFile(scenario, o.result, BuildId(), v),
      scenarios::SeedFileComment(o.result, BuildId(), v));
}

constexpr char kRunUsage[] =
    "slotsim run FILE [--seed N] [--set PATH=VALUE]... [--out DIR] [--timeline] [--json] "
    "[--save-seed FILE]";
constexpr char kRunAbout[] =
    "Runs the scenario in FILE (protobuf text format, see docs/scenario-format.md): the\n"
    "safety phase with its faults, then the heal phase until the cluster converges.\n"
    "Prints failovers, expectations, properties and a reproduce line on failure.";

}  // namespace

int RunCommand(const Args& args) {
  RunFlags f;
  std::string seed_text;
  po::options_description desc("options");
  AddCommonOptions(desc, f, seed_text);
  desc.add_options()
      ("out", po::value(&f.out), "write events.jsonl, trace.json (Perfetto) and summary.json here")
      ("timeline", po::bool_switch(&f.timeline),
       "print one line per state transition per node (to stderr with --json)")
      ("json", po::bool_switch(&f.json), "print the summary as one JSON object on stdout")
      ("quiet", po::bool_switch(&f.quiet), "print nothing; the exit code tells")
      ("save-seed", po::value(&f.save_seed), "write a seed file that `slotsim replay` reproduces");
  if (auto code = Parse(args, desc, kRunUsage, kRunAbout, f, seed_text)) return *code;
  auto loaded = LoadForRun(f.file, f.sets);
  if (!loaded.ok()) {
    std::cerr << loaded.status().message() << "\n";
    return kExitUsage;
  }
  for (const auto& w : loaded->warnings) std::cerr << w.ToString() << "\n";
  Outcome o = Execute(loaded->scenario, f, "run");
  if (o.exit_code == kExitUsage) return o.exit_code;
  PrintOutcome(o, f);
  if (!f.save_seed.empty()) {
    absl::Status st = SaveSeedFile(f.save_seed, loaded->scenario, o);
    if (!st.ok()) {
      std::cerr << "slotsim: " << st.message() << "\n";
      return kExitUsage;
    }
  }
  return o.exit_code;
}

int ReplayCommand(const Args& args) {
  constexpr char kUsage[] = "slotsim replay SEEDFILE [--out DIR] [--no-timeline] [--json]";
  constexpr char kAbout[] =
      "Re-runs a seed file (a scenario with seed, build and expected_trace_hash, as\n"
      "`slotsim check` or `run --save-seed` write it) event for event, prints its timeline,\n"
      "and checks the trace hash. On a mismatch it says between which simulated instants\n"
      "the run diverged (from the file's checkpoint hashes).";
  RunFlags f;
  std::string seed_text;
  bool no_timeline = false;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")
      ("out", po::value(&f.out), "write events.jsonl, trace.json and summary.json here")
      ("no-timeline", po::bool_switch(&no_timeline), "do not print the timeline")
      ("json", po::bool_switch(&f.json), "print the summary as one JSON object on stdout");
  if (auto code = Parse(args, desc, kUsage, kAbout, f, seed_text)) return *code;
  f.timeline = !no_timeline;
  auto loaded = LoadForRun(f.file, {});
  if (!loaded.ok()) {
    std::cerr << loaded.status().message() << "\n";
    return kExitUsage;
  }
  const scenarios::Scenario& s = loaded->scenario;
  if (!s.has_seed() || !s.has_expected_trace_hash()) {
    std::cerr << f.file << ": not a seed file (needs `seed` and `expected_trace_hash`)\n";
    return kExitUsage;
  }
  if (s.has_build() && s.build() != BuildId()) {
    std::cerr << "slotsim: note: written by " << s.build() << ", replaying on " << BuildId()
              << "; hashes match only on the same build\n";
  }
  Outcome o = Execute(s, f, "replay");
  if (o.exit_code == kExitUsage) return o.exit_code;
  PrintOutcome(o, f);
  std::ostream& msg = f.json ? std::cerr : std::cout;
  if (o.result.trace_hash == s.expected_trace_hash()) {
    msg << "replay: trace hash " << Hex(o.result.trace_hash) << " matches\n";
    return o.exit_code;
  }
  msg << "replay: DIVERGED: trace hash " << Hex(o.result.trace_hash) << ", expected "
      << Hex(s.expected_trace_hash()) << "\n";
  const auto& got = o.result.record.checkpoints;
  const int64_t every = s.checkpoint_interval_ms() > 0 ? s.checkpoint_interval_ms() : 1000;
  size_t k = 0;
  while (k < got.size() && k < static_cast<size_t>(s.checkpoint_hash_size()) &&
         got[k] == s.checkpoint_hash(k)) {
    ++k;
  }
  if (k < got.size() && k < static_cast<size_t>(s.checkpoint_hash_size())) {
    msg << "replay: first difference between " << sim::Duration::Millis(k * every).ToString()
        << " and " << sim::Duration::Millis((k + 1) * every).ToString()
        << " of simulated time (checkpoint " << k + 1 << ")\n";
  } else {
    msg << "replay: every checkpoint matched (" << k << "); the runs differ after "
        << sim::Duration::Millis(k * every).ToString() << "\n";
  }
  return kExitFailed;
}

int NodesCommand(const Args& args) {
  constexpr char kUsage[] =
      "slotsim nodes FILE --at TIME --node NAME [--seed N] [--set PATH=VALUE]...";
  constexpr char kAbout[] =
      "Runs the scenario up to TIME (e.g. 12.5s, 1500ms) and prints node NAME's\n"
      "CLUSTER NODES reply, in Redis's own text format.";
  RunFlags f;
  std::string seed_text, at_text, node;
  po::options_description desc("options");
  AddCommonOptions(desc, f, seed_text);
  desc.add_options()("at", po::value(&at_text), "simulated time to stop at (required)")
      ("node", po::value(&node), "the node whose view to print, e.g. m1 (required)");
  if (auto code = Parse(args, desc, kUsage, kAbout, f, seed_text)) return *code;
  if (at_text.empty() || node.empty()) {
    std::cerr << "slotsim: nodes needs --at and --node\nusage: " << kUsage << "\n";
    return kExitUsage;
  }
  auto at = ParseTimeMs(at_text);
  if (!at.ok()) {
    std::cerr << "slotsim: --at: " << at.status().message() << "\n";
    return kExitUsage;
  }
  auto loaded = LoadForRun(f.file, f.sets);
  if (!loaded.ok()) {
    std::cerr << loaded.status().message() << "\n";
    return kExitUsage;
  }
  const auto layout = scenarios::ExpandTopology(loaded->scenario);
  if (layout.Find(node) == nullptr) {
    std::cerr << "slotsim: no node named '" << node << "' in " << f.file << "\n";
    return kExitUsage;
  }
  scenarios::RunOptions options;
  options.seed = f.seed;
  options.stop_at_ms = *at;
  scenarios::Runner runner(loaded->scenario, options);
  runner.Run();
  scenarios::World& w = runner.world();
  if (w.node(node) == nullptr) {
    std::cout << node << " is down at " << sim::Duration::Millis(*at).ToString() << "\n";
    return kExitFailed;
  }
  std::cout << w.Command(node, {"CLUSTER", "NODES"}).str();
  return kExitOk;
}

}  // namespace slotsim::tools
