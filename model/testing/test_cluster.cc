#include "model/testing/test_cluster.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/check.h"

namespace slotsim::model::testing {

TestCluster::TestCluster(uint64_t seed, sim::Duration delay)
    : rng_(seed), delay_(delay) {}

TestCluster::~TestCluster() = default;

std::string TestCluster::Ip(int i) { return absl::StrCat("10.0.", i / 250, ".", i % 250 + 1); }

int TestCluster::IndexOf(const NodeName& name) const {
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].node != nullptr && slots_[i].node->name() == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

int TestCluster::AddNode(const std::function<void(NodeConfig&)>& tweak) {
  const int i = size();
  slots_.emplace_back();
  Slot& s = slots_.back();
  s.config.ip = Ip(i);
  s.config.port = 7000;
  s.config.cport = 17000;
  if (default_tweak) default_tweak(s.config);
  if (tweak) tweak(s.config);
  Effects fx;
  auto started = Node::Start(now_, s.config, rng_.Fork(absl::StrCat("node/", i, "/0")),
                             nullptr, &fx);
  CHECK(started.ok()) << started.status();
  s.node = std::move(*started);
  s.node->set_cron_full_scan_for_testing(full_scan_cron);
  Apply(i, fx);
  ScheduleCron(i, s.incarnation, now_ + sim::Duration::Millis(7 * (i % 14) + 1));
  return i;
}

Reply TestCluster::Command(int i, const std::vector<std::string>& argv) {
  CHECK(up(i));
  Effects fx;
  Reply r = node(i).Command(now_, argv, &fx);
  Apply(i, fx);
  return r;
}

void TestCluster::Inject(int i, BusMessagePtr msg) {
  Input(i, [this, msg](Node& n, Effects* fx) {
    const LinkId link = n.OnAccept(now_, PortKind::kBus, fx);
    n.OnReceive(now_, link, Wire(msg), fx);
  });
}

void TestCluster::Schedule(sim::Time at, std::function<void()> fn) {
  queue_.push(Event{at, seq_++, std::move(fn)});
}

void TestCluster::Input(int i, std::function<void(Node&, Effects*)> fn) {
  Slot& s = slots_[static_cast<size_t>(i)];
  if (s.node == nullptr) return;
  if (s.paused) {
    s.held.push_back([this, i, fn] { Input(i, fn); });
    return;
  }
  Effects fx;
  fn(*s.node, &fx);
  Apply(i, fx);
}

void TestCluster::ScheduleCron(int i, uint64_t incarnation, sim::Time at) {
  Schedule(at, [this, i, incarnation, at] {
    Slot& s = slots_[static_cast<size_t>(i)];
    if (s.incarnation != incarnation || s.node == nullptr) return;
    if (!s.paused) {
      Input(i, [this](Node& n, Effects* fx) { n.Cron(now_, fx); });
    }
    ScheduleCron(i, incarnation, at + sim::Duration::Millis(100));
  });
}

int TestCluster::Resolve(const std::string& ip) const {
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].config.ip == ip) return static_cast<int>(i);
  }
  return -1;
}

bool TestCluster::Blocked(int a, int b) const { return blocked_.count({a, b}) > 0; }

