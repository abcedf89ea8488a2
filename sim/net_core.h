// NetCore: the message-type-independent half of Network<Message> (network.h):
// endpoints, TCP-like connections, delays, faults, counters. Network<Message>
// derives from it and adds message storage, handlers and filters. Read
// network.h for the semantics; this file documents the mechanism (implemented
// in net_core.cc and, for faults, resets and crashes, net_core_faults.cc).
//
// Connection = two sides (0 = initiator, 1 = acceptor) and two directions
// (dir[s] carries packets from side s to side 1 - s). Packets are SYN, SYN-ACK,
// data, FIN and RST. Each side has two states:
//   kernel  what the host's TCP stack believes; changes when packets arrive,
//           when the owner connects or closes, on reset and on crash;
//   app     what the owner has been told; changes only when a notification is
//           executed in the owner's process (OnAccept, OnConnected, ...) and
//           when the owner connects or closes.
//
// A direction has a `wire` (packets in flight, in FIFO order, each with an
// arrival time) and an `inbox` (packets that have arrived but wait for the
// receiving process, because it is paused or has earlier packets waiting).
// One pump event per direction is scheduled at the arrival time of the packet
// at the head of the wire. The pump applies faults and filters, then hands the
// packet to the receiving host (Arrive), which updates the kernel state and
// notifies the owner: directly inside the pump event when the owner's process
// is running and the inbox is empty, otherwise through the inbox and one
// process-scoped event per packet (parked while paused, dropped on crash).
// A stalled direction (kHold fault or clog) keeps its head packet and is
// re-pumped when a fault is healed or a clog expires.
//
// Invariants: arrival times along a wire never decrease except where the
// link's reorder option swaps two data packets; a direction has at most one
// pump scheduled and is not stalled while pumped; a connection slot is freed
// only when both sides are closed (or never opened) and nothing is in flight,
// waiting or scheduled for it.

#ifndef SLOTSIM_SIM_NET_CORE_H_
#define SLOTSIM_SIM_NET_CORE_H_

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "sim/faults.h"
#include "sim/ids.h"
#include "sim/link_model.h"
#include "sim/net_stats.h"
#include "sim/process.h"
#include "sim/ring_queue.h"
#include "sim/rng.h"
#include "sim/simulator.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace slotsim::sim {

// Tag kinds of network events (trace.h: kernel kinds have the top bit set).
inline constexpr uint32_t kTagNetPump = kKernelTagBit | 0x10;
inline constexpr uint32_t kTagNetDeliver = kKernelTagBit | 0x11;
inline constexpr uint32_t kTagNetClogEnd = kKernelTagBit | 0x12;

struct NetworkOptions {
  LinkOptions default_link;
  // Emit trace records for connection events (connect, accept, connected,
  // connect-failed, closed).
  bool trace_connections = false;
  // Emit a trace record for every data message delivered or dropped.
  bool trace_messages = false;
};

// "<slot>.<generation>", the connection's name in trace records.
std::string ConnLabel(ConnId id);

// What a side of a connection looks like to its owner.
enum class ConnState : uint8_t { kNone, kConnecting, kOpen, kClosed };
const char* ConnStateName(ConnState s);

class NetCore {
 public:
  NetCore(Simulator& sim, Rng rng, NetworkOptions options);
  virtual ~NetCore() = default;
  NetCore(const NetCore&) = delete;
  NetCore& operator=(const NetCore&) = delete;

  // --- Endpoints ------------------------------------------------------------
  std::size_t endpoint_count() const { return endpoint_owner_.size(); }
  ProcessId owner(EndpointId e) const;

  // --- Connections ----------------------------------------------------------
  // Opens a connection from `from` to `to` (a SYN travels to `to`).
  // REQUIRES: from != to; from's process is not crashed.
  ConnId Connect(EndpointId from, EndpointId to);
  // Closes `by`'s side: no further callbacks for it. Messages it already sent
  // are still delivered, then the peer gets OnClosed (a FIN); messages still
  // on their way to `by` are discarded. No-op on a closed or stale connection.
  void Close(ConnId conn, EndpointId by);
  // The owner-visible state of `side`'s end; kClosed for stale connections.
  ConnState state(ConnId conn, EndpointId side) const;
  // The other endpoint of a live connection. REQUIRES: side is an endpoint of it.
  EndpointId Peer(ConnId conn, EndpointId side) const;
  bool IsLive(ConnId conn) const { return Find(conn) != nullptr; }
  std::size_t live_connections() const { return live_connections_; }
  // Counters of the direction from `from`; zero for stale connections.
  TrafficCounters ConnCounters(ConnId conn, EndpointId from) const;

  // --- Links ----------------------------------------------------------------
  void SetDefaultLink(LinkOptions options) { links_.SetDefault(std::move(options)); }
  void SetLink(EndpointId from, EndpointId to, LinkOptions options) {
    links_.Set(from, to, std::move(options));
  }
  const LinkOptions& Link(EndpointId from, EndpointId to) const {
    return links_.Get(from, to);
  }

