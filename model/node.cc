// Node: steps (one event-loop iteration per input), clusterInit,
// clusterBeforeSleep, links and trace helpers. See node.h for the map of
// Redis functions to files.

#include "model/node.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "model/marks.h"
#include "sim/check.h"

namespace slotsim::model {

Node::Node(NodeConfig config, sim::Rng rng)
    : config_(std::move(config)),
      rng_(std::move(rng)),
      repl_(&config_, &rng_, &keyspace_, &next_link_id_,
            [this](const std::vector<std::string>& argv) { ApplyReplicated(argv); }) {}

Node::~Node() = default;

absl::StatusOr<std::unique_ptr<Node>> Node::Start(sim::Time now, NodeConfig config,
                                                  sim::Rng rng,
                                                  const std::string* nodes_conf,
                                                  Effects* out) {
  std::unique_ptr<Node> node(new Node(std::move(config), std::move(rng)));
  Node& n = *node;
  n.Begin(now, out);
  if (nodes_conf != nullptr && !nodes_conf->empty()) {
    absl::Status s = n.LoadConfig(*nodes_conf);
    if (!s.ok()) return s;
  } else {
    // clusterInit without a config: a random name, MYSELF|MASTER, saved with
    // fsync right away.
    ClusterNode* me = n.CreateNode(nullptr, flags::kMyself | flags::kMaster);
    n.cs_.myself = me;
    n.Emit(EventKind::kNodeAdded, me, nullptr, 0, "myself,master");
    n.SaveConfig(/*fsync=*/true);
  }
  ClusterNode* me = n.cs_.myself;
  // deriveAnnouncedPorts, resetManualFailover, clusterUpdateMyselfFlags,
  // clusterUpdateMyselfIp (no announce-ip: keep what was loaded, or learn it
  // from the first MEET), clusterUpdateMyselfHostname.
  me->port = n.config_.port;
  me->cport = n.config_.cport;
  me->pport = 0;
  n.ResetManualFailover();
  const uint16_t old_flags = me->flags;
  me->flags &= ~flags::kNoFailover;
  if (n.config_.cluster_replica_no_failover) me->flags |= flags::kNoFailover;
  if (me->flags != old_flags) n.DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState);
  me->hostname = n.config_.hostname;
  n.repl_.Init(n.now_ms_);
  n.repl_.set_self(me->name);
  n.End();
  return node;
}

void Node::Begin(sim::Time now, Effects* out) {
  CHECK(out != nullptr);
  CHECK(out_ == nullptr) << "re-entrant step";
  now_ = now;
  now_ms_ = MsTime(now);
  out_ = out;
  persist_fsync_ = false;
}

void Node::End() {
  DataplaneBeforeSleep();
  BeforeSleep();
  out_ = nullptr;
}

void Node::BeforeSleep() {
  const int f = cs_.todo_before_sleep;
  cs_.todo_before_sleep = 0;
  if (f & todo::kHandleManualFailover) {
    if (cs_.myself->is_replica()) {
      HandleManualFailover();
      HandleSlaveFailover();
    }
  } else if (f & todo::kHandleFailover) {
    HandleSlaveFailover();
  }
  if (f & todo::kUpdateState) UpdateState();
  if (f & todo::kSaveConfig) SaveConfig((f & todo::kFsyncConfig) != 0);
}

void Node::SaveConfig(bool fsync) {
  cs_.todo_before_sleep &= ~todo::kSaveConfig;
  if (fsync) cs_.todo_before_sleep &= ~todo::kFsyncConfig;
  persist_fsync_ = persist_fsync_ || fsync;
  out_->persist = Effects::Persist{NodesConfText(), persist_fsync_};
}

int64_t Node::announced_offset() const {
  return cs_.myself->is_replica() ? repl_.SlaveOffset() : repl_.master_repl_offset();
}

// --- Inputs. ---

