#include "sim/net_core.h"

#include <algorithm>
#include <utility>

#include "sim/check.h"

namespace slotsim::sim {

const char* ConnStateName(ConnState s) {
  switch (s) {
    case ConnState::kNone:
      return "none";
    case ConnState::kConnecting:
      return "connecting";
    case ConnState::kOpen:
      return "open";
    case ConnState::kClosed:
      return "closed";
  }
  return "?";
}

std::string ConnLabel(ConnId id) {
  return std::to_string(SlotOf(id)) + "." + std::to_string(GenerationOf(id));
}

NetCore::NetCore(Simulator& sim, Rng rng, NetworkOptions options)
    : sim_(sim), rng_(rng), options_(options), links_(options.default_link) {
  sim_.AddProcessListener([this](const ProcessEvent& e) { OnProcessEvent(e); });
}

// --- Bookkeeping --------------------------------------------------------------

NetCore::Packet NetCore::Control(PacketType type) {
  Packet p;
  p.type = type;
  p.digest = 0x636f6e74726f6c00ULL | static_cast<uint64_t>(type);  // "control"
  return p;
}

const char* NetCore::PacketTypeName(PacketType t) {
  switch (t) {
    case PacketType::kSyn:
      return "syn";
    case PacketType::kSynAck:
      return "syn-ack";
    case PacketType::kData:
      return "data";
    case PacketType::kFin:
      return "fin";
    case PacketType::kRst:
      return "rst";
  }
  return "?";
}

ProcessId NetCore::owner(EndpointId e) const {
  CHECK(e.valid() && e.value() < endpoint_owner_.size()) << "unknown endpoint " << e;
  return endpoint_owner_[e.value()];
}

EndpointId NetCore::AddEndpointCore(ProcessId owner) {
  CHECK(owner.valid() && owner.value() < sim_.process_count())
      << "unknown process " << owner;
  endpoint_owner_.push_back(owner);
  return EndpointId(static_cast<uint32_t>(endpoint_owner_.size() - 1));
}

NetCore::Conn* NetCore::Find(ConnId id) {
  if (!id.valid() || SlotOf(id) >= conns_.size()) return nullptr;
  Conn& c = conns_[SlotOf(id)];
  return c.live && c.generation == GenerationOf(id) ? &c : nullptr;
}

const NetCore::Conn* NetCore::Find(ConnId id) const {
  return const_cast<NetCore*>(this)->Find(id);
}

ConnId NetCore::IdOf(uint32_t slot) const {
  return MakeSlotId<ConnId>(slot, conns_[slot].generation);
}

int NetCore::SideOf(const Conn& c, EndpointId e) const {
  if (c.side[0].endpoint == e) return 0;
  if (c.side[1].endpoint == e) return 1;
  return -1;
}

uint32_t NetCore::AllocateConn() {
  uint32_t slot;
  if (!free_conns_.empty()) {
    slot = free_conns_.back();
    free_conns_.pop_back();
  } else {
    slot = static_cast<uint32_t>(conns_.size());
    conns_.emplace_back();
  }
  conns_[slot].live = true;
  ++live_connections_;
  return slot;
}

void NetCore::MaybeFree(uint32_t slot, uint32_t generation) {
  Conn& c = conns_[slot];
  if (!c.live || c.generation != generation) return;
  for (const Side& side : c.side) {
    if (Active(side.kernel) || Active(side.app)) return;
  }
  for (const Direction& d : c.dir) {
    if (!d.wire.empty() || !d.inbox.empty() || d.pump.valid() || d.stalled) return;
  }
  if (!c.connect_buffer.empty()) return;
  c.live = false;
  if (++c.generation == 0) c.generation = 1;
  for (Side& side : c.side) side = Side{};
  for (Direction& d : c.dir) {
    d.last_arrival = Time();
    d.counters = TrafficCounters{};
  }
  --live_connections_;
  free_conns_.push_back(slot);
}

ConnState NetCore::state(ConnId conn, EndpointId side) const {
  const Conn* c = Find(conn);
  if (c == nullptr) return ConnState::kClosed;
  const int s = SideOf(*c, side);
  CHECK_GE(s, 0) << "endpoint " << side << " is not a side of connection " << conn;
  return c->side[s].app;
}

EndpointId NetCore::Peer(ConnId conn, EndpointId side) const {
  const Conn* c = Find(conn);
  CHECK(c != nullptr) << "stale connection " << conn;
  const int s = SideOf(*c, side);
  CHECK_GE(s, 0) << "endpoint " << side << " is not a side of connection " << conn;
  return c->side[1 - s].endpoint;
}

TrafficCounters NetCore::ConnCounters(ConnId conn, EndpointId from) const {
  const Conn* c = Find(conn);
  if (c == nullptr) return {};
  const int s = SideOf(*c, from);
  CHECK_GE(s, 0);
  return c->dir[s].counters;
}

// --- Owner operations ---------------------------------------------------------

ConnId NetCore::Connect(EndpointId from, EndpointId to) {
  CHECK_NE(from, to) << "connection to itself";
  const ProcessId from_process = owner(from);
  const ProcessId to_process = owner(to);
  CHECK(sim_.IsAlive(from_process)) << "connect from crashed process " << from_process;
  const uint32_t slot = AllocateConn();
  Conn& c = conns_[slot];
  c.side[0] =
      Side{from, from_process, ConnState::kConnecting, ConnState::kConnecting, false};
  c.side[1] = Side{to, to_process, ConnState::kNone, ConnState::kNone, false};
  TraceConn(slot, 0, "connect");
  EnqueueControl(slot, 0, PacketType::kSyn);
  return IdOf(slot);
}

bool NetCore::SendCore(ConnId conn, EndpointId from, uint32_t message, uint64_t digest,
                       uint32_t bytes, uint32_t kind) {
  Packet p;
  p.type = PacketType::kData;
  p.message = message;
  p.digest = digest;
  p.bytes = bytes;
  p.kind = kind;
  stats_.Sent(from, kind, bytes);
  Conn* c = Find(conn);
  if (c == nullptr) {
    stats_.Dropped(from, kind, bytes, DropReason::kClosed);
    ReleaseMessage(message);
    return false;
  }
  const uint32_t slot = SlotOf(conn);
  const int s = SideOf(*c, from);
  CHECK_GE(s, 0) << "endpoint " << from << " is not a side of connection " << conn;
  ++c->dir[s].counters.sent_messages;
  c->dir[s].counters.sent_bytes += bytes;
  const Side& side = c->side[s];
  if (side.app == ConnState::kConnecting) {
    if (c->connect_buffer.size() >= links_.Get(from, c->side[1].endpoint).capacity) {
      Drop(slot, s, p, DropReason::kOverflow);
      return false;
    }
    c->connect_buffer.push_back(p);
    return true;
  }
  if (side.app != ConnState::kOpen || side.kernel != ConnState::kOpen) {
    Drop(slot, s, p, DropReason::kClosed);
    return false;
  }
  return EnqueueData(slot, s, p);
}

void NetCore::Close(ConnId conn, EndpointId by) {
  Conn* c = Find(conn);
  if (c == nullptr) return;
  const uint32_t slot = SlotOf(conn);
  const uint32_t generation = c->generation;
  const int s = SideOf(*c, by);
  CHECK_GE(s, 0) << "endpoint " << by << " is not a side of connection " << conn;
  Side& side = c->side[s];
  if (!Active(side.app)) return;
  side.app = ConnState::kClosed;
  TraceConn(slot, s, "close");
  if (s == 0) DiscardConnectBuffer(slot, DropReason::kClosed);
  if (side.kernel == ConnState::kOpen) {
    side.kernel = ConnState::kClosed;
    EnqueueControl(slot, s, PacketType::kFin);
  } else if (side.kernel == ConnState::kConnecting) {
    // The SYN may still arrive; the SYN-ACK will then be answered with a reset.
    side.kernel = ConnState::kClosed;
  }
  MaybeFree(slot, generation);
}

// --- Sending ------------------------------------------------------------------

bool NetCore::EnqueueData(uint32_t slot, int s, Packet p) {
  Conn& c = conns_[slot];
  const EndpointId src = c.side[s].endpoint;
  const LinkOptions& link = links_.Get(src, c.side[1 - s].endpoint);
  if (!link.loss.never() && rng_.Chance(link.loss.numerator, link.loss.denominator)) {
    Drop(slot, s, p, DropReason::kLoss);
    return true;  // lost on the wire: the sender cannot tell
  }
  if (!EnqueuePacket(slot, s, p, link)) return false;
  if (!link.duplicate.never() &&
      rng_.Chance(link.duplicate.numerator, link.duplicate.denominator)) {
    Packet copy = p;
    copy.message = CloneMessage(p.message);
    stats_.Duplicated();
    stats_.Sent(src, p.kind, p.bytes);
    ++c.dir[s].counters.sent_messages;
    c.dir[s].counters.sent_bytes += p.bytes;
    EnqueuePacket(slot, s, copy, link);
  }
  return true;
}

bool NetCore::EnqueuePacket(uint32_t slot, int s, Packet p, const LinkOptions& link) {
  Conn& c = conns_[slot];
  Direction& d = c.dir[s];
  if (p.type == PacketType::kData && d.wire.size() + d.inbox.size() >= link.capacity) {
    Drop(slot, s, p, DropReason::kOverflow);
    return false;
  }
  Duration delay = link.delay.Sample(rng_);
  if (faults_.has_extra_delay()) {
    delay += faults_.ExtraDelay(c.side[s].endpoint, c.side[1 - s].endpoint);
  }
  const Time arrival = std::max(sim_.now() + delay, d.last_arrival);
  d.last_arrival = arrival;
  if (p.type == PacketType::kData && !link.reorder.never() && !d.wire.empty() &&
      d.wire.back().type == PacketType::kData &&
      rng_.Chance(link.reorder.numerator, link.reorder.denominator)) {
    // Overtake the last packet in flight: swap places and arrival times.
    Packet& last = d.wire.back();
    p.arrival = last.arrival;
    last.arrival = arrival;
    std::swap(p, last);
    d.wire.push_back(p);
    stats_.Reordered();
  } else {
    p.arrival = arrival;
    d.wire.push_back(p);
  }
  SchedulePump(slot, s);
  return true;
}

void NetCore::EnqueueControl(uint32_t slot, int s, PacketType type) {
  const Conn& c = conns_[slot];
  EnqueuePacket(slot, s, Control(type),
                links_.Get(c.side[s].endpoint, c.side[1 - s].endpoint));
}

// --- The pump -----------------------------------------------------------------

void NetCore::SchedulePump(uint32_t slot, int s) {
  Conn& c = conns_[slot];
  Direction& d = c.dir[s];
  if (d.pump.valid() || d.stalled || d.wire.empty()) return;
  const Packet& head = d.wire.front();
  const uint32_t generation = c.generation;
  d.pump = sim_.Schedule(std::max(head.arrival, sim_.now()),
                         EventTag{kTagNetPump, IdOf(slot).value(),
                                  (head.digest << 1) | static_cast<uint64_t>(s)},
                         [this, slot, generation, s] { Pump(slot, generation, s); });
}

void NetCore::Pump(uint32_t slot, uint32_t generation, int s) {
  Conn& c = conns_[slot];
  if (!c.live || c.generation != generation) return;
  Direction& d = c.dir[s];
  d.pump = TimerId();
  const EndpointId src = c.side[s].endpoint;
  const EndpointId dst = c.side[1 - s].endpoint;
  // Packets lost here (fault in kDrop mode, filter) do not use up the event:
  // the next packet due now is considered at once.
  while (!d.wire.empty() && d.wire.front().arrival <= sim_.now()) {
    DropReason drop = DropReason::kCount;
    switch (faults_.Check(src, dst, sim_.now())) {
      case FaultTable::Action::kPass:
        break;
      case FaultTable::Action::kClog:
      case FaultTable::Action::kHold:
        Stall(slot, s);
        return;
      case FaultTable::Action::kDrop:
        drop = DropReason::kFault;
        break;
      case FaultTable::Action::kReject:
        ResetConn(slot);
        MaybeFree(slot, generation);
        return;
    }
    const Packet p = d.wire.front();
    if (drop == DropReason::kCount && p.type == PacketType::kData && has_filters_ &&
        Filtered(src, dst, p.message)) {
      drop = DropReason::kFilter;
    }
    d.wire.pop_front();
    if (drop != DropReason::kCount) {
      Drop(slot, s, p, drop);
      continue;
    }
    SchedulePump(slot, s);
    Arrive(slot, 1 - s, p);
    MaybeFree(slot, generation);
    return;
  }
  SchedulePump(slot, s);
  MaybeFree(slot, generation);
}

void NetCore::Stall(uint32_t slot, int s) {
  conns_[slot].dir[s].stalled = true;
  stalled_.insert(uint64_t{slot} * 2 + static_cast<uint64_t>(s));
}

void NetCore::Unstall(uint32_t slot, int s) {
  Direction& d = conns_[slot].dir[s];
  if (!d.stalled) return;
  d.stalled = false;
  stalled_.erase(uint64_t{slot} * 2 + static_cast<uint64_t>(s));
}

void NetCore::RepumpStalled() {
  std::set<uint64_t> stalled = std::move(stalled_);
  stalled_.clear();
  for (uint64_t key : stalled) {
    const uint32_t slot = static_cast<uint32_t>(key / 2);
    const int s = static_cast<int>(key % 2);
    conns_[slot].dir[s].stalled = false;
    SchedulePump(slot, s);
  }
}

// --- Arrival at the receiving host, and notification of its owner -------------

void NetCore::Arrive(uint32_t slot, int r, const Packet& p) {
  Side& side = conns_[slot].side[r];
  switch (p.type) {
    case PacketType::kSyn:
      if (!sim_.IsAlive(side.process)) {
        RefuseFromClosed(slot, r);  // connection refused, if the host is up
        return;
      }
      side.kernel = ConnState::kOpen;
      side.rst_sent = false;
      EnqueueControl(slot, r, PacketType::kSynAck);
      Hand(slot, r, p);
      return;
    case PacketType::kSynAck:
      if (side.kernel != ConnState::kConnecting) {
        RefuseFromClosed(slot, r);
        return;
      }
      side.kernel = ConnState::kOpen;
      Hand(slot, r, p);
      return;
    case PacketType::kData:
      if (side.kernel != ConnState::kOpen) {
        Drop(slot, 1 - r, p,
             sim_.IsAlive(side.process) ? DropReason::kClosed : DropReason::kCrash);
        RefuseFromClosed(slot, r);
        return;
      }
      Hand(slot, r, p);
      return;
    case PacketType::kFin:
    case PacketType::kRst:
      if (!Active(side.kernel)) return;
      side.kernel = ConnState::kClosed;
      Hand(slot, r, p);
      return;
  }
}

void NetCore::RefuseFromClosed(uint32_t slot, int r) {
  Side& side = conns_[slot].side[r];
  if (side.rst_sent || !sim_.HostUp(side.process)) return;
  side.rst_sent = true;
  EnqueueControl(slot, r, PacketType::kRst);
}

void NetCore::Hand(uint32_t slot, int r, const Packet& p) {
  Conn& c = conns_[slot];
  Direction& in = c.dir[1 - r];
  const ProcessId process = c.side[r].process;
  CHECK(sim_.IsAlive(process));
  if (in.inbox.empty() && sim_.state(process) == ProcessState::kRunning) {
    Execute(slot, r, p);
    return;
  }
  in.inbox.push_back(p);
  const uint32_t generation = c.generation;
  sim_.ScheduleFor(process, sim_.now(),
                   EventTag{kTagNetDeliver, IdOf(slot).value(),
                            (p.digest << 1) | static_cast<uint64_t>(1 - r)},
                   [this, slot, generation, r] { DrainOne(slot, generation, r); });
}

void NetCore::DrainOne(uint32_t slot, uint32_t generation, int r) {
  Conn& c = conns_[slot];
  if (!c.live || c.generation != generation) return;
  Direction& in = c.dir[1 - r];
  if (in.inbox.empty()) return;
  const Packet p = in.inbox.front();
  in.inbox.pop_front();
  Execute(slot, r, p);
  MaybeFree(slot, generation);
}

void NetCore::Execute(uint32_t slot, int r, const Packet& p) {
  Conn& c = conns_[slot];
  Side& side = c.side[r];
  const ConnId id = IdOf(slot);
  const EndpointId self = side.endpoint;
  const EndpointId peer = c.side[1 - r].endpoint;
  switch (p.type) {
    case PacketType::kSyn:
      if (side.app != ConnState::kNone) return;
      side.app = ConnState::kOpen;
      TraceConn(slot, r, "accept");
      NotifyAccept(self, id, peer);
      return;
    case PacketType::kSynAck:
      if (side.app != ConnState::kConnecting) return;
      side.app = ConnState::kOpen;
      TraceConn(slot, r, "connected");
      FlushConnectBuffer(slot);
      NotifyConnected(self, id);
      return;
    case PacketType::kData: {
      if (side.app != ConnState::kOpen) {
        Drop(slot, 1 - r, p, DropReason::kClosed);
        return;
      }
      stats_.Delivered(self, p.kind, p.bytes);
      TrafficCounters& counters = c.dir[1 - r].counters;
      ++counters.delivered_messages;
      counters.delivered_bytes += p.bytes;
      if (options_.trace_messages && sim_.tracing()) {
        sim_.Trace(side.process, "net.deliver",
                   {TraceField("conn", ConnLabel(id)), TraceField("from", peer.value()),
                    TraceField("to", self.value()), TraceField("kind", p.kind),
                    TraceField("bytes", p.bytes)});
      }
      NotifyMessage(self, id, peer, p.message);
      return;
    }
    case PacketType::kFin:
    case PacketType::kRst:
      if (side.app == ConnState::kConnecting) {
        side.app = ConnState::kClosed;
        DiscardConnectBuffer(slot, DropReason::kClosed);
        TraceConn(slot, r, "connect-failed");
        NotifyConnectFailed(self, id);
      } else if (side.app == ConnState::kOpen) {
        side.app = ConnState::kClosed;
        TraceConn(slot, r, p.type == PacketType::kFin ? "closed" : "reset");
        NotifyClosed(self, id);
      }
      return;
  }
}

void NetCore::FlushConnectBuffer(uint32_t slot) {
  std::vector<Packet> buffered = std::move(conns_[slot].connect_buffer);
  conns_[slot].connect_buffer.clear();
  for (const Packet& p : buffered) {
    if (conns_[slot].side[0].kernel == ConnState::kOpen) {
      EnqueueData(slot, 0, p);
    } else {
      Drop(slot, 0, p, DropReason::kClosed);
    }
  }
}

}  // namespace slotsim::sim
