#include "scenarios/world.h"

#include <utility>

#include "absl/container/flat_hash_map.h"

#include "model/wire_digest.h"
#include "sim/check.h"

namespace slotsim::scenarios {
namespace {

// Event tag kinds of the world (user kinds: top bit clear).
constexpr uint32_t kTagCron = 0x100;
constexpr uint32_t kTagRefused = 0x101;
constexpr uint32_t kTagActorTimer = 0x102;
constexpr uint32_t kTagActorStart = 0x103;

constexpr char kNodesConfKey[] = "nodes.conf";

WireNetwork::Traits WireTraits() {
  WireNetwork::Traits t;
  t.digest = [](const model::Wire& w) { return model::DigestOf(w); };
  t.size_bytes = [](const model::Wire& w) {
    return static_cast<uint32_t>(model::WireSizeOf(w));
  };
  t.kind = [](const model::Wire& w) {
    return static_cast<uint32_t>(model::WireKindCode(w));
  };
  return t;
}

}  // namespace

struct World::NodeProc {
  int index = 0;
  NodeSpec spec;
  sim::ProcessId pid;
  sim::EndpointId client_ep;
  sim::EndpointId bus_ep;
  sim::Duration cron_phase;
  bool started = false;
  std::unique_ptr<model::Node> node;
  model::Effects fx;
  // Node link id -> (kernel connection, our endpoint). A refused connect has
  // no kernel connection (invalid ConnId) until its refusal event runs.
  // lookup-only: both maps are only searched, inserted into and erased from,
  // never iterated, so their hash order cannot reach the run.
  absl::flat_hash_map<uint64_t, std::pair<sim::ConnId, sim::EndpointId>> links;
  // By (ConnId value, our endpoint value): a node that dials itself holds
  // both sides of one connection.
  absl::flat_hash_map<std::pair<uint64_t, uint32_t>, model::LinkId> conns;
  model::NodeName last_id;
};

struct World::ActorProc {
  std::string name;
  std::string ip;
  sim::ProcessId pid;
  sim::EndpointId ep;
  std::unique_ptr<Actor> actor;
  std::unique_ptr<ActorCtx> ctx;
  sim::Rng rng{0};
};

class World::ActorCtx : public ActorContext {
 public:
  ActorCtx(World& w, ActorProc& a) : w_(w), a_(a) {}
  sim::Time Now() const override { return w_.sim_.LocalNow(a_.pid); }
  sim::ConnId Connect(const std::string& ip, int port) override {
    auto it = w_.address_book_.find({ip, port});
    if (it == w_.address_book_.end()) return sim::ConnId();
    return w_.net_->Connect(a_.ep, it->second);
  }
  bool Send(sim::ConnId conn, model::Wire payload) override {
    return w_.net_->Send(conn, a_.ep, std::move(payload));
  }
  void Close(sim::ConnId conn) override { w_.net_->Close(conn, a_.ep); }
  sim::TimerId After(sim::Duration delay, std::function<void()> fn) override {
    return w_.sim_.ScheduleForAfter(a_.pid, delay,
                                    sim::EventTag{kTagActorTimer, a_.pid.value(), 0},
                                    std::move(fn));
  }
  bool Cancel(sim::TimerId timer) override { return w_.sim_.Cancel(timer); }
  sim::Rng& rng() override { return a_.rng; }
  World& world() override { return w_; }