void TestCluster::Apply(int i, Effects& fx) {
  Slot& s = slots_[static_cast<size_t>(i)];
  for (NodeEvent& e : fx.events) s.events.push_back(std::move(e));
  if (fx.persist) {
    s.conf = fx.persist->nodes_conf;
    s.conf_fsync = fx.persist->fsync;
  }
  const uint64_t incarnation = s.incarnation;
  for (Effects::Action& action : fx.actions) {
    if (auto* c = std::get_if<Effects::Connect>(&action)) {
      const LinkId link = c->link;
      const PortKind kind = c->port_kind;
      const int target = Resolve(c->ip);
      const bool port_ok =
          target >= 0 && (kind == PortKind::kBus
                              ? c->port == slots_[static_cast<size_t>(target)].config.cport
                              : c->port == slots_[static_cast<size_t>(target)].config.port);
      conns_[{i, link.value()}] = Conn{};
      Schedule(now_ + delay_, [this, i, link, kind, target, port_ok, incarnation] {
        if (slots_[static_cast<size_t>(i)].incarnation != incarnation) return;
        auto it = conns_.find({i, link.value()});
        if (it == conns_.end()) return;  // closed meanwhile
        if (!port_ok || !up(target) || Blocked(i, target)) {
          conns_.erase(it);
          Input(i, [this, link](Node& n, Effects* fx) { n.OnLinkClosed(now_, link, fx); });
          return;
        }
        Input(target, [this, i, link, kind, target](Node& n, Effects* fx) {
          const LinkId accepted = n.OnAccept(now_, kind, fx);
          auto src = conns_.find({i, link.value()});
          if (src == conns_.end() || !up(i)) return;
          conns_[{target, accepted.value()}] = Conn{i, link, true, {}};
          src->second.peer = target;
          src->second.peer_link = accepted;
          src->second.established = true;
          std::vector<Wire> pending;
          pending.swap(src->second.pending);
          for (Wire& w : pending) Deliver(i, link, std::move(w));
          Input(i, [this, link](Node& n2, Effects* fx2) {
            n2.OnLinkConnected(now_, link, fx2);
          });
        });
      });
    } else if (auto* snd = std::get_if<Effects::Send>(&action)) {
      auto it = conns_.find({i, snd->link.value()});
      if (it == conns_.end()) continue;
      if (!it->second.established) {
        it->second.pending.push_back(snd->payload);
      } else {
        Deliver(i, snd->link, snd->payload);
      }
    } else if (auto* cl = std::get_if<Effects::Close>(&action)) {
      auto it = conns_.find({i, cl->link.value()});
      if (it == conns_.end()) continue;
      if (it->second.established) {
        const int peer = it->second.peer;
        const LinkId peer_link = it->second.peer_link;
        Schedule(now_ + delay_, [this, i, peer, peer_link] {
          if (Blocked(i, peer)) return;  // the FIN is lost; the peer's side lingers
          auto p = conns_.find({peer, peer_link.value()});
          if (p == conns_.end()) return;
          conns_.erase(p);
          Input(peer, [this, peer_link](Node& n, Effects* fx) {
            n.OnLinkClosed(now_, peer_link, fx);
          });
        });
      }
      conns_.erase(it);
    }
  }
}

void TestCluster::Deliver(int from, LinkId from_link, Wire payload) {
  const Conn& c = conns_.at({from, from_link.value()});
  if (c.peer < 0) {  // a test client (OpenClient): collect the reply
    const int client = -1 - c.peer;
    if (const auto* r = std::get_if<std::shared_ptr<const ReplyFrame>>(&payload)) {
      const Reply reply = (*r)->reply;
      Schedule(now_ + delay_, [this, client, reply] {
        clients_[static_cast<size_t>(client)].replies.push_back(reply);
      });
    }
    return;
  }
  const int to = c.peer;
  const LinkId to_link = c.peer_link;
  const uint64_t incarnation = slots_[static_cast<size_t>(to)].incarnation;
  Schedule(now_ + delay_, [this, from, to, to_link, incarnation,
                           payload = std::move(payload)] {
    if (slots_[static_cast<size_t>(to)].incarnation != incarnation) return;
    if (conns_.count({to, to_link.value()}) == 0) return;
    if (Blocked(from, to) || !up(to)) return;
    if (on_bus_delivery) {
      if (const auto* bus = std::get_if<BusMessagePtr>(&payload)) {
        on_bus_delivery(from, to, **bus);
      }
    }
    Input(to, [this, to_link, payload](Node& n, Effects* fx) {
      n.OnReceive(now_, to_link, payload, fx);
    });
  });
}

void TestCluster::DropConnectionsOf(int i) {
  std::vector<std::pair<int, uint64_t>> mine;
  for (const auto& [key, conn] : conns_) {
    if (key.first == i) mine.push_back(key);
  }
  for (const auto& key : mine) {
    const Conn c = conns_.at(key);
    conns_.erase(key);
    if (!c.established || Blocked(i, c.peer)) continue;
    const int peer = c.peer;
    const LinkId peer_link = c.peer_link;
    Schedule(now_ + delay_, [this, peer, peer_link] {
      auto p = conns_.find({peer, peer_link.value()});
      if (p == conns_.end()) return;
      conns_.erase(p);
      Input(peer, [this, peer_link](Node& n, Effects* fx) {
        n.OnLinkClosed(now_, peer_link, fx);
      });
    });
  }
}