  // --- Faults ---------------------------------------------------------------
  // Symmetric partition between a and b.
  FaultId Partition(EndpointSet a, EndpointSet b, FaultMode mode);
  // One-way: packets from `from` to `to` are affected; the reverse flows.
  FaultId BlockOneWay(EndpointSet from, EndpointSet to, FaultMode mode);
  // Every packet from or to `e` waits until now + duration.
  FaultId ClogEndpoint(EndpointId e, Duration duration);
  // Packets between a and b (both directions) wait until now + duration.
  FaultId ClogPair(EndpointId a, EndpointId b, Duration duration);
  // Adds `extra` to the delay of packets sent from `from` to `to` (and back if
  // symmetric) while the fault holds.
  FaultId AddExtraDelay(EndpointSet from, EndpointSet to, Duration extra, bool symmetric);
  // Removes one fault (false if not in force) or all; held and clogged packets
  // move again from now on.
  bool Heal(FaultId id);
  void HealAll();
  const FaultTable& faults() const { return faults_; }

  const NetStats& stats() const { return stats_; }
  Simulator& simulator() { return sim_; }

 protected:
  static constexpr uint32_t kNoMessage = 0xffffffffu;

  EndpointId AddEndpointCore(ProcessId owner);
  // Sends a message stored by the subclass under `message`.
  bool SendCore(ConnId conn, EndpointId from, uint32_t message, uint64_t digest,
                uint32_t bytes, uint32_t kind);
  void set_has_filters(bool v) { has_filters_ = v; }

  // Implemented by Network<Message>. Delivery hooks take ownership of the
  // stored message; ReleaseMessage discards one.
  virtual void ReleaseMessage(uint32_t message) = 0;
  virtual uint32_t CloneMessage(uint32_t message) = 0;
  virtual bool Filtered(EndpointId from, EndpointId to, uint32_t message) = 0;
  virtual void NotifyAccept(EndpointId self, ConnId conn, EndpointId peer) = 0;
  virtual void NotifyConnected(EndpointId self, ConnId conn) = 0;
  virtual void NotifyConnectFailed(EndpointId self, ConnId conn) = 0;
  virtual void NotifyMessage(EndpointId self, ConnId conn, EndpointId from,
                             uint32_t message) = 0;
  virtual void NotifyClosed(EndpointId self, ConnId conn) = 0;

 private:
  enum class PacketType : uint8_t { kSyn, kSynAck, kData, kFin, kRst };
  struct Packet {
    Time arrival;
    uint64_t digest = 0;
    uint32_t message = kNoMessage;
    uint32_t bytes = 0;
    uint32_t kind = 0;
    PacketType type = PacketType::kData;
  };
  struct Side {
    EndpointId endpoint;
    ProcessId process;
    ConnState kernel = ConnState::kNone;
    ConnState app = ConnState::kNone;
    bool rst_sent = false;
  };
  struct Direction {
    RingQueue<Packet> wire;
    RingQueue<Packet> inbox;
    Time last_arrival;
    TimerId pump;
    bool stalled = false;
    TrafficCounters counters;
  };
  struct Conn {
    uint32_t generation = 1;
    bool live = false;
    Side side[2];
    Direction dir[2];
    std::vector<Packet> connect_buffer;
  };

  static bool Active(ConnState s) {
    return s == ConnState::kOpen || s == ConnState::kConnecting;
  }
  static Packet Control(PacketType type);
  static const char* PacketTypeName(PacketType t);
  Conn* Find(ConnId id);
  const Conn* Find(ConnId id) const;
  ConnId IdOf(uint32_t slot) const;
  int SideOf(const Conn& c, EndpointId e) const;
  uint32_t AllocateConn();
  void MaybeFree(uint32_t slot, uint32_t generation);

  bool EnqueueData(uint32_t slot, int s, Packet p);
  bool EnqueuePacket(uint32_t slot, int s, Packet p, const LinkOptions& link);
  void EnqueueControl(uint32_t slot, int s, PacketType type);
  void SchedulePump(uint32_t slot, int s);
  void Pump(uint32_t slot, uint32_t generation, int s);
  void Stall(uint32_t slot, int s);
  void Unstall(uint32_t slot, int s);
  void RepumpStalled();
  void Arrive(uint32_t slot, int r, const Packet& p);
  void RefuseFromClosed(uint32_t slot, int r);
  void Hand(uint32_t slot, int r, const Packet& p);
  void DrainOne(uint32_t slot, uint32_t generation, int r);
  void Execute(uint32_t slot, int r, const Packet& p);
  void FlushConnectBuffer(uint32_t slot);
  void PurgeWire(uint32_t slot, int s, DropReason reason);
  void PurgeInbox(uint32_t slot, int s, DropReason reason);
  void DiscardConnectBuffer(uint32_t slot, DropReason reason);
  void Drop(uint32_t slot, int s, const Packet& p, DropReason reason);
  void ResetConn(uint32_t slot);
  void ResetCrossing(const Fault& fault);
  FaultId StartClog(FaultId id, Time until);
  void OnProcessEvent(const ProcessEvent& e);
  void TraceFault(const char* what, FaultId id);
  void TraceConn(uint32_t slot, int s, const char* what);

  Simulator& sim_;
  Rng rng_;
  NetworkOptions options_;
  LinkTable links_;
  FaultTable faults_;
  NetStats stats_;
  bool has_filters_ = false;
  std::vector<ProcessId> endpoint_owner_;
  std::deque<Conn> conns_;  // a deque: references stay valid as it grows
  std::vector<uint32_t> free_conns_;
  std::size_t live_connections_ = 0;
  std::set<uint64_t> stalled_;  // slot * 2 + direction
};

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_NET_CORE_H_
