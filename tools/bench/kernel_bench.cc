// kernel_bench: throughput of the discrete-event kernel on one core.
//
//   bazel run //tools/bench:kernel_bench            (optimised build is the default)
//   bazel run //tools/bench:kernel_bench -- --quick (a smaller run, for smoke tests)
//   ... -- --events | --net                  (one half only)
//   ... -- --timers=N                        (the event benchmark with N timers)
//
// 1. No-op events: T timers, each rescheduling itself a pseudo-random 1..1000
//    us ahead, so the heap holds T entries; reports events dispatched per
//    second of wall time, for several T.
// 2. Network messages: C connections, each with W messages in flight in each
//    direction; every delivery sends a reply on the same connection. Reports
//    messages delivered per second (each delivery is one pump event).
//
// This is the only file under sim/ that reads a wall clock: a benchmark
// measures the kernel and is never part of a simulation (the banned-API test
// exempts *_bench.cc, as it does *_test.cc).

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "sim/hash.h"
#include "sim/network.h"
#include "sim/simulator.h"

namespace slotsim::sim {
namespace {

// Wall time and CPU time of a measured section. On a shared machine the CPU
// time is the fairer figure ("per second on one core"): wall time also counts
// the moments other processes had the core.
struct Stopwatch {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  std::clock_t cpu = std::clock();
  double WallSeconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
  }
  double CpuSeconds() const {
    return static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC;
  }
};

// A cheap deterministic stream of small delays (the benchmark measures the
// kernel, not the Rng).
struct Ticker {
  Simulator* sim;
  uint64_t* state;
  void Arm(uint64_t id) {
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    const Duration delay =
        Duration::Micros(1 + static_cast<int64_t>((*state >> 33) % 1000));
    Ticker self = *this;
    sim->ScheduleAfter(delay, EventTag{1, id, 0}, [self, id]() mutable { self.Arm(id); });
  }
};

void BenchEvents(uint64_t timers, uint64_t events) {
  Simulator sim;
  uint64_t state = 42;
  Ticker ticker{&sim, &state};
  for (uint64_t i = 0; i < timers; ++i) ticker.Arm(i);
  const Stopwatch watch;
  for (uint64_t i = 0; i < events; ++i) sim.Step();
  const double cpu = watch.CpuSeconds();
  const double wall = watch.WallSeconds();
  std::printf(
      "no-op events  timers=%-6llu events=%-8llu cpu %.2fs %6.2f M events/s | wall %.2fs "
      "%6.2f M/s  (hash %016llx)\n",
      static_cast<unsigned long long>(timers), static_cast<unsigned long long>(events),
      cpu, events / cpu / 1e6, wall, events / wall / 1e6,
      static_cast<unsigned long long>(sim.trace_hash()));
}

struct Msg {
  uint64_t id;
};

class Echo : public NetworkHandler<Msg> {
 public:
  explicit Echo(Network<Msg>* net) : net_(net) {}
  void OnAccept(ConnId, EndpointId, EndpointId) override {}
  void OnConnected(ConnId, EndpointId) override {}
  void OnConnectFailed(ConnId, EndpointId) override {}
  void OnClosed(ConnId, EndpointId) override {}
  void OnMessage(ConnId conn, EndpointId self, EndpointId, Msg&& m) override {
    ++delivered;
    net_->Send(conn, self, Msg{m.id + 1});
  }
  uint64_t delivered = 0;

 private:
  Network<Msg>* net_;
};

void BenchNetwork(int connections, int window, bool uniform_delay, double sim_seconds) {
  Simulator sim;
  Network<Msg>::Traits traits;
  traits.digest = [](const Msg& m) { return Mix64(m.id); };
  traits.size_bytes = [](const Msg&) { return 64u; };
  traits.kind = [](const Msg&) { return 0u; };
  NetworkOptions options;
  if (uniform_delay) {
    options.default_link.delay =
        DelayModel::Uniform(Duration::Micros(200), Duration::Micros(1800));
  }
  Network<Msg> net(sim, Rng(7), traits, options);
  Echo echo(&net);
  std::vector<ConnId> conns;
  std::vector<EndpointId> from;
  for (int i = 0; i < connections; ++i) {
    const EndpointId a = net.AddEndpoint(sim.AddProcess("a"), &echo);
    const EndpointId b = net.AddEndpoint(sim.AddProcess("b"), &echo);
    conns.push_back(net.Connect(a, b));
    from.push_back(a);
  }
  sim.RunFor(Duration::Millis(10));
  for (int i = 0; i < connections; ++i) {
    for (int w = 0; w < window; ++w) net.Send(conns[i], from[i], Msg{uint64_t(w) << 32});
  }
  const uint64_t events_before = sim.events_dispatched();
  const Stopwatch watch;
  sim.RunFor(Duration::Micros(static_cast<int64_t>(sim_seconds * 1e6)));
  const double cpu = watch.CpuSeconds();
  const double wall = watch.WallSeconds();
  const uint64_t events = sim.events_dispatched() - events_before;
  const double n = static_cast<double>(echo.delivered);
  std::printf(
      "net messages  conns=%-4d window=%-2d delay=%-7s delivered=%-8llu cpu %.2fs %6.2f "
      "M "
      "msgs/s | wall %.2fs %6.2f M/s  (%.2f events/msg)\n",
      connections, window, uniform_delay ? "uniform" : "fixed",
      static_cast<unsigned long long>(echo.delivered), cpu, n / cpu / 1e6, wall,
      n / wall / 1e6, static_cast<double>(events) / n);
}

}  // namespace
}  // namespace slotsim::sim

int main(int argc, char** argv) {
  bool quick = false;
  bool events = true;
  bool net = true;
  uint64_t only_timers = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--timers=", 9) == 0) {
      only_timers = std::strtoull(argv[i] + 9, nullptr, 10);
      net = false;
    }
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    if (std::strcmp(argv[i], "--events") == 0) net = false;
    if (std::strcmp(argv[i], "--net") == 0) events = false;
  }
  const uint64_t scale = quick ? 10 : 1;
  using slotsim::sim::BenchEvents;
  using slotsim::sim::BenchNetwork;
  if (only_timers > 0) {
    BenchEvents(only_timers, 20000000 / scale);
  } else if (events) {
    BenchEvents(1, 20000000 / scale);
    BenchEvents(1000, 20000000 / scale);
    BenchEvents(100000, 10000000 / scale);
  }
  if (net) {
    BenchNetwork(1, 1, false, 200.0 / scale);
    BenchNetwork(100, 10, false, 20.0 / scale);
    BenchNetwork(100, 10, true, 20.0 / scale);
    BenchNetwork(1000, 10, true, 2.0 / scale);
  }
  return 0;
}