void Node::OnLinkConnected(sim::Time now, LinkId id, Effects* out) {
  if (InterceptInput(HeldInput::Kind::kConnected, id, nullptr, now, out)) return;
  Begin(now, out);
  if (ClusterLink* link = FindLink(id); link != nullptr) {
    if (!link->inbound && !link->connected) LinkConnected(link);
  } else {
    repl_.OnLinkConnected(id, now_ms_, out_);
  }
  End();
}

void Node::OnLinkClosed(sim::Time now, LinkId id, Effects* out) {
  if (InterceptInput(HeldInput::Kind::kClosed, id, nullptr, now, out)) return;
  Begin(now, out);
  if (ClusterLink* link = FindLink(id); link != nullptr) {
    if (!link->inbound && !link->connected && link->node != nullptr) {
      // A failed connect, reported asynchronously as Redis's connection
      // layer does for a non-blocking connect (EINPROGRESS, then the error
      // in clusterLinkConnectHandler): the link is just freed and ping_sent
      // is left alone. Redis's synchronous-failure branch (ping_sent = now)
      // is not reachable here, and taking it would start the failure timer
      // at the first refused redial instead of at the half-timeout PING,
      // making PFAIL come NT/2 too early compared with real 7.0.15
      // (measurements in docs/redis-fidelity.md).
      MARK("bus: connect failed");
    }
    FreeLink(id, /*notify_world=*/false);
  } else if (!repl_.OnLinkClosed(id, now_ms_, out_)) {
    client_links_.erase(id);
    for (auto it = paused_commands_.begin(); it != paused_commands_.end();) {
      it = it->link == id ? paused_commands_.erase(it) : it + 1;
    }
  }
  End();
}

LinkId Node::OnAccept(sim::Time now, PortKind kind, Effects* out) {
  Begin(now, out);
  LinkId id = NewLinkId();
  if (kind == PortKind::kBus) {
    ClusterLink& link = cs_.links[id];
    link.id = id;
    link.ctime_ms = now_ms_;
    link.inbound = true;
    link.connected = true;
  } else {
    client_links_[id] = true;
  }
  End();
  return id;
}

void Node::OnReceive(sim::Time now, LinkId id, const Wire& msg, Effects* out) {
  if (InterceptInput(HeldInput::Kind::kReceive, id, &msg, now, out)) return;
  Begin(now, out);
  if (const auto* bus = std::get_if<BusMessagePtr>(&msg)) {
    if (ClusterLink* link = FindLink(id); link != nullptr) {
      ProcessBusMessage(link, *bus);
    }
  } else if (const auto* cmd = std::get_if<std::shared_ptr<const CommandFrame>>(&msg)) {
    if (client_links_.count(id) > 0) ServeClientCommand(id, **cmd);
  } else if (const auto* rf = std::get_if<std::shared_ptr<const ReplFrame>>(&msg)) {
    if ((*rf)->kind == ReplFrame::Kind::kPsync) {
      // The client becomes a replica (syncCommand).
      if (client_links_.erase(id) > 0) repl_.OnFrame(id, *rf, now_ms_, out_);
    } else {
      repl_.OnFrame(id, *rf, now_ms_, out_);
    }
  }
  End();
}

Reply Node::Command(sim::Time now, const std::vector<std::string>& argv,
                    Effects* out) {
  Begin(now, out);
  Reply r = Dispatch(argv, LinkId());
  End();
  return r;
}

// --- Links. ---

ClusterLink* Node::FindLink(LinkId id) {
  auto it = cs_.links.find(id);
  return it == cs_.links.end() ? nullptr : &it->second;
}

LinkId Node::CreateOutboundLink(ClusterNode* node) {
  LinkId id = NewLinkId();
  ClusterLink& link = cs_.links[id];
  link.id = id;
  link.ctime_ms = now_ms_;
  link.node = node;
  link.inbound = false;
  node->link = id;
  CronPushDue(node);
  out_->actions.emplace_back(Effects::Connect{id, PortKind::kBus, node->ip, node->cport});
  return id;
}

