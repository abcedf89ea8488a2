// slotsim bench: fixed workloads that show the simulator's speed and memory.
//
// Each workload runs in a child process (fork) so its peak resident memory is
// its own (wait4's ru_maxrss). Reported per workload: simulated time, wall
// time, dispatched events, events per wall second, simulated-to-wall ratio,
// runs per second where it repeats runs, and peak RSS.
//
// Workloads (targets from the issues):
//   six-node-hour   3 masters + 3 replicas, steady gossip, 1 simulated hour
//                   (target: under 1 s wall)
//   crash-seeds     the master-crash scenario over 1000 seeds (runs/s)
//   hundred-nodes   50 masters + 50 replicas, 60 simulated seconds
//   thousand-nodes  500 masters + 500 replicas, 60 simulated seconds
//                   (targets: under 60 s wall, under 4 GiB)
//   reshard         redis-cli --cluster reshard of m1's 5461 slots to m2,
//                   3 masters + 3 replicas, 300,000 keys preloaded (about
//                   100,000 in m1's slots), no client traffic, MIGRATE batches
//                   of 10; also reports the reshard's own simulated and wall
//                   time (its start to redis-cli's exit) and the keys moved
// --quick shrinks every workload (for smoke tests; the figures are then not
// the targets' figures).

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "absl/strings/match.h"
#include "scenarios/loader.h"
#include "scenarios/runner.h"
#include "sim/time.h"
#include "tools/cli_common.h"
#include "tools/commands.h"

namespace slotsim::tools {
namespace po = boost::program_options;
namespace {

struct Workload {
  const char* name;
  const char* what;
  int masters;
  int replicas;
  int64_t duration_ms;
  int runs;            // > 1: the same scenario over seeds 1..runs
  const char* faults;  // extra scenario text
  // Set: the run's first cluster-manager action is timed and reported under
  // this label; the workload fails if it fails.
  const char* admin_what = nullptr;
};

struct Measure {
  int64_t sim_ms = 0;
  int64_t events = 0;
  double wall_s = 0;
  int runs = 0;
  // The first cluster-manager action of the run (reshard workload): -1 if
  // none finished; ok 1 / 0.
  int64_t admin_sim_ms = -1;
  double admin_wall_s = 0;
  int admin_ok = 0;
  int64_t moved_keys = 0;  // keys of slots 0-5460 on m2 at the end
};

std::string ScenarioText(const Workload& w) {
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                "name: \"bench-%s\"\n"
                "topology { masters: %d replicas_per_master: %d }\n"
                "duration_ms: %lld\n"
                "heal { enabled: %s }\n%s",
                w.name, w.masters, w.replicas, static_cast<long long>(w.duration_ms),
                w.runs > 1 ? "true" : "false", w.faults);
  return buf;
}

Measure RunWorkload(const Workload& w) {
  auto loaded = scenarios::LoadScenarioText(ScenarioText(w), w.name);
  if (!loaded.ok()) {
    std::cerr << loaded.status().message() << "\n";
    std::exit(kExitUsage);
  }
  Measure m;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 1; i <= w.runs; ++i) {
    scenarios::RunOptions o;
    o.seed = static_cast<uint64_t>(i);
    // Times the first cluster-manager action, from its start record to its
    // -done/-failed record (wall time read in the tool, never in the model).
    sim::Time admin_start = sim::Time::Max();
    std::chrono::steady_clock::time_point admin_wall_start;
    o.on_fault = [&](const scenarios::FaultRecord& f) {
      const bool done = absl::EndsWith(f.kind, "-done") || absl::EndsWith(f.kind, "-failed");
      if (!done && f.kind != "command" && admin_start == sim::Time::Max() &&
          absl::StartsWith(f.detail, "redis-cli --cluster")) {
        admin_start = f.at;
        admin_wall_start = std::chrono::steady_clock::now();
      } else if (done && admin_start != sim::Time::Max() && m.admin_sim_ms < 0) {
        m.admin_sim_ms = (f.at - admin_start).millis();
        m.admin_wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                       admin_wall_start)
                             .count();
        m.admin_ok = absl::EndsWith(f.kind, "-done") ? 1 : 0;
      }
    };
    scenarios::Runner r(loaded->scenario, o);
    scenarios::RunResult res = r.Run();
    if (w.admin_what != nullptr) {
      if (const model::Node* m2 = r.world().node("m2")) {
        for (int j = 0; j <= 5460; ++j) m.moved_keys += m2->keyspace().CountKeysInSlot(j);
      }
    }
    m.sim_ms += res.sim_time_ms;
    m.events += static_cast<int64_t>(res.events);
    ++m.runs;
  }
  m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return m;
}

