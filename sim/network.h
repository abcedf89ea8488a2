// Network<Message>: a simulated network of TCP-like connections carrying opaque
// messages, with delays, faults and counters. Knows nothing of what it carries.
//
// Endpoints belong to processes (AddEndpoint). Every endpoint accepts
// connections while its process is alive. A connection carries two FIFO
// directions. The owner of an endpoint learns what happens through its
// NetworkHandler, always inside the owner's process: a paused process receives
// nothing until it resumes and then receives everything in order; a crashed
// process receives nothing.
//
// Life of a connection (initiator A, acceptor B):
//   Connect(A, B)   a SYN travels A -> B. Messages A sends meanwhile are
//                   buffered (discarded if the connect fails).
//   SYN arrives     B's process alive: B gets OnAccept(conn, A) and a SYN-ACK
//                   travels back. B crashed: if B's host is up (process crash)
//                   a reset travels back and A gets OnConnectFailed after the
//                   round trip; after a power loss nothing answers and the
//                   connect stays pending until A closes it (A's own timeout).
//   SYN-ACK arrives A gets OnConnected; the buffered messages leave, in order.
//   Send            FIFO per direction: delivery time = max(now + sampled
//                   delay, previous delivery time of that direction).
//   Close(conn, X)  X's side closes at once and X gets no further callbacks.
//                   Messages X already sent are still delivered, then a FIN
//                   tells the peer (OnClosed). Messages on their way to X are
//                   discarded; if the peer keeps sending, X's host answers
//                   with a reset (the peer gets OnClosed).
//   Crash of X      X's undelivered outgoing and incoming messages are
//                   discarded; its connections close. Process crash: a reset
//                   travels to each peer like a packet (so a partition can delay
//                   or drop the news). Power loss: nothing is sent; a peer
//                   learns only when its packets reach X's host after the
//                   restart (reset), or by its own timeout.
//
// Delays: DelayModel per ordered endpoint pair, with a default (link_model.h).
// Faults (faults.h): symmetric partitions and one-way blocks in mode kDrop,
// kHold (held in order, delivered after the heal) or kReject (connections
// across are reset at once, new connects refused); clogs (packets wait until
// the clog ends, order kept); extra delay. Faults apply to a packet when it
// reaches the end of the wire, control packets included (a dropped SYN means
// a connect that never completes; a dropped FIN means a peer that never
// learns of the close). Filters (AddFilter) drop data messages by predicate
// at the same point; a filter must not call into the network.
// Datagram options per link (off by default): loss, duplication and
// reordering (a reordered message overtakes the previous data message in
// flight); they apply to data messages only and break TCP's guarantees on
// purpose.
//
// Bounds: each direction holds at most LinkOptions::capacity data messages
// (in flight plus arrived but not yet taken by a paused receiver), and a
// connecting side buffers at most as many. Senders are never blocked (the
// owner is a sans-IO state machine), so overflow drops the newest message and
// counts it (DropReason::kOverflow); Send returns false. A real TCP sender
// would block and its application buffer would grow: choose the capacity
// large enough for that to be rare.
//
// Determinism: all randomness comes from the Rng given at construction (fork a
// dedicated stream); every pump and delivery is an event whose tag carries the
// connection id and the message digest from Traits, so the simulator's trace
// hash covers the traffic. The Network must outlive every run of the
// Simulator that uses it.
//
// Example:
//   Network<std::string> net(sim, rng.Fork("network"), traits);
//   EndpointId a = net.AddEndpoint(pa, &handler_a);
//   EndpointId b = net.AddEndpoint(pb, &handler_b);
//   ConnId c = net.Connect(a, b);
//   net.Send(c, a, "PING");     // buffered until connected
//   net.Partition({a}, {b}, FaultMode::kHold);

#ifndef SLOTSIM_SIM_NETWORK_H_
#define SLOTSIM_SIM_NETWORK_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "sim/check.h"
#include "sim/ids.h"
#include "sim/net_core.h"
#include "sim/rng.h"
#include "sim/simulator.h"

