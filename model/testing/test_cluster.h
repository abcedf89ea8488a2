// TestCluster: a small in-memory router for driving model::Node instances in
// unit tests, without the sim kernel (//model cannot see it).
//
// Every node i has the address 10.0.0.(i+1), client port 7000 and bus port
// 17000. Connects, sends and closes are delivered after a fixed delay, FIFO
// per connection; a message queued on a link before its connect completes is
// sent once it connects and dropped if it fails. Each node gets Cron every
// 100 ms of simulated time (phase i * 7 ms). Faults: crash (peers see their
// links close), restart from the last persisted nodes.conf, pause / resume
// (inputs held until resume), and symmetric partitions (packets dropped,
// connects fail).
//
// Deterministic: one event queue ordered by (time, sequence), node streams
// forked from the seed by node index.

#ifndef SLOTSIM_MODEL_TESTING_TEST_CLUSTER_H_
#define SLOTSIM_MODEL_TESTING_TEST_CLUSTER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/config.h"
#include "model/node.h"
#include "model/node_io.h"
#include "model/reply.h"
#include "sim/rng.h"
#include "sim/time.h"

namespace slotsim::model::testing {

class TestCluster {
 public:
  explicit TestCluster(uint64_t seed = 1,
                       sim::Duration delay = sim::Duration::Millis(1));
  ~TestCluster();

  // Nodes started from now on use clusterCron's full scan (the reference
  // for the cron indexes).
  bool full_scan_cron = false;

  // Applied to every node's config before AddNode's own tweak.
  std::function<void(NodeConfig&)> default_tweak;

  // Adds and starts node i (returned). `tweak` may adjust its config.
  int AddNode(const std::function<void(NodeConfig&)>& tweak = nullptr);
  int size() const { return static_cast<int>(slots_.size()); }
  Node& node(int i) { return *slots_[static_cast<size_t>(i)].node; }
  bool up(int i) const { return slots_[static_cast<size_t>(i)].node != nullptr; }
  sim::Time now() const { return now_; }
  static std::string Ip(int i);
  // The index of the node with this name, or -1.
  int IndexOf(const NodeName& name) const;

  // Runs the admin command on node i now (the node must be up).
  Reply Command(int i, const std::vector<std::string>& argv);

  // Delivers `msg` to node i on a fresh inbound bus link, as if a peer had
  // just connected and sent it. Replies on that link are dropped.
  void Inject(int i, BusMessagePtr msg);

  // A header as node j would build it now (clusterBuildMessageHdr), for
  // crafting packets to Inject.
  std::shared_ptr<BusMessage> HeaderAs(int j, MsgType type);

  // Advances simulated time.
  void RunFor(sim::Duration d);
  // Runs until pred() holds or `limit` passes; returns whether it holds.
  // pred() is checked after every event, or, with a non-zero `check_every`,
  // whenever that much simulated time has passed since the last check.
  bool RunUntil(const std::function<bool()>& pred, sim::Duration limit,
                sim::Duration check_every = sim::Duration::Zero());

  // Data clients on node i's client port (a connection accepted after one
  // delay; commands and replies travel with the usual delay, FIFO). Replies
  // are collected in order; a client whose node crashed or closed the link
  // gets no more replies.
  int OpenClient(int i);
  // Sends argv on client c; returns the request id.
  uint64_t ClientSend(int c, std::vector<std::string> argv);
  const std::vector<Reply>& ClientReplies(int c) const {
    return clients_[static_cast<size_t>(c)].replies;
  }
  // Runs until client c has `n` replies or `limit` passes.
  bool WaitReplies(int c, size_t n, sim::Duration limit = sim::Duration::Seconds(5));

  // Faults.
  void Crash(int i);
  void Restart(int i);
  // Forgets node i's persisted nodes.conf: the next Restart is a first start
  // (a new node at the same address).
  void Wipe(int i);
  void Pause(int i);
  void Resume(int i);
  // Blocks traffic between every node of `a` and every node of `b`.
  void Partition(const std::vector<int>& a, const std::vector<int>& b);
  void HealAll();

  // The last nodes.conf node i persisted, and whether it was fsynced.
  const std::string& persisted(int i) const { return slots_[static_cast<size_t>(i)].conf; }
  bool persisted_fsync(int i) const { return slots_[static_cast<size_t>(i)].conf_fsync; }

  // Every trace event node i emitted, in order.
  const std::vector<NodeEvent>& events(int i) const {
    return slots_[static_cast<size_t>(i)].events;
  }
  // Called for every bus packet delivered (from, to, message).
  std::function<void(int, int, const BusMessage&)> on_bus_delivery;

  // Cluster set-up like redis-cli --cluster create: node k (k < masters)
  // serves an equal share of the slots, every node gets SET-CONFIG-EPOCH k+1,
  // all MEET node 0, then replica r of master m (index masters + m *
  // replicas_per_master + r) replicates m. Returns whether every node then
  // agrees on the slot map and reports cluster_state ok within `limit`.
  bool Create(int masters, int replicas_per_master,
              sim::Duration limit = sim::Duration::Seconds(30));
  // How often Create checks for convergence (the check is O(nodes^2)).
  sim::Duration create_check_every = sim::Duration::Millis(200);
  // Every up node sees every other up node (not in handshake) and the same
  // slot owners, and state ok.
  bool Converged();

 private:
  struct Slot {
    NodeConfig config;
    std::unique_ptr<Node> node;  // null while crashed
    std::string conf;
    bool conf_fsync = false;
    bool paused = false;
    std::deque<std::function<void()>> held;  // inputs while paused
    std::vector<NodeEvent> events;
    uint64_t incarnation = 0;
  };
  struct Conn {
    int peer = -1;
    LinkId peer_link;
    bool established = false;
    std::vector<Wire> pending;
  };
  struct Event {
    sim::Time at;
    uint64_t seq;
    std::function<void()> fn;
    bool operator>(const Event& o) const {
      return at != o.at ? at > o.at : seq > o.seq;
    }
  };

  void Schedule(sim::Time at, std::function<void()> fn);
  // Runs fn against node i now, or holds it while the node is paused.
  void Input(int i, std::function<void(Node&, Effects*)> fn);
  void Apply(int i, Effects& fx);
  void ScheduleCron(int i, uint64_t incarnation, sim::Time at);
  int Resolve(const std::string& ip) const;
  bool Blocked(int a, int b) const;
  void Deliver(int from, LinkId from_link, Wire payload);
  void DropConnectionsOf(int i);
  bool Step();

  struct Client {
    int node = -1;
    uint64_t incarnation = 0;
    LinkId link;
    uint64_t next_request_id = 1;
    std::vector<Reply> replies;
  };
  std::vector<Client> clients_;

  sim::Rng rng_;
  sim::Duration delay_;
  sim::Time now_;
  uint64_t seq_ = 0;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> queue_;
  std::vector<Slot> slots_;
  std::map<std::pair<int, uint64_t>, Conn> conns_;  // (node, link id)
  std::set<std::pair<int, int>> blocked_;
};

}  // namespace slotsim::model::testing

#endif  // SLOTSIM_MODEL_TESTING_TEST_CLUSTER_H_
