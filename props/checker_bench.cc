// checker_bench: the cost of the default properties on a large formed
// cluster. Runs the same seed twice, with and without every default checker,
// crashing one master halfway so claims, epochs and votes change, and prints
// simulated seconds, dispatched events and wall time for both.
//
//   bazel run //props:checker_bench -- 300 1 20     # 300 masters, 1 replica, 20 s

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "props/registry.h"
#include "props/testing/harness.h"

namespace {

using slotsim::props::MakeCheckers;
using slotsim::props::testing::Harness;
using slotsim::sim::Duration;

double RunOnce(int masters, int replicas, int seconds, bool with_checkers,
               uint64_t* events) {
  Harness h(Harness::Options(masters, replicas, 15000, /*seed=*/1));
  auto checkers = MakeCheckers({});
  if (with_checkers) {
    for (auto& c : *checkers) h.Add(c.get());
  }
  if (!h.FormCluster(masters, replicas)) {
    std::fprintf(stderr, "cluster did not form\n");
    std::exit(1);
  }
  const uint64_t before = h.world().simulator().events_dispatched();
  const auto start = std::chrono::steady_clock::now();  // the tool, not the sim
  h.RunFor(Duration::Seconds(seconds / 2));
  h.world().Crash("m1");
  h.RunFor(Duration::Seconds(seconds - seconds / 2));
  const auto end = std::chrono::steady_clock::now();
  *events = h.world().simulator().events_dispatched() - before;
  for (auto& c : *checkers) {
    if (!c->ok())
      std::fprintf(stderr, "%s: %s\n", c->violations()[0].property.c_str(),
                   c->violations()[0].message.c_str());
  }
  return std::chrono::duration<double>(end - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int masters = argc > 1 ? std::atoi(argv[1]) : 100;
  const int replicas = argc > 2 ? std::atoi(argv[2]) : 1;
  const int seconds = argc > 3 ? std::atoi(argv[3]) : 20;
  for (bool with : {false, true}) {
    uint64_t events = 0;
    const double wall = RunOnce(masters, replicas, seconds, with, &events);
    std::printf("%-16s nodes=%d sim=%ds events=%llu wall=%.2fs events/s=%.0f\n",
                with ? "default checkers" : "no checkers", masters * (1 + replicas),
                seconds, static_cast<unsigned long long>(events), wall, events / wall);
  }
  return 0;
}
