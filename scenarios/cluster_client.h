// ClusterClient: a cluster-aware Redis client running inside an actor, as the
// common Redis Cluster clients behave (redis-py's RedisCluster, Jedis's
// JedisCluster, go-redis's ClusterClient).
//
// Slot map: filled from CLUSTER SLOTS, asked of a seed node at Start and of a
// known node whenever a full refresh is due. A refresh replaces the whole map
// (slots the answer does not list become unknown); at most one is in flight
// (a request made meanwhile runs once more after it). An endpoint given as
// "" / nil / "?" means "the node that answered" (unknown-endpoint).
//
// Execute(argv, key) sends a keyed command to the slot's owner in the map (a
// random known node, else a seed, if the slot is unknown) and handles answers:
//   MOVED s ip:port  set slot s to ip:port, request a full refresh, and resend
//                    there at once (a redirect);
//   ASK s ip:port    send ASKING then the command to ip:port, once, without
//                    touching the map (a redirect);
//   TRYAGAIN         wait a backoff and resend (a retry);
//   CLUSTERDOWN ...  request a refresh, wait a backoff and resend (a retry);
//   no reply         (timeout: the connection is closed and reopened on the
//                    next use; reset; refused) request a refresh, wait a
//                    backoff and resend (a retry);
//   anything else    final (a success, or a final error such as CROSSSLOT).
// More than max_redirects redirects or max_retries retries ends the request
// with the last error. Backoff before retry n (1-based): a draw from ctx.rng()
// in [d/2, d] with d = min(retry_backoff * 2^(n-1), max_backoff) (go-redis's
// jittered exponential backoff).
//
// Outcome (ClientOp::Outcome): kOk for any non-error final reply; kError for a
// final error reply or a refused connection, provided no earlier attempt went
// unanswered; kTimeout when the request ended without an answer, or with an
// error after an attempt that went unanswered (that attempt may have run, so
// a write's fate is unknown; `error` still carries the last error text).
//
// Determinism: ordered containers; all randomness from ctx.rng().

#ifndef SLOTSIM_SCENARIOS_CLUSTER_CLIENT_H_
#define SLOTSIM_SCENARIOS_CLUSTER_CLIENT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/reply.h"
#include "scenarios/command_links.h"
#include "scenarios/history.h"
#include "scenarios/world.h"
#include "sim/time.h"

namespace slotsim::scenarios {

struct ClusterClientOptions {
  std::vector<NodeAddress> seeds;
  sim::Duration request_timeout = sim::Duration::Millis(1000);
  int max_redirects = 5;
  int max_retries = 3;
  sim::Duration retry_backoff = sim::Duration::Millis(50);
  sim::Duration max_backoff = sim::Duration::Millis(1000);
  // Start: when no seed answers CLUSTER SLOTS, try again after this long.
  sim::Duration initial_load_retry = sim::Duration::Millis(500);
};

// The end of one Execute.
struct ClusterReply {
  ClientOp::Outcome outcome = ClientOp::Outcome::kPending;
  model::Reply reply = model::Reply::Nil();  // the final reply, if there was one
  std::string error;                         // error text when not kOk
  NodeAddress node;                          // the node of the last attempt
  int redirects = 0;
  int retries = 0;
  int asks = 0;  // of `redirects`, the ASK ones (the rest were MOVED)
};

// "MOVED 3999 127.0.0.1:6381" / "ASK ..." parsed. Nullopt if `error` is not a
// redirection. An empty host ("MOVED 1 :7000") is kept empty.
struct Redirection {
  bool ask = false;
  int slot = 0;
  NodeAddress target;
};
std::optional<Redirection> ParseRedirection(std::string_view error);

// One CLUSTER SLOTS answer as slot -> master address. `answered_by` replaces
// unknown endpoints. Nullopt if the reply is not a well-formed slot list.
std::optional<std::map<std::pair<int, int>, NodeAddress>> ParseClusterSlots(
    const model::Reply& reply, const NodeAddress& answered_by);

class ClusterClient {
 public:
  using Done = std::function<void(ClusterReply)>;

  ClusterClient(std::string name, ClusterClientOptions options);
  ClusterClient(const ClusterClient&) = delete;
  ClusterClient& operator=(const ClusterClient&) = delete;

  const std::string& name() const { return name_; }
  const ClusterClientOptions& options() const { return options_; }

  // Loads the slot map (CLUSTER SLOTS from the seeds, in order, until one
  // answers; retried every initial_load_retry).
  void Start(ActorContext& ctx);

  // Runs a command whose key is argv[key_index] (see the file comment).
  void Execute(ActorContext& ctx, std::vector<std::string> argv, int key_index,
               Done done);

  // Sends a command to one node, no redirection handling (WAIT after a write).
  void SendTo(ActorContext& ctx, const NodeAddress& node, std::vector<std::string> argv,
              sim::Duration timeout, CommandLinks::Done done);

  // The actor's network callbacks; false if the connection is not ours.
  bool OnConnected(ActorContext& ctx, sim::ConnId conn) {
    return links_.OnConnected(ctx, conn);
  }
  bool OnConnectFailed(ActorContext& ctx, sim::ConnId conn) {
    return links_.OnConnectFailed(ctx, conn);
  }
  bool OnClosed(ActorContext& ctx, sim::ConnId conn) {
    return links_.OnClosed(ctx, conn);
  }
  bool OnMessage(ActorContext& ctx, sim::ConnId conn, model::Wire&& msg) {
    return links_.OnMessage(ctx, conn, std::move(msg));
  }

  // --- Views ---
  // The slot's owner in the map, if known.
  std::optional<NodeAddress> OwnerOf(int slot) const;
  bool map_loaded() const { return loaded_; }
  int64_t refreshes_done() const { return refreshes_done_; }
  int64_t refreshes_requested() const { return refreshes_requested_; }
  const CommandLinks& links() const { return links_; }

 private:
  struct Op;

  void RequestRefresh(ActorContext& ctx);
  void RunRefresh(ActorContext& ctx);
  void TryRefresh(ActorContext& ctx, std::vector<NodeAddress> candidates, size_t next);
  void ApplySlots(const std::map<std::pair<int, int>, NodeAddress>& ranges);
  int NodeIndex(const NodeAddress& a);
  NodeAddress PickAnyNode(ActorContext& ctx);

  void Attempt(ActorContext& ctx, std::shared_ptr<Op> op);
  void OnAnswer(ActorContext& ctx, std::shared_ptr<Op> op, const NodeAddress& target,
                CallResult r);
  void Retry(ActorContext& ctx, std::shared_ptr<Op> op);
  void Finish(std::shared_ptr<Op> op, ClientOp::Outcome outcome, std::string error,
              model::Reply reply);
  sim::Duration Backoff(ActorContext& ctx, int retry) const;

  std::string name_;
  ClusterClientOptions options_;
  CommandLinks links_;

  // Slot map: slot -> index into nodes_, or -1.
  std::vector<int> slot_node_;
  std::vector<NodeAddress> nodes_;
  std::map<NodeAddress, int> node_index_;
  bool loaded_ = false;

  bool refresh_running_ = false;
  bool refresh_again_ = false;
  int64_t refreshes_done_ = 0;
  int64_t refreshes_requested_ = 0;
};

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_CLUSTER_CLIENT_H_