 private:
  World& w_;
  ActorProc& a_;
};

World::World(WorldOptions options) : options_(std::move(options)), rng_(options_.seed) {
  net_ = std::make_unique<WireNetwork>(sim_, rng_.Fork("network"), WireTraits(),
                                       options_.network);
  disk_ = std::make_unique<sim::Disk>(sim_);
  for (const NodeSpec& spec : options_.nodes) {
    auto p = std::make_unique<NodeProc>();
    p->index = static_cast<int>(nodes_.size());
    p->spec = spec;
    p->pid = sim_.AddProcess(spec.name);
    p->client_ep = net_->AddEndpoint(p->pid, this);
    p->bus_ep = net_->AddEndpoint(p->pid, this);
    sim::Rng phase = rng_.Fork("cron-phase/" + spec.name);
    p->cron_phase = sim::Duration::Micros(
        static_cast<int64_t>(phase.Uniform(options_.cron_period.micros())));
    const auto& c = spec.config;
    CHECK(address_book_.emplace(std::make_pair(c.ip, c.port), p->client_ep).second)
        << "two nodes listen on " << c.ip << ":" << c.port;
    CHECK(address_book_.emplace(std::make_pair(c.ip, c.cport), p->bus_ep).second)
        << "two nodes listen on " << c.ip << ":" << c.cport;
    endpoint_owner_.resize(p->bus_ep.value() + 1, 0);
    endpoint_owner_[p->client_ep.value()] = p->index;
    endpoint_owner_[p->bus_ep.value()] = p->index;
    process_owner_[p->pid.value()] = p->index;
    CHECK(by_name_.emplace(spec.name, p.get()).second) << "duplicate " << spec.name;
    names_.push_back(spec.name);
    nodes_.push_back(std::move(p));
  }
  sim_.AddProcessListener([this](const sim::ProcessEvent& e) { OnProcessEvent(e); });
}

World::~World() = default;

// ---------------------------------------------------------------- lookup

World::NodeProc& World::proc(std::string_view name) {
  auto it = by_name_.find(name);
  CHECK(it != by_name_.end()) << "unknown node " << name;
  return *it->second;
}

const World::NodeProc* World::find_proc(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

const model::Node* World::node(std::string_view name) const {
  const NodeProc* p = find_proc(name);
  return p == nullptr ? nullptr : p->node.get();
}

const NodeSpec& World::spec(std::string_view name) const {
  const NodeProc* p = find_proc(name);
  CHECK(p != nullptr) << "unknown node " << name;
  return p->spec;
}

model::NodeName World::LastIdOf(std::string_view name) const {
  const NodeProc* p = find_proc(name);
  CHECK(p != nullptr) << "unknown node " << name;
  if (p->node != nullptr) return p->node->name();
  if (!p->last_id.empty()) return p->last_id;
  // Registered before start (formed clusters).
  for (const auto& [id, n] : id_to_name_) {
    if (n == name) return id;
  }
  return model::NodeName();
}

std::string World::NameOfId(const model::NodeName& id) const {
  auto it = id_to_name_.find(id);
  return it == id_to_name_.end() ? "" : it->second;
}

std::string World::NameAtAddress(const std::string& ip, int port) const {
  auto it = address_book_.find({ip, port});
  if (it == address_book_.end()) return "";
  int owner = endpoint_owner_[it->second.value()];
  return owner >= 0 ? nodes_[owner]->spec.name : "";
}

std::optional<std::string> World::PersistedConfig(std::string_view name) const {
  const NodeProc* p = find_proc(name);
  CHECK(p != nullptr) << "unknown node " << name;
  return disk_->Read(p->pid, kNodesConfKey);
}

Actor* World::actor(std::string_view name) const {
  auto it = actors_by_name_.find(name);
  return it == actors_by_name_.end() ? nullptr : it->second->actor.get();
}

bool World::IsUp(std::string_view name) const {
  const NodeProc* p = find_proc(name);
  if (p != nullptr) return p->started && sim_.IsAlive(p->pid);
  auto it = actors_by_name_.find(name);
  CHECK(it != actors_by_name_.end()) << "unknown process " << name;
  return sim_.IsAlive(it->second->pid);
}

bool World::IsStarted(std::string_view name) const {
  const NodeProc* p = find_proc(name);
  return p != nullptr && p->started;
}

void World::WipeDisk(std::string_view name) {
  NodeProc& p = proc(name);
  disk_->Write(p.pid, kNodesConfKey, "", /*fsync=*/true);
  EmitFault("wipe-disk", {std::string(name)}, "");
}

bool World::IsPaused(std::string_view name) const {
  const NodeProc* p = find_proc(name);
  if (p != nullptr) return sim_.state(p->pid) == sim::ProcessState::kPaused;
  auto it = actors_by_name_.find(name);
  CHECK(it != actors_by_name_.end()) << "unknown process " << name;
  return sim_.state(it->second->pid) == sim::ProcessState::kPaused;
}

// ---------------------------------------------------------------- starting

void World::StartAllFresh() {
  for (auto& p : nodes_) {
    if (!p->started) StartNode(*p, nullptr);
  }
}

void World::StartFresh(std::string_view name) {
  NodeProc& p = proc(name);
  CHECK(!p.started) << name << " already started";
  StartNode(p, nullptr);
}

absl::Status World::StartFromConfig(std::string_view name, const std::string& nodes_conf) {
  NodeProc& p = proc(name);
  CHECK(!p.started) << name << " already started";
  disk_->Write(p.pid, kNodesConfKey, nodes_conf, /*fsync=*/true);
  StartNode(p, &nodes_conf);
  if (p.node == nullptr) {
    return absl::InvalidArgumentError("node " + std::string(name) +
                                      " refused its nodes.conf");
  }
  return absl::OkStatus();
}

void World::StartNode(NodeProc& p, const std::string* conf) {
  p.started = true;
  p.links.clear();
  p.conns.clear();
  const uint32_t inc = sim_.incarnation(p.pid);
  sim::Rng rng = rng_.Fork("node/" + p.spec.name + "/" + std::to_string(inc));
  p.fx.Clear();
  auto started = model::Node::Start(sim_.LocalNow(p.pid), p.spec.config, std::move(rng),
                                    conf, &p.fx);
  if (!started.ok()) {
    // Redis exits on a corrupt nodes.conf: the process stays down.
    EmitFault("start-failed", {p.spec.name}, std::string(started.status().message()));
    p.fx.Clear();
    sim_.Crash(p.pid, sim::CrashKind::kProcess);
    return;
  }
  p.node = std::move(started).value();
  Apply(p);
  ScheduleCron(p, sim_.now() + p.cron_phase);
}

void World::ScheduleCron(NodeProc& p, sim::Time at) {
  sim_.ScheduleFor(p.pid, at, sim::EventTag{kTagCron, static_cast<uint64_t>(p.index), 0},
                   [this, &p] { OnCron(p); });
}

void World::OnCron(NodeProc& p) {
  if (p.node == nullptr) return;
  p.node->Cron(sim_.LocalNow(p.pid), &p.fx);
  Apply(p);
  ScheduleCron(p, sim_.now() + options_.cron_period);
}

// ---------------------------------------------------------------- effects

void World::Apply(NodeProc& p) {
  touched_ = (touched_ == -1 || touched_ == p.index) ? p.index : -2;
  if (p.node != nullptr && p.node->name() != p.last_id) {
    p.last_id = p.node->name();
    id_to_name_[p.last_id] = p.spec.name;
  }
  model::Effects& fx = p.fx;
  if (fx.persist.has_value()) {
    disk_->Write(p.pid, kNodesConfKey, std::move(fx.persist->nodes_conf), fx.persist->fsync);
  }
  for (model::Effects::Action& action : fx.actions) {
    if (auto* c = std::get_if<model::Effects::Connect>(&action)) {
      const sim::EndpointId mine =
          c->port_kind == model::PortKind::kBus ? p.bus_ep : p.client_ep;
      auto it = address_book_.find({c->ip, c->port});
      if (it == address_book_.end()) {
        // Nobody listens there: the connect is refused after a round trip.
        p.links[c->link.value()] = {sim::ConnId(), mine};
        const model::LinkId link = c->link;
        sim_.ScheduleForAfter(
            p.pid, options_.refused_delay,
            sim::EventTag{kTagRefused, static_cast<uint64_t>(p.index), link.value()},
            [this, &p, link] {
              auto l = p.links.find(link.value());
              if (p.node == nullptr || l == p.links.end() || l->second.first.valid()) return;
              p.links.erase(l);
              p.node->OnLinkClosed(sim_.LocalNow(p.pid), link, &p.fx);
              Apply(p);
            });
        continue;
      }
      // A node may dial its own address (CLUSTER MEET of itself, as real
      // Redis allows): the kernel wants two distinct endpoints, so such a
      // connection leaves from the node's other port.
      sim::EndpointId from = mine;
      if (it->second == mine) from = mine == p.bus_ep ? p.client_ep : p.bus_ep;
      const sim::ConnId conn = net_->Connect(from, it->second);
      p.links[c->link.value()] = {conn, from};
      p.conns[{conn.value(), from.value()}] = c->link;
    } else if (auto* s = std::get_if<model::Effects::Send>(&action)) {
      auto it = p.links.find(s->link.value());
      if (it == p.links.end() || !it->second.first.valid()) continue;
      net_->Send(it->second.first, it->second.second, std::move(s->payload));
    } else if (auto* cl = std::get_if<model::Effects::Close>(&action)) {
      auto it = p.links.find(cl->link.value());
      if (it == p.links.end()) continue;
      if (it->second.first.valid()) {
        net_->Close(it->second.first, it->second.second);
        p.conns.erase({it->second.first.value(), it->second.second.value()});
      }
      p.links.erase(it);
    }
  }
  if (!fx.events.empty()) {
    for (model::NodeEvent& e : fx.events) {
      WorldEvent we{sim_.now(), p.spec.name, std::move(e)};
      for (auto& fn : event_listeners_) fn(we);
    }
  }
  fx.Clear();
}

// ---------------------------------------------------------------- network

void World::OnAccept(sim::ConnId conn, sim::EndpointId self, sim::EndpointId peer) {
  const int owner = endpoint_owner_[self.value()];
  CHECK_GE(owner, 0) << "actors do not listen";
  NodeProc& p = *nodes_[owner];
  if (p.node == nullptr) return;
  const model::PortKind kind =
      self == p.bus_ep ? model::PortKind::kBus : model::PortKind::kClient;
  const model::LinkId link = p.node->OnAccept(sim_.LocalNow(p.pid), kind, &p.fx);
  p.links[link.value()] = {conn, self};
  p.conns[{conn.value(), self.value()}] = link;
  Apply(p);
}

void World::OnConnected(sim::ConnId conn, sim::EndpointId self) {
  const int owner = endpoint_owner_[self.value()];
  if (owner < 0) {
    ActorProc& a = *actors_[-owner - 1];
    a.actor->OnConnected(*a.ctx, conn);
    return;
  }
  NodeProc& p = *nodes_[owner];
  auto it = p.conns.find({conn.value(), self.value()});
  if (p.node == nullptr || it == p.conns.end()) return;
  p.node->OnLinkConnected(sim_.LocalNow(p.pid), it->second, &p.fx);
  Apply(p);
}

void World::OnConnectFailed(sim::ConnId conn, sim::EndpointId self) {
  const int owner = endpoint_owner_[self.value()];
  if (owner < 0) {
    ActorProc& a = *actors_[-owner - 1];
    a.actor->OnConnectFailed(*a.ctx, conn);
    return;
  }
  LinkGone(*nodes_[owner], conn, self);
}

void World::OnClosed(sim::ConnId conn, sim::EndpointId self) {
  const int owner = endpoint_owner_[self.value()];
  if (owner < 0) {
    ActorProc& a = *actors_[-owner - 1];
    a.actor->OnClosed(*a.ctx, conn);
    return;
  }
  LinkGone(*nodes_[owner], conn, self);
}

void World::LinkGone(NodeProc& p, sim::ConnId conn, sim::EndpointId self) {
  auto it = p.conns.find({conn.value(), self.value()});
  if (it == p.conns.end()) return;
  const model::LinkId link = it->second;
  p.conns.erase(it);
  p.links.erase(link.value());
  if (p.node == nullptr) return;
  p.node->OnLinkClosed(sim_.LocalNow(p.pid), link, &p.fx);
  Apply(p);
}

void World::OnMessage(sim::ConnId conn, sim::EndpointId self, sim::EndpointId from,
                      model::Wire&& message) {
  const int owner = endpoint_owner_[self.value()];
  if (owner < 0) {
    ActorProc& a = *actors_[-owner - 1];
    a.actor->OnMessage(*a.ctx, conn, std::move(message));
    return;
  }
  NodeProc& p = *nodes_[owner];
  auto it = p.conns.find({conn.value(), self.value()});
  if (p.node == nullptr || it == p.conns.end()) return;
  p.node->OnReceive(sim_.LocalNow(p.pid), it->second, message, &p.fx);
  Apply(p);
}

// ---------------------------------------------------------------- actors

void World::AddActor(std::string name, std::string ip, std::unique_ptr<Actor> actor) {
  CHECK(by_name_.find(name) == by_name_.end() &&
        actors_by_name_.find(name) == actors_by_name_.end())
      << "duplicate process name " << name;
  auto a = std::make_unique<ActorProc>();
  a->name = name;
  a->ip = std::move(ip);
  a->pid = sim_.AddProcess(name);
  a->ep = net_->AddEndpoint(a->pid, this);
  a->actor = std::move(actor);
  a->rng = rng_.Fork("actor/" + name);
  a->ctx = std::make_unique<ActorCtx>(*this, *a);
  const int code = -static_cast<int>(actors_.size()) - 1;
  if (endpoint_owner_.size() <= a->ep.value()) endpoint_owner_.resize(a->ep.value() + 1, 0);
  endpoint_owner_[a->ep.value()] = code;
  process_owner_[a->pid.value()] = code;
  ActorProc* raw = a.get();
  actors_by_name_.emplace(name, raw);
  actors_.push_back(std::move(a));
  sim_.ScheduleFor(raw->pid, sim_.now(), sim::EventTag{kTagActorStart, raw->pid.value(), 0},
                   [raw] { raw->actor->OnStart(*raw->ctx); });
}

// ---------------------------------------------------------------- processes

void World::OnProcessEvent(const sim::ProcessEvent& e) {
  auto it = process_owner_.find(e.process.value());
  if (it == process_owner_.end() || it->second < 0) return;
  NodeProc& p = *nodes_[it->second];
  switch (e.kind) {
    case sim::ProcessEvent::Kind::kCrashed:
      touched_ = (touched_ == -1 || touched_ == p.index) ? p.index : -2;
      p.node.reset();
      p.links.clear();
      p.conns.clear();
      p.fx.Clear();
      break;
    case sim::ProcessEvent::Kind::kRestarted: {
      std::optional<std::string> conf = disk_->Read(p.pid, kNodesConfKey);
      StartNode(p, conf.has_value() ? &*conf : nullptr);
      break;
    }
    default:
      break;
  }
}

bool World::Crash(std::string_view name, sim::CrashKind kind) {
  NodeProc& p = proc(name);
  if (!sim_.Crash(p.pid, kind)) return false;
  EmitFault(kind == sim::CrashKind::kPowerLoss ? "crash-power-loss" : "crash",
            {std::string(name)}, "");
  return true;
}

bool World::Restart(std::string_view name) {
  NodeProc& p = proc(name);
  if (!sim_.Restart(p.pid)) return false;
  EmitFault("restart", {std::string(name)}, "");
  return true;
}

bool World::Pause(std::string_view name) {
  NodeProc& p = proc(name);
  if (!sim_.Pause(p.pid)) return false;
  EmitFault("pause", {std::string(name)}, "");
  return true;
}

bool World::Resume(std::string_view name) {
  NodeProc& p = proc(name);
  if (!sim_.Resume(p.pid)) return false;
  EmitFault("resume", {std::string(name)}, "");
  return true;
}

void World::JumpClock(std::string_view name, sim::Duration delta) {
  NodeProc& p = proc(name);
  sim_.JumpClock(p.pid, delta);
  EmitFault("clock-jump", {std::string(name)}, delta.ToString());
}

// ---------------------------------------------------------------- faults

std::vector<sim::EndpointId> World::EndpointsOf(std::string_view name) const {
  if (const NodeProc* p = find_proc(name)) return {p->client_ep, p->bus_ep};
  auto it = actors_by_name_.find(name);
  CHECK(it != actors_by_name_.end()) << "unknown process " << name;
  return {it->second->ep};
}

std::vector<sim::EndpointId> World::Endpoints(const std::vector<std::string>& names) const {
  std::vector<sim::EndpointId> out;
  for (const std::string& n : names) {
    for (sim::EndpointId e : EndpointsOf(n)) out.push_back(e);
  }
  return out;
}

std::vector<sim::FaultId> World::Partition(
    const std::vector<std::vector<std::string>>& groups, sim::FaultMode mode) {
  std::vector<sim::FaultId> ids;
  std::vector<std::string> all;
  std::string detail;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (i > 0) detail += " | ";
    for (size_t k = 0; k < groups[i].size(); ++k) {
      if (k > 0) detail += ",";
      detail += groups[i][k];
      all.push_back(groups[i][k]);
    }
    for (size_t j = i + 1; j < groups.size(); ++j) {
      ids.push_back(net_->Partition(Endpoints(groups[i]), Endpoints(groups[j]), mode));
    }
  }
  EmitFault("partition", all, detail + " mode=" + sim::FaultModeName(mode));
  return ids;
}

sim::FaultId World::BlockOneWay(const std::vector<std::string>& from,
                                const std::vector<std::string>& to, sim::FaultMode mode) {
  std::vector<std::string> all = from;
  all.insert(all.end(), to.begin(), to.end());
  EmitFault("block", all, "mode=" + std::string(sim::FaultModeName(mode)));
  return net_->BlockOneWay(Endpoints(from), Endpoints(to), mode);
}

std::vector<sim::FaultId> World::Clog(const std::vector<std::string>& names,
                                      sim::Duration duration) {
  std::vector<sim::FaultId> ids;
  for (sim::EndpointId e : Endpoints(names)) ids.push_back(net_->ClogEndpoint(e, duration));
  EmitFault("clog", names, duration.ToString());
  return ids;
}

sim::FaultId World::ExtraDelay(const std::vector<std::string>& from,
                               const std::vector<std::string>& to, sim::Duration extra,
                               bool symmetric) {
  std::vector<std::string> all = from;
  all.insert(all.end(), to.begin(), to.end());
  EmitFault("extra-delay", all, extra.ToString());
  return net_->AddExtraDelay(Endpoints(from), Endpoints(to), extra, symmetric);
}

bool World::Heal(sim::FaultId id) { return net_->Heal(id); }

void World::HealAll() {
  net_->HealAll();
  EmitFault("heal", {}, "all");
}

// ---------------------------------------------------------------- admin

model::Reply World::Command(std::string_view name, const std::vector<std::string>& argv) {
  NodeProc& p = proc(name);
  if (p.node == nullptr) {
    return model::Reply::Error("ERR slotsim: node " + std::string(name) + " is down");
  }
  model::Reply r = p.node->Command(sim_.LocalNow(p.pid), argv, &p.fx);
  Apply(p);
  return r;
}

void World::NoteFault(FaultEvent e) {
  for (auto& fn : fault_listeners_) fn(e);
}

void World::EmitFault(std::string kind, std::vector<std::string> nodes, std::string detail) {
  NoteFault(FaultEvent{sim_.now(), std::move(kind), std::move(nodes), std::move(detail)});
}

}  // namespace slotsim::scenarios
