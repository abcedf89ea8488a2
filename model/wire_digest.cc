#include "model/wire_digest.h"

#include "model/repl_frame.h"
#include "sim/hash.h"

namespace slotsim::model {
namespace {

void AddName(sim::Hasher& h, const NodeName& n) { h.AddString(n.view()); }

void AddSlots(sim::Hasher& h, const SharedSlots& s) {
  if (!s) {
    h.AddU64(0);
    return;
  }
  h.AddU64(1).AddU64(s->Digest());
}

void AddReply(sim::Hasher& h, const Reply& r) {
  h.AddU64(static_cast<uint64_t>(r.kind()));
  h.AddString(r.str());
  h.AddI64(r.integer());
  h.AddU64(r.items().size());
  for (const Reply& item : r.items()) AddReply(h, item);
}

uint64_t DigestBus(const BusMessage& m) {
  sim::Hasher h;
  h.AddU64(static_cast<uint64_t>(m.type));
  AddName(h, m.sender);
  h.AddU64(m.current_epoch.value()).AddU64(m.config_epoch.value());
  h.AddU64(m.offset).AddU64(m.flags).AddU64(m.mflags).AddU64(m.state);
  h.AddU64(m.port).AddU64(m.cport).AddU64(m.pport);
  AddName(h, m.slaveof);
  h.AddString(m.myip);
  AddSlots(h, m.myslots);
  h.AddU64(m.gossip.size());
  for (const GossipEntry& g : m.gossip) {
    AddName(h, g.name);
    h.AddU64(g.flags).AddU64(g.ping_sent_s).AddU64(g.pong_received_s);
    h.AddU64(g.port).AddU64(g.cport);
    h.AddString(g.ip);
  }
  h.AddString(m.hostname);
  AddName(h, m.fail_about);
  h.AddU64(m.update_config_epoch.value());
  AddName(h, m.update_node);
  AddSlots(h, m.update_slots);
  return h.digest();
}

uint64_t DigestRepl(const ReplFrame& f) {
  sim::Hasher h;
  h.AddU64(static_cast<uint64_t>(f.kind));
  h.AddString(f.replid).AddI64(f.offset).AddString(f.ip).AddI64(f.listening_port);
  h.AddI64(f.bytes).AddString(f.error);
  h.AddU64(f.snapshot ? f.snapshot->Digest() : 0);
  if (f.argv) {
    h.AddU64(f.argv->size());
    for (const std::string& a : *f.argv) h.AddString(a);
  }
  return h.digest();
}

}  // namespace

uint64_t DigestOf(const Wire& w) {
  switch (KindOf(w)) {
    case WireKind::kBus: return DigestBus(*std::get<0>(w));
    case WireKind::kCommand: {
      const CommandFrame& c = *std::get<1>(w);
      sim::Hasher h;
      h.AddU64(100).AddU64(c.request_id).AddU64(c.argv.size());
      for (const std::string& a : c.argv) h.AddString(a);
      return h.digest();
    }
    case WireKind::kReply: {
      const ReplyFrame& r = *std::get<2>(w);
      sim::Hasher h;
      h.AddU64(101).AddU64(r.request_id);
      AddReply(h, r.reply);
      return h.digest();
    }
    case WireKind::kRepl: return DigestRepl(*std::get<3>(w));
  }
  return 0;
}

int64_t WireSizeOf(const Wire& w) {
  switch (KindOf(w)) {
    case WireKind::kBus: return std::get<0>(w)->WireSize();
    case WireKind::kCommand: return std::get<1>(w)->WireSize();
    case WireKind::kReply: return std::get<2>(w)->WireSize();
    case WireKind::kRepl: return std::get<3>(w)->WireSize();
  }
  return 0;
}

int WireKindCode(const Wire& w) {
  switch (KindOf(w)) {
    case WireKind::kBus: return static_cast<int>(std::get<0>(w)->type);
    case WireKind::kCommand: return kWireKindCommand;
    case WireKind::kReply: return kWireKindReply;
    case WireKind::kRepl: return kWireKindRepl;
  }
  return -1;
}

}  // namespace slotsim::model
