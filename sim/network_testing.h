// Test helpers for Network: a small message type, a handler that records what
// it hears, and a fixture with three processes (a, b, c), one endpoint each.
//
// With the default link (fixed 1 ms), a connection opened at t is accepted at
// t+1ms and connected at t+2ms; the log lines read "<ms> <name> <event>".

#ifndef SLOTSIM_SIM_NETWORK_TESTING_H_
#define SLOTSIM_SIM_NETWORK_TESTING_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sim/hash.h"
#include "sim/network.h"

namespace slotsim::sim::testing {

struct TestMessage {
  uint64_t id = 0;
  uint32_t kind = 0;
  std::string body;
};

inline Network<TestMessage>::Traits TestTraits() {
  Network<TestMessage>::Traits t;
  t.digest = [](const TestMessage& m) {
    return Hasher().AddU64(m.id).AddU64(m.kind).AddString(m.body).digest();
  };
  t.size_bytes = [](const TestMessage& m) {
    return static_cast<uint32_t>(8 + m.body.size());
  };
  t.kind = [](const TestMessage& m) { return m.kind; };
  return t;
}

class RecordingHandler : public NetworkHandler<TestMessage> {
 public:
  RecordingHandler(Simulator& sim, std::string name, std::vector<std::string>* log)
      : sim_(sim), name_(std::move(name)), log_(log) {}

  void OnAccept(ConnId conn, EndpointId self, EndpointId peer) override {
    accepted.push_back(conn);
    Log(absl::StrCat("accept from=", peer.value()));
  }
  void OnConnected(ConnId conn, EndpointId self) override {
    connected.push_back(conn);
    Log("connected");
  }
  void OnConnectFailed(ConnId conn, EndpointId self) override {
    failed.push_back(conn);
    Log("connect-failed");
  }
  void OnMessage(ConnId conn, EndpointId self, EndpointId from,
                 TestMessage&& m) override {
    received.push_back(m.id);
    received_at.push_back(sim_.now());
    Log(absl::StrCat("msg ", m.id));
  }
  void OnClosed(ConnId conn, EndpointId self) override {
    closed.push_back(conn);
    Log("closed");
  }

  std::vector<ConnId> accepted;
  std::vector<ConnId> connected;
  std::vector<ConnId> failed;
  std::vector<ConnId> closed;
  std::vector<uint64_t> received;
  std::vector<Time> received_at;

 private:
  void Log(const std::string& what) {
    if (log_ != nullptr) {
      log_->push_back(absl::StrCat(sim_.now().millis(), " ", name_, " ", what));
    }
  }
  Simulator& sim_;
  std::string name_;
  std::vector<std::string>* log_;
};

class NetworkTest : public ::testing::Test {
 protected:
  explicit NetworkTest(NetworkOptions options = {})
      : net_(sim_, Rng(1).Fork("network"), TestTraits(), options),
        pa_(sim_.AddProcess("a")),
        pb_(sim_.AddProcess("b")),
        pc_(sim_.AddProcess("c")),
        ha_(sim_, "a", &log_),
        hb_(sim_, "b", &log_),
        hc_(sim_, "c", &log_),
        a_(net_.AddEndpoint(pa_, &ha_)),
        b_(net_.AddEndpoint(pb_, &hb_)),
        c_(net_.AddEndpoint(pc_, &hc_)) {}

  bool Send(ConnId conn, EndpointId from, uint64_t id, uint32_t kind = 0) {
    return net_.Send(conn, from, TestMessage{id, kind, "m"});
  }
  // Opens from -> to and runs until both sides know (2 ms on the default link).
  ConnId Open(EndpointId from, EndpointId to) {
    const ConnId conn = net_.Connect(from, to);
    sim_.RunFor(Duration::Millis(2));
    EXPECT_EQ(net_.state(conn, from), ConnState::kOpen);
    EXPECT_EQ(net_.state(conn, to), ConnState::kOpen);
    log_.clear();
    return conn;
  }
  void RunMs(int64_t ms) { sim_.RunFor(Duration::Millis(ms)); }
  // sent = delivered + dropped + in the network, for the whole network.
  void ExpectConservation() {
    const TrafficCounters t = net_.stats().total();
    EXPECT_EQ(t.sent_messages,
              t.delivered_messages + t.dropped_messages + net_.messages_in_network());
  }

  Simulator sim_;
  Network<TestMessage> net_;
  ProcessId pa_, pb_, pc_;
  std::vector<std::string> log_;
  RecordingHandler ha_, hb_, hc_;
  EndpointId a_, b_, c_;
};

}  // namespace slotsim::sim::testing

#endif  // SLOTSIM_SIM_NETWORK_TESTING_H_
