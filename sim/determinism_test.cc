// Determinism of the kernel: a randomized workload over the network (connects,
// sends, closes, partitions, clogs, crashes, pauses, disk writes) driven only by
// the seed gives the same trace hash every time, and different seeds differ.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/disk.h"
#include "sim/network_testing.h"

namespace slotsim::sim::testing {
namespace {

constexpr int kProcesses = 5;

// One process's network code: tracks its open connections and answers some
// messages.
class Peer : public NetworkHandler<TestMessage> {
 public:
  Peer(Network<TestMessage>& net, Rng rng) : net_(net), rng_(rng) {}

  void OnAccept(ConnId conn, EndpointId self, EndpointId peer) override {
    open.insert(conn);
  }
  void OnConnected(ConnId conn, EndpointId self) override { open.insert(conn); }
  void OnConnectFailed(ConnId conn, EndpointId self) override { open.erase(conn); }
  void OnClosed(ConnId conn, EndpointId self) override { open.erase(conn); }
  void OnMessage(ConnId conn, EndpointId self, EndpointId from,
                 TestMessage&& m) override {
    ++received;
    if (m.kind < 3 && rng_.Chance(1, 2)) {
      net_.Send(conn, self, TestMessage{m.id * 2 + 1, m.kind + 1, "reply"});
    }
  }
  void Reset() { open.clear(); }

  std::set<ConnId> open;
  uint64_t received = 0;

 private:
  Network<TestMessage>& net_;
  Rng rng_;
};

struct Outcome {
  uint64_t trace_hash;
  uint64_t events;
  uint64_t delivered;
  uint64_t dropped;
  bool operator==(const Outcome& o) const {
    return trace_hash == o.trace_hash && events == o.events && delivered == o.delivered &&
           dropped == o.dropped;
  }
};

Outcome RunWorkload(uint64_t seed) {
  const Rng root(seed);
  Simulator sim;
  Disk disk(sim);
  NetworkOptions options;
  options.default_link.delay =
      DelayModel::Exponential(Duration::Micros(200), Duration::Millis(2));
  options.default_link.loss = Ratio{1, 50};
  options.default_link.duplicate = Ratio{1, 50};
  options.default_link.reorder = Ratio{1, 20};
  options.default_link.capacity = 64;
  Network<TestMessage> net(sim, root.Fork("network"), TestTraits(), options);
  std::vector<ProcessId> procs;
  std::vector<EndpointId> eps;
  std::vector<std::unique_ptr<Peer>> peers;
  for (int i = 0; i < kProcesses; ++i) {
    procs.push_back(sim.AddProcess("p" + std::to_string(i)));
    peers.push_back(std::make_unique<Peer>(net, root.Fork(100 + i)));
    eps.push_back(net.AddEndpoint(procs.back(), peers.back().get()));
  }
  sim.AddProcessListener([&](const ProcessEvent& e) {
    if (e.kind == ProcessEvent::Kind::kCrashed) peers[e.process.value()]->Reset();
  });

  Rng driver = root.Fork("driver");
  std::vector<FaultId> faults;
  uint64_t next_id = 1;
  // The driver acts every millisecond for 5 simulated seconds.
  for (int tick = 1; tick <= 5000; ++tick) {
    sim.Schedule(
        Time::FromMillis(tick), EventTag{1, static_cast<uint64_t>(tick), 0}, [&] {
          const int i = static_cast<int>(driver.Uniform(kProcesses));
          const int j = static_cast<int>(driver.Uniform(kProcesses));
          const ProcessId p = procs[i];
          Peer& peer = *peers[i];
          const uint64_t action = driver.Uniform(1000);
          if (action < 500) {  // send on an open connection
            if (sim.state(p) == ProcessState::kRunning && !peer.open.empty()) {
              auto it = peer.open.begin();
              std::advance(it, driver.Uniform(peer.open.size()));
              net.Send(*it, eps[i], TestMessage{next_id++, 0, "hello"});
            }
          } else if (action < 600) {
            if (i != j && sim.state(p) == ProcessState::kRunning)
              net.Connect(eps[i], eps[j]);
          } else if (action < 640) {
            if (sim.state(p) == ProcessState::kRunning && !peer.open.empty()) {
              const ConnId c = *peer.open.begin();
              peer.open.erase(c);
              net.Close(c, eps[i]);
            }
          } else if (action < 660) {
            const FaultMode mode = static_cast<FaultMode>(driver.Uniform(3));
            if (i != j) faults.push_back(net.Partition({eps[i]}, {eps[j]}, mode));
          } else if (action < 670) {
            if (i != j)
              faults.push_back(net.BlockOneWay({eps[i]}, {eps[j]}, FaultMode::kHold));
          } else if (action < 700) {
            if (!faults.empty()) {
              const size_t k = driver.Uniform(faults.size());
              net.Heal(faults[k]);
              faults.erase(faults.begin() + static_cast<long>(k));
            }
          } else if (action < 710) {
            net.ClogEndpoint(eps[i],
                             Duration::Millis(static_cast<int64_t>(driver.Uniform(50))));
          } else if (action < 720) {
            sim.Crash(p,
                      driver.Chance(1, 2) ? CrashKind::kProcess : CrashKind::kPowerLoss);
            sim.RestartAfter(p,
                             Duration::Millis(static_cast<int64_t>(driver.Uniform(200))));
          } else if (action < 740) {
            if (sim.Pause(p)) {
              sim.Schedule(
                  sim.now() + Duration::Millis(static_cast<int64_t>(driver.Uniform(100))),
                  EventTag{2, p.value(), 0}, [&sim, p] { sim.Resume(p); });
            }
          } else if (action < 760) {
            if (sim.IsAlive(p))
              disk.Write(p, "conf", std::to_string(next_id), driver.Chance(1, 3));
          } else if (action < 770) {
            net.HealAll();
            faults.clear();
          }
        });
  }
  sim.RunUntil(Time::FromMillis(6000));
  net.HealAll();
  for (ProcessId p : procs) {
    sim.Resume(p);
    sim.Restart(p);
  }
  sim.RunUntil(Time::FromMillis(8000));
  const TrafficCounters t = net.stats().total();
  EXPECT_EQ(t.sent_messages,
            t.delivered_messages + t.dropped_messages + net.messages_in_network());
  EXPECT_GT(t.delivered_messages, 1000u);
  return Outcome{sim.trace_hash(), sim.events_dispatched(), t.delivered_messages,
                 t.dropped_messages};
}

TEST(DeterminismTest, SameSeedSameTraceHash) {
  for (uint64_t seed : {1ULL, 2ULL, 0xfeedULL}) {
    const Outcome first = RunWorkload(seed);
    const Outcome second = RunWorkload(seed);
    EXPECT_EQ(first.trace_hash, second.trace_hash) << seed;
    EXPECT_TRUE(first == second) << seed;
  }
}

TEST(DeterminismTest, DifferentSeedsDiffer) {
  std::set<uint64_t> hashes;
  for (uint64_t seed = 10; seed < 20; ++seed) hashes.insert(RunWorkload(seed).trace_hash);
  EXPECT_EQ(hashes.size(), 10u);
}

}  // namespace
}  // namespace slotsim::sim::testing
