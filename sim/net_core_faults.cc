// NetCore, continued: what faults, resets and crashes do to connections, and
// the fault API. (net_core.cc has connections, sending, pumping and delivery.)

#include <utility>

#include "sim/check.h"
#include "sim/net_core.h"

namespace slotsim::sim {

// --- Dropping and resetting ---------------------------------------------------

void NetCore::Drop(uint32_t slot, int s, const Packet& p, DropReason reason) {
  if (p.type != PacketType::kData) return;
  Conn& c = conns_[slot];
  const EndpointId src = c.side[s].endpoint;
  stats_.Dropped(src, p.kind, p.bytes, reason);
  ++c.dir[s].counters.dropped_messages;
  c.dir[s].counters.dropped_bytes += p.bytes;
  if (options_.trace_messages && sim_.tracing()) {
    sim_.Trace(
        c.side[s].process, "net.drop",
        {TraceField("conn", ConnLabel(IdOf(slot))), TraceField("from", src.value()),
         TraceField("to", c.side[1 - s].endpoint.value()), TraceField("kind", p.kind),
         TraceField("bytes", p.bytes), TraceField("reason", DropReasonName(reason))});
  }
  ReleaseMessage(p.message);
}

void NetCore::PurgeWire(uint32_t slot, int s, DropReason reason) {
  Direction& d = conns_[slot].dir[s];
  RingQueue<Packet> wire = std::move(d.wire);
  for (std::size_t i = 0; i < wire.size(); ++i) Drop(slot, s, wire[i], reason);
  if (d.pump.valid()) {
    sim_.Cancel(d.pump);
    d.pump = TimerId();
  }
  Unstall(slot, s);
}

void NetCore::PurgeInbox(uint32_t slot, int s, DropReason reason) {
  Direction& d = conns_[slot].dir[s];
  RingQueue<Packet> inbox = std::move(d.inbox);
  for (std::size_t i = 0; i < inbox.size(); ++i) Drop(slot, s, inbox[i], reason);
}

void NetCore::DiscardConnectBuffer(uint32_t slot, DropReason reason) {
  std::vector<Packet> buffered = std::move(conns_[slot].connect_buffer);
  conns_[slot].connect_buffer.clear();
  for (const Packet& p : buffered) Drop(slot, 0, p, reason);
}

void NetCore::ResetConn(uint32_t slot) {
  PurgeWire(slot, 0, DropReason::kReset);
  PurgeWire(slot, 1, DropReason::kReset);
  bool notify[2];
  for (int r = 0; r < 2; ++r) {
    Side& side = conns_[slot].side[r];
    notify[r] = Active(side.kernel);
    if (notify[r]) side.kernel = ConnState::kClosed;
  }
  // Each side learns locally (the rejecting firewall answers on its own), after
  // whatever had already arrived for it.
  for (int r = 0; r < 2; ++r) {
    if (notify[r]) Hand(slot, r, Control(PacketType::kRst));
  }
}

void NetCore::ResetCrossing(const Fault& fault) {
  const std::size_t n = conns_.size();
  for (uint32_t slot = 0; slot < n; ++slot) {
    const Conn& c = conns_[slot];
    if (!c.live) continue;
    const EndpointId a = c.side[0].endpoint;
    const EndpointId b = c.side[1].endpoint;
    if (!fault.Covers(a, b) && !fault.Covers(b, a)) continue;
    const uint32_t generation = c.generation;
    ResetConn(slot);
    MaybeFree(slot, generation);
  }
}

void NetCore::OnProcessEvent(const ProcessEvent& e) {
  if (e.kind != ProcessEvent::Kind::kCrashed) return;
  for (uint32_t slot = 0; slot < conns_.size(); ++slot) {
    Conn& c = conns_[slot];
    if (!c.live) continue;
    const uint32_t generation = c.generation;
    for (int r = 0; r < 2; ++r) {
      Side& side = c.side[r];
      if (side.process != e.process) continue;
      const bool active = Active(side.kernel);
      const bool peer_knows = c.side[1 - r].kernel != ConnState::kNone;
      // What the crashed side had sent but not delivered, and what had reached
      // it but not its owner, is gone.
      PurgeWire(slot, r, DropReason::kCrash);
      PurgeInbox(slot, 1 - r, DropReason::kCrash);
      if (r == 0) DiscardConnectBuffer(slot, DropReason::kCrash);
      if (Active(side.app) || side.kernel == ConnState::kOpen) {
        side.app = ConnState::kClosed;
      }
      if (active) {
        side.kernel = ConnState::kClosed;
        if (e.crash_kind == CrashKind::kProcess && peer_knows) {
          // The surviving OS resets the connection; a power loss says nothing.
          side.rst_sent = true;
          EnqueueControl(slot, r, PacketType::kRst);
        }
      }
    }
    MaybeFree(slot, generation);
  }
}

// --- Faults -------------------------------------------------------------------

FaultId NetCore::Partition(EndpointSet a, EndpointSet b, FaultMode mode) {
  const FaultId id = faults_.AddBlock(std::move(a), std::move(b), true, mode);
  TraceFault("fault", id);
  if (mode == FaultMode::kReject) ResetCrossing(Fault(*faults_.Find(id)));
  return id;
}

FaultId NetCore::BlockOneWay(EndpointSet from, EndpointSet to, FaultMode mode) {
  const FaultId id = faults_.AddBlock(std::move(from), std::move(to), false, mode);
  TraceFault("fault", id);
  if (mode == FaultMode::kReject) ResetCrossing(Fault(*faults_.Find(id)));
  return id;
}

FaultId NetCore::ClogEndpoint(EndpointId e, Duration duration) {
  const Time until = sim_.now() + duration;
  return StartClog(faults_.AddClog(EndpointSet{e}, EndpointSet::All(), true, until),
                   until);
}

FaultId NetCore::ClogPair(EndpointId a, EndpointId b, Duration duration) {
  const Time until = sim_.now() + duration;
  return StartClog(faults_.AddClog(EndpointSet{a}, EndpointSet{b}, true, until), until);
}

FaultId NetCore::StartClog(FaultId id, Time until) {
  TraceFault("fault", id);
  sim_.Schedule(until, EventTag{kTagNetClogEnd, id.value(), 0}, [this, id] {
    if (faults_.Find(id) == nullptr) return;  // healed early
    TraceFault("clog-end", id);
    faults_.Remove(id);
    RepumpStalled();
  });
  return id;
}

FaultId NetCore::AddExtraDelay(EndpointSet from, EndpointSet to, Duration extra,
                               bool symmetric) {
  const FaultId id =
      faults_.AddExtraDelay(std::move(from), std::move(to), symmetric, extra);
  TraceFault("fault", id);
  return id;
}

bool NetCore::Heal(FaultId id) {
  if (faults_.Find(id) == nullptr) return false;
  TraceFault("heal", id);
  faults_.Remove(id);
  RepumpStalled();
  return true;
}

void NetCore::HealAll() {
  if (faults_.empty()) return;
  if (sim_.tracing()) sim_.Trace(ProcessId(), "net.heal-all");
  faults_.Clear();
  RepumpStalled();
}

void NetCore::TraceFault(const char* what, FaultId id) {
  if (!sim_.tracing()) return;
  const Fault* f = faults_.Find(id);
  sim_.Trace(ProcessId(), std::string("net.") + what,
             {TraceField("fault", id.value()), TraceField("what", f->ToString())});
}

void NetCore::TraceConn(uint32_t slot, int s, const char* what) {
  if (!options_.trace_connections || !sim_.tracing()) return;
  const Conn& c = conns_[slot];
  sim_.Trace(c.side[s].process, std::string("net.") + what,
             {TraceField("conn", ConnLabel(IdOf(slot))),
              TraceField("self", c.side[s].endpoint.value()),
              TraceField("peer", c.side[1 - s].endpoint.value())});
}

}  // namespace slotsim::sim