int TestCluster::OpenClient(int i) {
  const int c = static_cast<int>(clients_.size());
  clients_.push_back(Client{i, slots_[static_cast<size_t>(i)].incarnation, LinkId(), 1, {}});
  Schedule(now_ + delay_, [this, i, c] {
    Input(i, [this, i, c](Node& n, Effects* fx) {
      const LinkId link = n.OnAccept(now_, PortKind::kClient, fx);
      clients_[static_cast<size_t>(c)].link = link;
      conns_[{i, link.value()}] = Conn{-1 - c, LinkId(), true, {}};
    });
  });
  return c;
}

uint64_t TestCluster::ClientSend(int c, std::vector<std::string> argv) {
  Client& cl = clients_[static_cast<size_t>(c)];
  const uint64_t id = cl.next_request_id++;
  auto frame = std::make_shared<const CommandFrame>(CommandFrame{id, std::move(argv)});
  Schedule(now_ + delay_, [this, c, frame] {
    const Client& cl2 = clients_[static_cast<size_t>(c)];
    const int i = cl2.node;
    if (slots_[static_cast<size_t>(i)].incarnation != cl2.incarnation) return;
    if (conns_.count({i, cl2.link.value()}) == 0) return;
    const LinkId link = cl2.link;
    Input(i, [this, link, frame](Node& n, Effects* fx) {
      n.OnReceive(now_, link, Wire(frame), fx);
    });
  });
  return id;
}

bool TestCluster::WaitReplies(int c, size_t n, sim::Duration limit) {
  return RunUntil([&] { return ClientReplies(c).size() >= n; }, limit);
}

void TestCluster::Crash(int i) {
  Slot& s = slots_[static_cast<size_t>(i)];
  s.node.reset();
  s.paused = false;
  s.held.clear();
  ++s.incarnation;
  DropConnectionsOf(i);
}

void TestCluster::Restart(int i) {
  Slot& s = slots_[static_cast<size_t>(i)];
  CHECK(s.node == nullptr);
  Effects fx;
  auto started = Node::Start(now_, s.config,
                             rng_.Fork(absl::StrCat("node/", i, "/", s.incarnation)),
                             &s.conf, &fx);
  CHECK(started.ok()) << started.status();
  s.node = std::move(*started);
  s.node->set_cron_full_scan_for_testing(full_scan_cron);
  Apply(i, fx);
  ScheduleCron(i, s.incarnation, now_ + sim::Duration::Millis(1));
}

void TestCluster::Wipe(int i) {
  slots_[static_cast<size_t>(i)].conf.clear();
  slots_[static_cast<size_t>(i)].conf_fsync = false;
}

std::shared_ptr<BusMessage> TestCluster::HeaderAs(int j, MsgType type) {
  const Node& n = node(j);
  const ClusterState& cs = n.cluster();
  const ClusterNode* me = cs.myself;
  const ClusterNode* master =
      (me->is_replica() && me->replica_of != nullptr) ? me->replica_of : me;
  auto m = std::make_shared<BusMessage>();
  m->type = type;
  m->sender = me->name;
  m->myip = n.config().ip;
  m->port = static_cast<uint16_t>(n.config().port);
  m->cport = static_cast<uint16_t>(n.config().cport);
  m->myslots = cs.SlotsOf(master);
  if (me->replica_of != nullptr) m->slaveof = me->replica_of->name;
  m->flags = me->flags;
  m->current_epoch = cs.current_epoch;
  m->config_epoch = master->config_epoch;
  m->offset = static_cast<uint64_t>(n.announced_offset());
  return m;
}

void TestCluster::Pause(int i) { slots_[static_cast<size_t>(i)].paused = true; }

void TestCluster::Resume(int i) {
  Slot& s = slots_[static_cast<size_t>(i)];
  s.paused = false;
  std::deque<std::function<void()>> held;
  held.swap(s.held);
  for (auto& fn : held) fn();
}

void TestCluster::Partition(const std::vector<int>& a, const std::vector<int>& b) {
  for (int x : a) {
    for (int y : b) {
      blocked_.insert({x, y});
      blocked_.insert({y, x});
    }
  }
}

void TestCluster::HealAll() { blocked_.clear(); }

bool TestCluster::Step() {
  if (queue_.empty()) return false;
  Event e = queue_.top();
  queue_.pop();
  now_ = e.at;
  e.fn();
  return true;
}

void TestCluster::RunFor(sim::Duration d) {
  const sim::Time end = now_ + d;
  while (!queue_.empty() && queue_.top().at <= end) Step();
  now_ = end;
}

