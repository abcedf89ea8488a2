// World: Redis Cluster nodes (model::Node) and client actors running on the
// kernel's simulated network, with processes that crash, restart and pause.
//
// The world is the only place where the sans-IO node meets I/O. For each node
// it owns a kernel process with two listening endpoints, the client port and
// the cluster bus port (both belong to the node's host: partitions name nodes
// and cover both). It
//   - drives Node::Cron every cron period of simulated time (100 ms, Redis's
//     serverCron at hz 10), from a per-node phase drawn from the seed;
//   - turns the node's Effects into kernel calls: Persist -> Disk write
//     (before anything is sent, as clusterBeforeSleep saves before replies
//     reach the sockets), Connect -> Network::Connect to the endpoint at that
//     ip:port (an address nobody listens on is refused after a round trip),
//     Send -> Network::Send, Close -> Network::Close;
//   - turns network callbacks into node inputs (OnAccept, OnLinkConnected,
//     OnLinkClosed, OnReceive), always at the node's local time;
//   - on a crash drops the Node object (volatile state gone) and on restart
//     builds a new one from the nodes.conf the disk kept (Node::Start), with a
//     fresh random stream per incarnation;
//   - forwards every NodeEvent, stamped with time and node name, to listeners
//     (timelines, failover bookkeeping, traces).
//
// Actors (clients, the cluster manager) are processes with one endpoint that
// only dials out; they implement scenarios::Actor.
//
// Determinism: everything runs inside kernel events (cron ticks, deliveries,
// scheduled actions), whose tags and message digests enter the trace hash.
// Command() called from outside an event (tests, setup) is not hashed; the
// runner schedules admin actions as events.
//
// Example:
//   World w(options);               // nodes described by options.nodes
//   w.StartAllFresh();              // every node knows only itself
//   w.Command("m1", {"CLUSTER", "MEET", "127.0.0.1", "7001"});
//   w.RunFor(sim::Duration::Seconds(5));
//   w.node("m1")->cluster().nodes.size();  // 2

#ifndef SLOTSIM_SCENARIOS_WORLD_H_
#define SLOTSIM_SCENARIOS_WORLD_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/config.h"
#include "model/node.h"
#include "model/node_io.h"
#include "model/reply.h"
#include "sim/disk.h"
#include "sim/faults.h"
#include "sim/ids.h"
#include "sim/link_model.h"
#include "sim/network.h"
#include "sim/rng.h"
#include "sim/simulator.h"
#include "sim/time.h"

namespace slotsim::scenarios {

using WireNetwork = sim::Network<model::Wire>;

struct NodeSpec {
  std::string name;   // m1, r1, s1, ...
  model::NodeConfig config;  // includes ip, port, cport
};

struct WorldOptions {
  uint64_t seed = 1;
  std::vector<NodeSpec> nodes;
  sim::NetworkOptions network;
  sim::Duration cron_period = sim::Duration::Millis(100);
  // A connect to an address nobody listens on fails after this long.
  sim::Duration refused_delay = sim::Duration::Micros(200);
};

// A node event with when and where it happened.
struct WorldEvent {
  sim::Time at;           // simulated time
  std::string node;       // the node that emitted it
  model::NodeEvent event;
};

// Process-level happenings the world applies (for timelines and traces).
struct FaultEvent {
  sim::Time at;
  std::string kind;                 // "crash", "restart", "pause", "partition", ...
  std::vector<std::string> nodes;   // the nodes involved
  std::string detail;
};

class World;

// The world's side of an actor: what an actor may do. Every call acts at the
// current simulated time, inside the actor's process.
class ActorContext {
 public:
  virtual ~ActorContext() = default;
  virtual sim::Time Now() const = 0;
  // Connects to the node listening on ip:port (client or bus port). Returns an
  // invalid ConnId, and no callback follows, if nobody listens there.
  virtual sim::ConnId Connect(const std::string& ip, int port) = 0;
  virtual bool Send(sim::ConnId conn, model::Wire payload) = 0;
  virtual void Close(sim::ConnId conn) = 0;
  // Runs `fn` after `delay` in the actor's process (dropped if it crashes).
  virtual sim::TimerId After(sim::Duration delay, std::function<void()> fn) = 0;
  virtual bool Cancel(sim::TimerId timer) = 0;
  virtual sim::Rng& rng() = 0;
  virtual World& world() = 0;
};

class Actor {
 public:
  virtual ~Actor() = default;
  virtual void OnStart(ActorContext& ctx) = 0;
  virtual void OnConnected(ActorContext& ctx, sim::ConnId conn) = 0;
  virtual void OnConnectFailed(ActorContext& ctx, sim::ConnId conn) = 0;
  virtual void OnClosed(ActorContext& ctx, sim::ConnId conn) = 0;
  virtual void OnMessage(ActorContext& ctx, sim::ConnId conn, model::Wire&& msg) = 0;
};

class World : private sim::NetworkHandler<model::Wire> {
 public:
  explicit World(WorldOptions options);
  ~World() override;
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // --- Starting nodes ---------------------------------------------------------

