// node_bench: steady-gossip cost of model::Node on the test router, without
// the sim kernel. Forms a cluster like redis-cli --cluster create, then runs
// it for a while and prints wall and CPU seconds for both phases.
//
//   node_bench [masters=500] [replicas_per_master=1] [steady_seconds=60]
//
// The router (TestCluster) is simple, not fast; `slotsim bench` measures the
// real world. Use this one to profile the node alone (perf record -p after
// "created" is printed).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "model/testing/test_cluster.h"

int main(int argc, char** argv) {
  using slotsim::sim::Duration;
  const int masters = argc > 1 ? std::atoi(argv[1]) : 500;
  const int replicas = argc > 2 ? std::atoi(argv[2]) : 1;
  const int seconds = argc > 3 ? std::atoi(argv[3]) : 60;
  slotsim::model::testing::TestCluster tc(1);
  tc.create_check_every = Duration::Seconds(2);

  auto cpu = [] { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; };
  auto wall = [] { return std::chrono::steady_clock::now(); };
  auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  auto sent = [&] {
    uint64_t total = 0;
    for (int i = 0; i < tc.size(); ++i) {
      for (uint64_t v : tc.node(i).cluster().stats_sent) total += v;
    }
    return total;
  };

  const auto w0 = wall();
  const double c0 = cpu();
  const bool ok = tc.Create(masters, replicas, Duration::Seconds(600));
  const auto w1 = wall();
  const double c1 = cpu();
  std::fprintf(stderr, "created=%d at %s in %.1fs wall %.1fs cpu\n", ok,
               tc.now().ToString().c_str(), secs(w0, w1), c1 - c0);
  const uint64_t sent0 = sent();
  tc.RunFor(Duration::Seconds(seconds));
  const auto w2 = wall();
  const double c2 = cpu();
  std::fprintf(stderr, "steady %ds: %.2fs wall %.2fs cpu, %llu bus messages\n", seconds,
               secs(w1, w2), c2 - c1, static_cast<unsigned long long>(sent() - sent0));
  return ok ? 0 : 1;
}
