// FakeActorContext: an ActorContext without a world, for scripted unit tests of
// actors (test only).
//
// The test plays the network and the nodes: Connect hands out connection ids
// for addresses registered with Listen (anything else is refused: an invalid
// id), Send records CommandFrames, and the test answers with Reply / Refuse /
// Reset, which call the actor's callbacks. Timers run in (time, insertion)
// order when the test advances the clock with RunFor / RunUntilIdle.
// world() is not available (CHECK-fails).

#ifndef SLOTSIM_SCENARIOS_FAKE_ACTOR_CONTEXT_H_
#define SLOTSIM_SCENARIOS_FAKE_ACTOR_CONTEXT_H_

#include <cstdint>
#include <cstdlib>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/node_io.h"
#include "model/reply.h"
#include "scenarios/world.h"
#include "sim/check.h"
#include "sim/rng.h"

namespace slotsim::scenarios {

class FakeActorContext : public ActorContext {
 public:
  struct Sent {
    sim::ConnId conn;
    std::string addr;  // "ip:port"
    uint64_t request_id = 0;
    std::vector<std::string> argv;
  };

  explicit FakeActorContext(uint64_t seed = 1) : rng_(seed) {}

  void set_actor(Actor* actor) { actor_ = actor; }
  void Listen(const std::string& ip, int port) {
    listening_.insert(ip + ":" + std::to_string(port));
  }
  void StopListening(const std::string& ip, int port) {
    listening_.erase(ip + ":" + std::to_string(port));
  }

  // ActorContext.
  sim::Time Now() const override { return now_; }
  sim::ConnId Connect(const std::string& ip, int port) override {
    const std::string addr = ip + ":" + std::to_string(port);
    if (listening_.count(addr) == 0) return sim::ConnId();
    const sim::ConnId c(next_conn_++);
    conns_[c] = addr;
    return c;
  }
  bool Send(sim::ConnId conn, model::Wire payload) override {
    auto it = conns_.find(conn);
    if (it == conns_.end()) return false;
    const auto* f = std::get_if<std::shared_ptr<const model::CommandFrame>>(&payload);
    CHECK(f != nullptr);
    sent_.push_back(Sent{conn, it->second, (*f)->request_id, (*f)->argv});
    return true;
  }
  void Close(sim::ConnId conn) override {
    conns_.erase(conn);
    closed_.push_back(conn);
  }
  sim::TimerId After(sim::Duration delay, std::function<void()> fn) override {
    const sim::TimerId id(next_timer_++);
    timers_[{now_ + delay, id.value()}] = std::move(fn);
    return id;
  }
  bool Cancel(sim::TimerId timer) override {
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->first.second == timer.value()) {
        timers_.erase(it);
        return true;
      }
    }
    return false;
  }
  sim::Rng& rng() override { return rng_; }
  World& world() override {
    CHECK(false) << "FakeActorContext has no world";
    std::abort();
  }

  // --- Test side ---

  // Runs due timers up to now + d, then sets the clock there.
  void RunFor(sim::Duration d) {
    const sim::Time end = now_ + d;
    while (!timers_.empty() && timers_.begin()->first.first <= end) {
      auto it = timers_.begin();
      now_ = it->first.first;
      std::function<void()> fn = std::move(it->second);
      timers_.erase(it);
      fn();
    }
    now_ = end;
  }
  // Runs zero-delay timers only (what Call uses for immediate failures).
  void RunNow() { RunFor(sim::Duration::Zero()); }

  // Commands sent since the last call.
  std::vector<Sent> TakeSent() {
    std::vector<Sent> out;
    out.swap(sent_);
    return out;
  }
  bool IsOpen(sim::ConnId conn) const { return conns_.count(conn) > 0; }
  const std::vector<sim::ConnId>& closed() const { return closed_; }

  // The node answers request `s`.
  void Reply(const Sent& s, model::Reply reply) {
    CHECK(actor_ != nullptr);
    if (!IsOpen(s.conn)) return;
    auto frame = std::make_shared<const model::ReplyFrame>(
        model::ReplyFrame{s.request_id, std::move(reply)});
    actor_->OnMessage(*this, s.conn, model::Wire(std::move(frame)));
  }
  void Connected(sim::ConnId conn) {
    CHECK(actor_ != nullptr);
    actor_->OnConnected(*this, conn);
  }
  // The connection is reset by the peer.
  void Reset(sim::ConnId conn) {
    CHECK(actor_ != nullptr);
    if (!IsOpen(conn)) return;
    conns_.erase(conn);
    actor_->OnClosed(*this, conn);
  }
  // The connect is refused.
  void Refuse(sim::ConnId conn) {
    CHECK(actor_ != nullptr);
    if (!IsOpen(conn)) return;
    conns_.erase(conn);
    actor_->OnConnectFailed(*this, conn);
  }

 private:
  Actor* actor_ = nullptr;
  sim::Time now_ = sim::Time::Zero();
  sim::Rng rng_;
  std::set<std::string> listening_;
  std::map<sim::ConnId, std::string> conns_;
  std::vector<Sent> sent_;
  std::vector<sim::ConnId> closed_;
  std::map<std::pair<sim::Time, uint64_t>, std::function<void()>> timers_;
  uint64_t next_conn_ = 1;
  uint64_t next_timer_ = 1;
};

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_FAKE_ACTOR_CONTEXT_H_