  // First start of every node that has not started yet: no nodes.conf, each
  // knows only itself.
  void StartAllFresh();
  // Starts node `name` from the given nodes.conf text (written to its disk
  // first, synced), as if it had run before. REQUIRES: not started.
  absl::Status StartFromConfig(std::string_view name, const std::string& nodes_conf);
  // Starts a node with no config. REQUIRES: not started.
  void StartFresh(std::string_view name);

  // --- Actors -----------------------------------------------------------------

  // Adds an actor process named `name` on host `ip` and starts it now.
  void AddActor(std::string name, std::string ip, std::unique_ptr<Actor> actor);
  Actor* actor(std::string_view name) const;

  // --- Processes --------------------------------------------------------------

  bool Crash(std::string_view name, sim::CrashKind kind = sim::CrashKind::kProcess);
  bool Restart(std::string_view name);
  bool Pause(std::string_view name);
  bool Resume(std::string_view name);
  void JumpClock(std::string_view name, sim::Duration delta);
  bool IsUp(std::string_view name) const;    // started, and running or paused
  bool IsStarted(std::string_view name) const;
  // Loses the node's disk (nodes.conf): its next start is a first start.
  void WipeDisk(std::string_view name);
  bool IsPaused(std::string_view name) const;

  // --- Network faults (by node or actor name) -----------------------------------

  // Every pair of groups is cut in both directions. Names not in any group
  // are unaffected. Returns the kernel faults (heal them together).
  std::vector<sim::FaultId> Partition(const std::vector<std::vector<std::string>>& groups,
                                      sim::FaultMode mode);
  sim::FaultId BlockOneWay(const std::vector<std::string>& from,
                           const std::vector<std::string>& to, sim::FaultMode mode);
  std::vector<sim::FaultId> Clog(const std::vector<std::string>& names,
                                 sim::Duration duration);
  sim::FaultId ExtraDelay(const std::vector<std::string>& from,
                          const std::vector<std::string>& to, sim::Duration extra,
                          bool symmetric);
  bool Heal(sim::FaultId id);
  void HealAll();
  // Endpoints of a node (both ports) or actor, for kernel-level faults.
  std::vector<sim::EndpointId> EndpointsOf(std::string_view name) const;

  // --- Admin ------------------------------------------------------------------

  // Runs a command on node `name` now, in-process (redis-cli on localhost).
  // A crashed node answers with an error reply.
  model::Reply Command(std::string_view name, const std::vector<std::string>& argv);

  // --- Running ------------------------------------------------------------------

  sim::Time now() const { return sim_.now(); }
  void RunFor(sim::Duration d) { sim_.RunFor(d); }
  void RunUntil(sim::Time t) { sim_.RunUntil(t); }
  bool RunUntil(const std::function<bool()>& pred, sim::Time deadline) {
    return sim_.RunUntil(pred, deadline);
  }

  // --- Views (god's eye) ---------------------------------------------------------

