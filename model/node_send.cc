// Node: building and sending cluster-bus packets.

#include <algorithm>
#include <memory>

#include "model/marks.h"
#include "model/node.h"

namespace slotsim::model {

std::shared_ptr<BusMessage> Node::BuildHeader(MsgType type) {
  const ClusterNode* me = cs_.myself;
  const ClusterNode* master =
      (me->is_replica() && me->replica_of != nullptr) ? me->replica_of : me;
  auto m = std::make_shared<BusMessage>();
  m->type = type;
  m->sender = me->name;
  // Redis leaves myip empty without cluster-announce-ip and the receiver reads
  // the socket's peer address; the model has no sockets, so the sender
  // stamps the address the receiver would see.
  m->myip = config_.ip;
  m->myslots = cs_.SlotsOf(master);
  if (me->replica_of != nullptr) m->slaveof = me->replica_of->name;
  m->port = static_cast<uint16_t>(config_.port);
  m->pport = 0;
  m->cport = static_cast<uint16_t>(config_.cport);
  m->flags = me->flags;
  m->state = static_cast<uint8_t>(cs_.state);
  m->current_epoch = cs_.current_epoch;
  m->config_epoch = master->config_epoch;
  m->offset = static_cast<uint64_t>(announced_offset());
  if (me->is_master() && cs_.mf_end_ms != 0) m->mflags |= mflags::kPaused;
  return m;
}

void Node::SendMessage(LinkId link, BusMessagePtr msg) {
  if (!link.valid()) return;
  const int type_index = static_cast<int>(msg->type);
  if (type_index < kMsgTypeCount) ++cs_.stats_sent[type_index];
  out_->actions.emplace_back(Effects::Send{link, Wire(std::move(msg))});
}

void Node::SendPing(ClusterLink* link, MsgType type) {
  SendPing(link->id, link->inbound ? nullptr : link->node, type);
}

void Node::SendPing(LinkId link, ClusterNode* outbound_node, MsgType type) {
  ++cluster_pings_sent_;
  const int n = static_cast<int>(cs_.nodes.size());
  int freshnodes = n - 2;
  int wanted = std::max(3, n / 10);
  wanted = std::min(wanted, freshnodes);
  int pfail_wanted = cs_.stats_pfail_nodes;

  if (outbound_node != nullptr && type == MsgType::kPing) {
    outbound_node->ping_sent_ms = now_ms_;
    cron_pinged_.emplace(outbound_node->uid, outbound_node);
  }
  std::shared_ptr<BusMessage> msg = BuildHeader(type);
  msg->gossip.reserve(static_cast<size_t>(std::max(wanted, 0) + pfail_wanted));

  const ClusterNode* me = cs_.myself;
  int gossipcount = 0;
  int maxiterations = wanted * 3;
  // Memory prefetch only: a copy of the stream yields the picks the loop
  // will make (without consuming any draw of the real stream), so the table
  // slot of pick k+16 and the node of pick k+8 are fetched ahead.
  constexpr int kRing = 16;
  constexpr int kNodeAhead = 8;
  uint32_t ring[kRing];
  sim::Rng lookahead = rng_;
  int drawn = 0;
  auto draw_ahead = [&] {
    if (drawn >= maxiterations) return;
    const auto idx = static_cast<uint32_t>(lookahead.Uniform(static_cast<uint64_t>(n)));
    ring[drawn % kRing] = idx;
    __builtin_prefetch(&cs_.nodes[idx]);
    ++drawn;
  };
  if (freshnodes > 0) {
    for (int k = 0; k < kRing; ++k) draw_ahead();
  }
  int pick = 0;
  while (freshnodes > 0 && gossipcount < wanted && maxiterations-- > 0) {
    if (pick + kNodeAhead < drawn) {
      __builtin_prefetch(cs_.nodes[ring[(pick + kNodeAhead) % kRing]].get());
    }
    ++pick;
    draw_ahead();
    ClusterNode* t = cs_.nodes[rng_.Uniform(static_cast<uint64_t>(n))].get();
    if (t == me) continue;
    if (t->timed_out()) continue;  // PFAIL nodes are appended below
    if (t->Has(flags::kHandshake | flags::kNoAddr) ||
        (!t->link.valid() && t->num_slots == 0)) {
      --freshnodes;
      continue;
    }
    if (t->last_in_ping_gossip == cluster_pings_sent_) continue;
    msg->gossip.push_back(GossipEntry{t->name,
                                      static_cast<uint32_t>(t->ping_sent_ms / 1000),
                                      static_cast<uint32_t>(t->pong_received_ms / 1000),
                                      t->ip, static_cast<uint16_t>(t->port),
                                      static_cast<uint16_t>(t->cport),
                                      static_cast<uint16_t>(t->pport), t->flags});
    t->last_in_ping_gossip = cluster_pings_sent_;
    --freshnodes;
    ++gossipcount;
  }

  if (pfail_wanted > 0) {
    for (const auto& owned : cs_.nodes) {
      if (pfail_wanted <= 0) break;
      const ClusterNode* t = owned.get();
      if (t->Has(flags::kHandshake | flags::kNoAddr)) continue;
      if (!t->timed_out()) continue;
      msg->gossip.push_back(GossipEntry{t->name,
                                        static_cast<uint32_t>(t->ping_sent_ms / 1000),
                                        static_cast<uint32_t>(t->pong_received_ms / 1000),
                                        t->ip, static_cast<uint16_t>(t->port),
                                        static_cast<uint16_t>(t->cport),
                                        static_cast<uint16_t>(t->pport), t->flags});
      --pfail_wanted;
    }
  }

  if (!me->hostname.empty()) {
    msg->hostname = me->hostname;
    msg->mflags |= mflags::kExtData;
  }
  SendMessage(link, std::move(msg));
}

void Node::BroadcastMessage(const BusMessagePtr& msg) {
  for (const auto& owned : cs_.nodes) {
    const ClusterNode* node = owned.get();
    if (node->Has(flags::kMyself | flags::kHandshake)) continue;
    SendMessage(node->link, msg);
  }
}

void Node::BroadcastPong(PongTarget target) {
  const ClusterNode* me = cs_.myself;
  for (const auto& owned : cs_.nodes) {
    ClusterNode* node = owned.get();
    if (!node->link.valid()) continue;
    if (node == me || node->in_handshake()) continue;
    if (target == PongTarget::kLocalReplicas) {
      const bool local_replica =
          node->is_replica() && node->replica_of != nullptr &&
          (node->replica_of == me || node->replica_of == me->replica_of);
      if (!local_replica) continue;
    }
    SendPing(node->link, node, MsgType::kPong);
  }
}

void Node::SendFail(const ClusterNode* failing) {
  std::shared_ptr<BusMessage> msg = BuildHeader(MsgType::kFail);
  msg->fail_about = failing->name;
  BroadcastMessage(msg);
}

void Node::SendUpdate(LinkId link, const ClusterNode* node) {
  if (!link.valid()) return;
  std::shared_ptr<BusMessage> msg = BuildHeader(MsgType::kUpdate);
  msg->update_node = node->name;
  msg->update_config_epoch = node->config_epoch;
  SharedSlots slots = cs_.SlotsOf(node);
  // Don't advertise slots the node stopped claiming.
  const auto& mine = slots->words();
  const auto& not_claiming = cs_.owner_not_claiming_slot.words();
  bool overlap = false;
  for (size_t w = 0; w < mine.size() && !overlap; ++w) {
    overlap = (mine[w] & not_claiming[w]) != 0;
  }
  if (overlap) {
    MARK("update: not-claiming slots left out");
    auto filtered = std::make_shared<SlotBitmap>(*slots);
    for (int j = 0; j < kClusterSlots; ++j) {
      if (cs_.owner_not_claiming_slot.Test(j)) filtered->Clear(j);
    }
    slots = std::move(filtered);
  }
  msg->update_slots = std::move(slots);
  SendMessage(link, std::move(msg));
}

void Node::RequestFailoverAuth() {
  std::shared_ptr<BusMessage> msg = BuildHeader(MsgType::kAuthRequest);
  if (cs_.mf_end_ms != 0) msg->mflags |= mflags::kForceAck;
  BroadcastMessage(msg);
}

void Node::SendFailoverAuth(ClusterNode* node) {
  if (!node->link.valid()) return;
  SendMessage(node->link, BuildHeader(MsgType::kAuthAck));
}

void Node::SendMfStart(ClusterNode* node) {
  if (!node->link.valid()) return;
  SendMessage(node->link, BuildHeader(MsgType::kMfStart));
}

}  // namespace slotsim::model