bool TestCluster::RunUntil(const std::function<bool()>& pred, sim::Duration limit,
                           sim::Duration check_every) {
  const sim::Time end = now_ + limit;
  if (pred()) return true;
  sim::Time next_check = now_ + check_every;
  while (!queue_.empty() && queue_.top().at <= end) {
    Step();
    if (now_ >= next_check) {
      if (pred()) return true;
      next_check = now_ + check_every;
    }
  }
  now_ = end;
  return pred();
}

bool TestCluster::Converged() {
  // Slot map of the first up node as (first slot, owner name) runs.
  std::vector<std::pair<int, const NodeName*>> ref;
  bool have_ref = false;
  for (int i = 0; i < size(); ++i) {
    if (!up(i)) continue;
    const ClusterState& cs = node(i).cluster();
    if (cs.state != ClusterHealth::kOk) return false;
    for (int j = 0; j < size(); ++j) {
      if (!up(j) || j == i) continue;
      const ClusterNode* n = cs.Find(node(j).name());
      if (n == nullptr || n->in_handshake()) return false;
    }
    std::vector<std::pair<int, const NodeName*>> runs;
    const ClusterNode* prev = nullptr;
    for (int s = 0; s < kClusterSlots; ++s) {
      const ClusterNode* owner = cs.slots[static_cast<size_t>(s)];
      if (s == 0 || owner != prev) runs.emplace_back(s, owner ? &owner->name : nullptr);
      prev = owner;
    }
    if (!have_ref) {
      ref = std::move(runs);
      have_ref = true;
      continue;
    }
    if (runs.size() != ref.size()) return false;
    for (size_t k = 0; k < runs.size(); ++k) {
      if (runs[k].first != ref[k].first) return false;
      const NodeName* a = runs[k].second;
      const NodeName* b = ref[k].second;
      if ((a == nullptr) != (b == nullptr)) return false;
      if (a != nullptr && *a != *b) return false;
    }
  }
  return true;
}

bool TestCluster::Create(int masters, int replicas_per_master, sim::Duration limit) {
  const int total = masters * (1 + replicas_per_master);
  while (size() < total) AddNode();
  // Slot split as clusterManagerCommandCreate computes it.
  const float spn = 16384 / static_cast<float>(masters);
  int first = 0;
  float cursor = 0.0f;
  for (int m = 0; m < masters; ++m) {
    int last = static_cast<int>(std::lround(cursor + spn - 1));
    if (last > 16383 || m == masters - 1) last = 16383;
    if (last < first) last = first;
    Reply r = Command(m, {"CLUSTER", "ADDSLOTSRANGE", std::to_string(first),
                          std::to_string(last)});
    CHECK(!r.is_error()) << r.str();
    first = last + 1;
    cursor += spn;
  }
  for (int k = 0; k < total; ++k) {
    Reply r = Command(k, {"CLUSTER", "SET-CONFIG-EPOCH", std::to_string(k + 1)});
    CHECK(!r.is_error()) << r.str();
  }
  for (int k = 1; k < total; ++k) {
    Reply r = Command(k, {"CLUSTER", "MEET", Ip(0), "7000"});
    CHECK(!r.is_error()) << r.str();
  }
  auto all_known = [&] {
    for (int i = 0; i < total; ++i) {
      const ClusterState& cs = node(i).cluster();
      int known = 0;
      for (const auto& n : cs.nodes) known += !n->in_handshake();
      if (known != total) return false;
    }
    return true;
  };
  if (!RunUntil(all_known, limit, create_check_every)) return false;
  for (int m = 0; m < masters; ++m) {
    for (int r = 0; r < replicas_per_master; ++r) {
      const int k = masters + m * replicas_per_master + r;
      Reply rep = Command(k, {"CLUSTER", "REPLICATE", node(m).name().str()});
      CHECK(!rep.is_error()) << rep.str();
    }
  }
  auto done = [&] {
    if (!Converged()) return false;
    for (int m = 0; m < masters; ++m) {
      for (int r = 0; r < replicas_per_master; ++r) {
        const int k = masters + m * replicas_per_master + r;
        if (!node(k).replication().link_up()) return false;
        for (int i = 0; i < total; ++i) {
          const ClusterNode* view = node(i).cluster().Find(node(k).name());
          if (view == nullptr || view->replica_of == nullptr ||
              view->replica_of->name != node(m).name()) {
            return false;
          }
        }
      }
    }
    return true;
  };
  return RunUntil(done, limit, create_check_every);
}

}  // namespace slotsim::model::testing
