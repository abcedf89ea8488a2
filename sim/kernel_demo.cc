// kernel_demo: two processes ping-pong over the simulated network while the
// network is partitioned and healed and one process crashes and restarts.
// Prints the trace as it happens, then the run's trace hash.
//
//   bazel run //sim:kernel_demo                 (seed 1)
//   bazel run //sim:kernel_demo -- --seed=7     (another seed, another run)
//
// Run it twice with the same seed: the output, hash included, is identical.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "sim/hash.h"
#include "sim/network.h"
#include "sim/simulator.h"

namespace slotsim::sim {
namespace {

constexpr uint32_t kTagAppTimer = 1;

class PrintSink : public TraceSink {
 public:
  void Emit(const TraceRecord& r) override { std::printf("%s\n", r.ToString().c_str()); }
};

// One side of the ping-pong. The pinger opens the connection and sends a PING
// every 100 ms of its local time; the ponger answers every PING with a PONG.
class Player : public NetworkHandler<std::string> {
 public:
  Player(Simulator& sim, Network<std::string>& net, ProcessId process, bool pinger)
      : sim_(sim), net_(net), process_(process), pinger_(pinger) {
    endpoint_ = net_.AddEndpoint(process_, this);
  }

  EndpointId endpoint() const { return endpoint_; }

  void Start(EndpointId peer) {
    peer_ = peer;
    Connect();
  }

  void OnAccept(ConnId conn, EndpointId, EndpointId) override { conn_ = conn; }
  void OnConnected(ConnId conn, EndpointId) override {
    conn_ = conn;
    SendPing();
  }
  void OnConnectFailed(ConnId, EndpointId) override { RetryLater(); }
  void OnClosed(ConnId, EndpointId) override {
    conn_ = ConnId();
    if (pinger_) RetryLater();
  }
  void OnMessage(ConnId conn, EndpointId self, EndpointId, std::string&& text) override {
    sim_.Trace(process_, "app.recv", {TraceField("text", text)});
    if (!pinger_) {
      net_.Send(conn, self, "PONG" + text.substr(4));
      return;
    }
    sim_.ScheduleForAfter(process_, Duration::Millis(100), EventTag{kTagAppTimer, 0, 0},
                          [this] { SendPing(); });
  }

 private:
  void Connect() { conn_ = net_.Connect(endpoint_, peer_); }
  void RetryLater() {
    sim_.ScheduleForAfter(process_, Duration::Millis(100), EventTag{kTagAppTimer, 1, 0},
                          [this] { Connect(); });
  }
  void SendPing() {
    if (!conn_.valid() || net_.state(conn_, endpoint_) != ConnState::kOpen) return;
    const std::string text = "PING " + std::to_string(++sent_);
    sim_.Trace(process_, "app.send", {TraceField("text", text)});
    net_.Send(conn_, endpoint_, text);
  }

  Simulator& sim_;
  Network<std::string>& net_;
  ProcessId process_;
  bool pinger_;
  EndpointId endpoint_;
  EndpointId peer_;
  ConnId conn_;
  int sent_ = 0;
};

int Run(uint64_t seed) {
  Simulator sim;
  PrintSink sink;
  sim.set_trace_sink(&sink);

  Network<std::string>::Traits traits;
  traits.digest = [](const std::string& s) { return Fnv1a64(s); };
  traits.size_bytes = [](const std::string& s) {
    return static_cast<uint32_t>(s.size());
  };
  traits.kind = [](const std::string&) { return 0u; };
  NetworkOptions options;
  options.default_link.delay =
      DelayModel::Uniform(Duration::Millis(1), Duration::Millis(5));
  options.trace_connections = true;
  Network<std::string> net(sim, Rng(seed).Fork("network"), traits, options);

  const ProcessId ping_process = sim.AddProcess("ping");
  const ProcessId pong_process = sim.AddProcess("pong");
  Player ping(sim, net, ping_process, /*pinger=*/true);
  Player pong(sim, net, pong_process, /*pinger=*/false);
  sim.AddProcessListener([&](const ProcessEvent& e) {
    // The world's job: a restarted process runs its startup code again.
    if (e.kind == ProcessEvent::Kind::kRestarted && e.process == pong_process) {
      sim.Trace(pong_process, "app.start");
    }
  });

  std::printf("# kernel_demo seed=%llu\n", static_cast<unsigned long long>(seed));
  ping.Start(pong.endpoint());
  FaultId partition;
  sim.Schedule(Time::FromMillis(350), EventTag{2, 0, 0}, [&] {
    partition = net.Partition({ping.endpoint()}, {pong.endpoint()}, FaultMode::kHold);
  });
  sim.Schedule(Time::FromMillis(700), EventTag{2, 1, 0}, [&] { net.Heal(partition); });
  sim.Schedule(Time::FromMillis(1000), EventTag{2, 2, 0}, [&] {
    sim.Crash(pong_process, CrashKind::kProcess);
    sim.RestartAfter(pong_process, Duration::Millis(250));
  });
  sim.RunUntil(Time::FromMillis(1600));

  const TrafficCounters total = net.stats().total();
  std::printf("# %llu events, %llu messages sent, %llu delivered, %llu dropped\n",
              static_cast<unsigned long long>(sim.events_dispatched()),
              static_cast<unsigned long long>(total.sent_messages),
              static_cast<unsigned long long>(total.delivered_messages),
              static_cast<unsigned long long>(total.dropped_messages));
  std::printf("# trace hash %016llx\n",
              static_cast<unsigned long long>(sim.trace_hash()));
  return 0;
}

}  // namespace
}  // namespace slotsim::sim

int main(int argc, char** argv) {
  uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--seed=", 7) == 0) {
      seed = std::strtoull(argv[i] + 7, nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: kernel_demo [--seed=N]\n");
      return 2;
    }
  }
  return slotsim::sim::Run(seed);
}