void Node::FreeLink(LinkId id, bool notify_world) {
  auto it = cs_.links.find(id);
  if (it == cs_.links.end()) return;
  ClusterNode* node = it->second.node;
  if (node != nullptr) {
    if (node->link == id) {
      node->link = LinkId();
      cron_unlinked_.emplace(node->uid, node);
    } else if (node->inbound_link == id) {
      node->inbound_link = LinkId();
    }
  }
  cs_.links.erase(it);
  if (notify_world) out_->actions.emplace_back(Effects::Close{id});
}

void Node::SetInboundLink(ClusterNode* node, ClusterLink* link) {
  CHECK(link->node == nullptr && link->inbound);
  if (node->inbound_link.valid()) {
    MARK("bus: inbound link replaced");
    FreeLink(node->inbound_link, /*notify_world=*/true);
  }
  node->inbound_link = link->id;
  link->node = node;
}

void Node::LinkConnected(ClusterLink* link) {
  link->connected = true;
  ClusterNode* node = link->node;
  const int64_t old_ping_sent = node->ping_sent_ms;
  SendPing(link, node->Has(flags::kMeet) ? MsgType::kMeet : MsgType::kPing);
  if (old_ping_sent != 0) node->ping_sent_ms = old_ping_sent;
  node->flags &= ~flags::kMeet;
}

// --- Trace. ---

void Node::Emit(EventKind kind, const ClusterNode* subject, const ClusterNode* peer,
                int64_t value, std::string detail) {
  NodeEvent e;
  e.kind = kind;
  if (subject != nullptr) e.subject = subject->name;
  if (peer != nullptr) e.peer = peer->name;
  e.value = value;
  e.detail = std::move(detail);
  out_->events.push_back(std::move(e));
}

void Node::SetFlags(ClusterNode* n, uint16_t new_flags) {
  constexpr uint16_t kHidden = flags::kMeet | flags::kMigrateTo;
  const uint16_t old_flags = n->flags;
  n->flags = new_flags;
  ++cs_.topology_version;
  if (!n->is_myself()) {
    if (n->timed_out()) cron_pfail_.emplace(n->uid, n);
    if (n->in_handshake()) cron_unlinked_.emplace(n->uid, n);
  }
  if ((old_flags & ~kHidden) != (new_flags & ~kHidden)) {
    Emit(EventKind::kFlagsChanged, n, nullptr, 0,
         absl::StrCat(FlagsToString(old_flags), " -> ", FlagsToString(new_flags)));
  }
}

void Node::SetCurrentEpoch(Epoch e) {
  if (e == cs_.current_epoch) return;
  cs_.current_epoch = e;
  Emit(EventKind::kCurrentEpoch, cs_.myself, nullptr,
       static_cast<int64_t>(e.value()), "");
}

void Node::SetConfigEpoch(ClusterNode* n, Epoch e) {
  if (e == n->config_epoch) return;
  n->config_epoch = e;
  Emit(EventKind::kConfigEpoch, n, nullptr, static_cast<int64_t>(e.value()), "");
}

void Node::TraceSlots(const ClusterNode* to, const std::vector<int>& slots) {
  if (slots.empty()) return;
  std::string detail;
  size_t i = 0;
  while (i < slots.size()) {
    size_t j = i;
    while (j + 1 < slots.size() && slots[j + 1] == slots[j] + 1) ++j;
    if (!detail.empty()) detail += ' ';
    absl::StrAppend(&detail, slots[i]);
    if (j > i) absl::StrAppend(&detail, "-", slots[j]);
    i = j + 1;
  }
  Emit(EventKind::kSlotsChanged, to, nullptr, static_cast<int64_t>(slots.size()),
       std::move(detail));
}

}  // namespace slotsim::model