// Runs `w` in a child; prints its line. False if the child failed.
bool Bench(const Workload& w) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  std::cout.flush();
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Measure m = RunWorkload(w);
    char line[256];
    const int n = std::snprintf(line, sizeof line, "%lld %lld %.6f %d %lld %.6f %d %lld\n",
                                static_cast<long long>(m.sim_ms),
                                static_cast<long long>(m.events), m.wall_s, m.runs,
                                static_cast<long long>(m.admin_sim_ms), m.admin_wall_s,
                                m.admin_ok, static_cast<long long>(m.moved_keys));
    if (write(fds[1], line, static_cast<size_t>(n)) != n) _exit(3);
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buf[256];
  ssize_t got;
  while ((got = read(fds[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(got));
  close(fds[0]);
  int status = 0;
  struct rusage ru;
  std::memset(&ru, 0, sizeof ru);
  wait4(pid, &status, 0, &ru);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::printf("%-15s FAILED (child status %d)\n", w.name, status);
    return false;
  }
  long long sim_ms = 0, events = 0, admin_sim_ms = -1, moved_keys = 0;
  double wall = 0, admin_wall = 0;
  int runs = 0, admin_ok = 0;
  std::sscanf(text.c_str(), "%lld %lld %lf %d %lld %lf %d %lld", &sim_ms, &events, &wall,
              &runs, &admin_sim_ms, &admin_wall, &admin_ok, &moved_keys);
  const double rss_mib = static_cast<double>(ru.ru_maxrss) / 1024.0;
  std::printf("%-15s %9.1f s sim  %8.2f s wall  %11lld events  %9.2f Mev/s  %9.0fx", w.name,
              sim_ms / 1000.0, wall, events, events / wall / 1e6, sim_ms / 1000.0 / wall);
  if (runs > 1) std::printf("  %8.1f runs/s", runs / wall);
  std::printf("  peak %7.1f MiB\n", rss_mib);
  if (w.admin_what != nullptr) {
    if (admin_sim_ms < 0) {
      std::printf("%-15s %s: did not finish\n", "", w.admin_what);
    } else {
      std::printf("%-15s %s: %9.3f s sim  %8.2f s wall  %lld keys moved  %s\n", "",
                  w.admin_what, admin_sim_ms / 1000.0, admin_wall, moved_keys,
                  admin_ok ? "ok" : "FAILED (redis-cli)");
    }
    std::fflush(stdout);
    if (admin_ok == 0) return false;
  }
  std::fflush(stdout);
  return true;
}

}  // namespace

int BenchCommand(const Args& args) {
  constexpr char kUsage[] = "slotsim bench [--quick] [--only NAME]";
  bool quick = false;
  std::string only;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")
      ("quick", po::bool_switch(&quick), "shrink every workload (smoke test; not the targets)")
      ("only", po::value(&only), "run only this workload");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "slotsim: " << e.what() << "\nusage: " << kUsage << "\n";
    return kExitUsage;
  }
  static const char kCrash[] =
      "knobs { cluster_node_timeout: 1000 }\n"
      "faults { at_ms: 3000 crash { node: \"m1\" } }\n";
  static const char kReshard[] =
      "workload { clients: 0 keys: 300000 preload: true }\n"
      "faults { at_ms: 5000 reshard { from: \"m1\" to: \"m2\" slots: 5461 } }\n";
  std::vector<Workload> all = {
      {"six-node-hour", "3+3 nodes, 1 simulated hour", 3, 1, 3600000, 1, ""},
      {"crash-seeds", "master crash, 1000 seeds", 3, 1, 8000, 1000, kCrash},
      {"hundred-nodes", "50+50 nodes, 60 simulated s", 50, 1, 60000, 1, ""},
      {"thousand-nodes", "500+500 nodes, 60 simulated s", 500, 1, 60000, 1, ""},
      {"reshard", "reshard 5461 slots holding ~100,000 keys, 3+3 nodes", 3, 1, 60000, 1,
       kReshard, "reshard of 5461 slots"},
  };
  if (vm.count("help")) {
    std::cout << "usage: " << kUsage << "\n\nRuns fixed workloads, each in its own process, "
                 "and prints simulated and wall time,\nevents per second, the simulated-to-wall "
                 "ratio, runs per second and peak memory.\n\nworkloads:\n";
    for (const Workload& w : all) std::cout << "  " << w.name << "  " << w.what << "\n";
    std::cout << "\n" << desc << "\n";
    return kExitOk;
  }
  bool any = false, ok = true;
  for (Workload w : all) {
    if (!only.empty() && only != w.name) continue;
    any = true;
    if (quick) {
      w.duration_ms = std::min<int64_t>(w.duration_ms, 60000);
      if (w.runs > 1) w.runs = 20;
      if (w.masters > 50) {
        w.masters = 50;
        w.duration_ms = 5000;
      }
    }
    ok = Bench(w) && ok;
  }
  if (!any) {
    std::cerr << "slotsim: no workload named '" << only << "'\n";
    return kExitUsage;
  }
  return ok ? kExitOk : kExitFailed;
}

}  // namespace slotsim::tools