  // The running node, or null if crashed / not started.
  const model::Node* node(std::string_view name) const;
  const std::vector<std::string>& node_names() const { return names_; }
  // The spec the node was created with.
  const NodeSpec& spec(std::string_view name) const;
  // Tells the world which node will carry `id` (before it starts), so events
  // about it name it from the first one.
  void RegisterId(const model::NodeName& id, std::string name) {
    id_to_name_[id] = std::move(name);
  }
  // The id node `name` had when last running (empty if it never ran), as its
  // peers still know it while it is down.
  model::NodeName LastIdOf(std::string_view name) const;
  // The name of the node whose 40-char id is `id` (any incarnation), or "".
  std::string NameOfId(const model::NodeName& id) const;
  // Node name serving `ip:port` (client port), or "".
  std::string NameAtAddress(const std::string& ip, int port) const;
  // Last nodes.conf on the node's disk.
  std::optional<std::string> PersistedConfig(std::string_view name) const;

  sim::Simulator& simulator() { return sim_; }
  const sim::Simulator& simulator() const { return sim_; }
  WireNetwork& network() { return *net_; }
  const WireNetwork& network() const { return *net_; }
  sim::Disk& disk() { return *disk_; }
  uint64_t trace_hash() const { return sim_.trace_hash(); }

  // The index (in node_names()) of the node whose state changed since the
  // last call, -1 if none did, -2 if several did; resets to -1.
  int TakeTouched() {
    const int t = touched_;
    touched_ = -1;
    return t;
  }

  // --- Listeners ------------------------------------------------------------------

  void AddEventListener(std::function<void(const WorldEvent&)> fn) {
    event_listeners_.push_back(std::move(fn));
  }
  void AddFaultListener(std::function<void(const FaultEvent&)> fn) {
    fault_listeners_.push_back(std::move(fn));
  }
  // Reports a fault applied from outside (the runner's admin actions).
  void NoteFault(FaultEvent e);

 private:
  struct NodeProc;
  struct ActorProc;
  class ActorCtx;

  // NetworkHandler.
  void OnAccept(sim::ConnId conn, sim::EndpointId self, sim::EndpointId peer) override;
  void OnConnected(sim::ConnId conn, sim::EndpointId self) override;
  void OnConnectFailed(sim::ConnId conn, sim::EndpointId self) override;
  void OnMessage(sim::ConnId conn, sim::EndpointId self, sim::EndpointId from,
                 model::Wire&& message) override;
  void OnClosed(sim::ConnId conn, sim::EndpointId self) override;

  NodeProc& proc(std::string_view name);
  const NodeProc* find_proc(std::string_view name) const;
  void StartNode(NodeProc& p, const std::string* conf);
  void ScheduleCron(NodeProc& p, sim::Time at);
  void OnCron(NodeProc& p);
  void Apply(NodeProc& p);  // routes p.fx
  void LinkGone(NodeProc& p, sim::ConnId conn, sim::EndpointId self);
  void OnProcessEvent(const sim::ProcessEvent& e);
  void EmitFault(std::string kind, std::vector<std::string> nodes, std::string detail);
  std::vector<sim::EndpointId> Endpoints(const std::vector<std::string>& names) const;

  WorldOptions options_;
  sim::Rng rng_;
  sim::Simulator sim_;
  std::unique_ptr<WireNetwork> net_;
  std::unique_ptr<sim::Disk> disk_;

  std::vector<std::unique_ptr<NodeProc>> nodes_;  // in options order
  std::vector<std::string> names_;
  std::map<std::string, NodeProc*, std::less<>> by_name_;
  // (ip, port) -> endpoint, for client and bus ports.
  std::map<std::pair<std::string, int>, sim::EndpointId> address_book_;
  // endpoint -> owner: index into nodes_ (>= 0) or -(actor index + 1).
  std::vector<int> endpoint_owner_;
  std::map<uint32_t, int> process_owner_;  // ProcessId value -> same encoding
  std::vector<std::unique_ptr<ActorProc>> actors_;
  std::map<std::string, ActorProc*, std::less<>> actors_by_name_;
  std::map<model::NodeName, std::string> id_to_name_;
  int touched_ = -1;

  std::vector<std::function<void(const WorldEvent&)>> event_listeners_;
  std::vector<std::function<void(const FaultEvent&)>> fault_listeners_;
};

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_WORLD_H_