namespace slotsim::sim {

// Callbacks to an endpoint's owner. `self` is the endpoint called, so one
// handler may serve several endpoints.
template <typename Message>
class NetworkHandler {
 public:
  virtual ~NetworkHandler() = default;
  // A connection from `peer` arrived at `self`.
  virtual void OnAccept(ConnId conn, EndpointId self, EndpointId peer) = 0;
  // A connection `self` opened is established.
  virtual void OnConnected(ConnId conn, EndpointId self) = 0;
  // A connection `self` opened was refused or reset before it was established.
  virtual void OnConnectFailed(ConnId conn, EndpointId self) = 0;
  virtual void OnMessage(ConnId conn, EndpointId self, EndpointId from,
                         Message&& message) = 0;
  // The peer closed or the connection was reset.
  virtual void OnClosed(ConnId conn, EndpointId self) = 0;
};

template <typename Message>
class Network : public NetCore {
 public:
  // How the network sees a message. `kind` must be a small integer (< 4096).
  struct Traits {
    std::function<uint64_t(const Message&)> digest;
    std::function<uint32_t(const Message&)> size_bytes;
    std::function<uint32_t(const Message&)> kind;
  };
  using Handler = NetworkHandler<Message>;
  // Returns true to drop a data message from `from` to `to`.
  using Filter = std::function<bool(EndpointId from, EndpointId to, const Message&)>;

  Network(Simulator& sim, Rng rng, Traits traits, NetworkOptions options = {})
      : NetCore(sim, rng, std::move(options)), traits_(std::move(traits)) {
    CHECK(traits_.digest && traits_.size_bytes && traits_.kind);
  }

  // A new endpoint owned by `owner`; `handler` (not owned) may be set later.
  EndpointId AddEndpoint(ProcessId owner, Handler* handler = nullptr) {
    const EndpointId e = AddEndpointCore(owner);
    handlers_.push_back(handler);
    return e;
  }
  void SetHandler(EndpointId e, Handler* handler) {
    CHECK(e.valid() && e.value() < handlers_.size());
    handlers_[e.value()] = handler;
  }

  // Sends on `from`'s side of `conn`. False if the message was refused at once
  // (connection closed or stale, queue full); losses on the way return true.
  bool Send(ConnId conn, EndpointId from, Message message) {
    const uint64_t digest = traits_.digest(message);
    const uint32_t bytes = traits_.size_bytes(message);
    const uint32_t kind = traits_.kind(message);
    return SendCore(conn, from, Store(std::move(message)), digest, bytes, kind);
  }

  FilterId AddFilter(Filter filter) {
    const FilterId id(next_filter_++);
    filters_.emplace(id, std::move(filter));
    set_has_filters(true);
    return id;
  }
  bool RemoveFilter(FilterId id) {
    const bool removed = filters_.erase(id) > 0;
    set_has_filters(!filters_.empty());
    return removed;
  }

  // Messages currently stored (in flight, buffered or waiting in an inbox).
  std::size_t messages_in_network() const {
    return messages_.size() - free_messages_.size();
  }

 protected:
  void ReleaseMessage(uint32_t m) override { Take(m); }
  uint32_t CloneMessage(uint32_t m) override { return Store(Message(*messages_[m])); }
  bool Filtered(EndpointId from, EndpointId to, uint32_t m) override {
    for (auto& [id, filter] : filters_) {
      if (filter(from, to, *messages_[m])) return true;
    }
    return false;
  }
  void NotifyAccept(EndpointId self, ConnId conn, EndpointId peer) override {
    handler(self).OnAccept(conn, self, peer);
  }
  void NotifyConnected(EndpointId self, ConnId conn) override {
    handler(self).OnConnected(conn, self);
  }
  void NotifyConnectFailed(EndpointId self, ConnId conn) override {
    handler(self).OnConnectFailed(conn, self);
  }
  void NotifyMessage(EndpointId self, ConnId conn, EndpointId from, uint32_t m) override {
    handler(self).OnMessage(conn, self, from, Take(m));
  }
  void NotifyClosed(EndpointId self, ConnId conn) override {
    handler(self).OnClosed(conn, self);
  }

 private:
  Handler& handler(EndpointId e) {
    Handler* h = handlers_[e.value()];
    CHECK(h != nullptr) << "endpoint " << e << " has no handler";
    return *h;
  }

  uint32_t Store(Message&& m) {
    if (!free_messages_.empty()) {
      const uint32_t slot = free_messages_.back();
      free_messages_.pop_back();
      messages_[slot].emplace(std::move(m));
      return slot;
    }
    messages_.emplace_back(std::move(m));
    return static_cast<uint32_t>(messages_.size() - 1);
  }

  Message Take(uint32_t slot) {
    Message m = std::move(*messages_[slot]);
    messages_[slot].reset();
    free_messages_.push_back(slot);
    return m;
  }

  Traits traits_;
  std::vector<Handler*> handlers_;
  std::vector<std::optional<Message>> messages_;
  std::vector<uint32_t> free_messages_;
  std::map<FilterId, Filter> filters_;
  uint64_t next_filter_ = 1;
};

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_NETWORK_H_
