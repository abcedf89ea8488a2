// CommandLinks: an actor's client connections to Redis nodes, one per
// address, carrying commands (CommandFrame) and matching their replies
// (ReplyFrame) by request id, with a deadline per request.
//
// Both actors that talk to nodes use it: the cluster-aware client
// (cluster_client.h) and the cluster manager (cluster_manager.h). It plays the
// part of hiredis: a command is written at once (before the connection is
// established, the network buffers it), replies arrive in order on each
// connection.
//
// Contract of Call: `done` runs exactly once, never from inside Call itself
// (failures found at once are reported from a zero-delay timer), with
//   kReply    the node's reply;
//   kTimeout  no reply within `timeout`: the connection is then closed, and its
//             other requests fail with kClosed (a timed-out connection is in an
//             unknown state: a late reply must not be taken for a later
//             request's);
//   kClosed   the connection was closed or reset before the reply arrived (the
//             command may or may not have run);
//   kRefused  the connection could not be established (nobody listens at the
//             address, or the connect was reset): the command never ran.
// The next Call to the same address opens a new connection.
//
// Determinism: ordered maps keyed by address and connection id; request ids
// count up from 1 per CommandLinks.

#ifndef SLOTSIM_SCENARIOS_COMMAND_LINKS_H_
#define SLOTSIM_SCENARIOS_COMMAND_LINKS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/reply.h"
#include "scenarios/world.h"
#include "sim/ids.h"
#include "sim/time.h"

namespace slotsim::scenarios {

// A node's client address.
struct NodeAddress {
  std::string ip;
  int port = 0;

  std::string ToString() const { return ip + ":" + std::to_string(port); }
  bool operator<(const NodeAddress& o) const {
    return ip != o.ip ? ip < o.ip : port < o.port;
  }
  bool operator==(const NodeAddress& o) const { return ip == o.ip && port == o.port; }
  bool operator!=(const NodeAddress& o) const { return !(*this == o); }
};

struct CallResult {
  enum class Status { kReply, kTimeout, kClosed, kRefused };
  Status status = Status::kReply;
  model::Reply reply = model::Reply::Nil();  // kReply only
  // Whether the connection had been established (kTimeout / kClosed): a
  // failure before that is a failed connect.
  bool established = false;

  bool replied() const { return status == Status::kReply; }
  // Whether the command may have run without us seeing the answer.
  bool uncertain() const {
    return status == Status::kTimeout || status == Status::kClosed;
  }
};
const char* CallStatusName(CallResult::Status s);

class CommandLinks {
 public:
  using Done = std::function<void(CallResult)>;

  CommandLinks() = default;
  CommandLinks(const CommandLinks&) = delete;
  CommandLinks& operator=(const CommandLinks&) = delete;

  // Sends `argv` to `addr` (see the file comment). A zero or negative timeout
  // means none.
  void Call(ActorContext& ctx, const NodeAddress& addr, std::vector<std::string> argv,
            sim::Duration timeout, Done done);

  // Closes the connection to `addr`, if any; its requests fail with kClosed.
  void CloseAddress(ActorContext& ctx, const NodeAddress& addr);
  // Closes every connection; all pending requests fail with kClosed.
  void CloseAll(ActorContext& ctx);

  // The actor's network callbacks. Each returns false if `conn` is not one of
  // ours (so an actor can own other connections too).
  bool OnConnected(ActorContext& ctx, sim::ConnId conn);
  bool OnConnectFailed(ActorContext& ctx, sim::ConnId conn);
  bool OnClosed(ActorContext& ctx, sim::ConnId conn);
  bool OnMessage(ActorContext& ctx, sim::ConnId conn, model::Wire&& msg);

  // Requests waiting for a reply, over all connections.
  int pending() const;
  bool connected(const NodeAddress& addr) const;
  // Connections opened so far (for tests and statistics).
  int64_t connects() const { return connects_; }

 private:
  struct Pending {
    Done done;
    sim::TimerId timer;
    bool has_timer = false;
  };
  struct Link {
    NodeAddress addr;
    bool established = false;
    std::map<uint64_t, Pending> pending;  // by request id (= send order)
  };

  // Removes the link from the maps and fails all its requests with `status`.
  void Fail(ActorContext& ctx, sim::ConnId conn, CallResult::Status status);
  void OnTimeout(ActorContext& ctx, sim::ConnId conn, uint64_t request_id);
  void FailSoon(ActorContext& ctx, CallResult::Status status, Done done);

  std::map<NodeAddress, sim::ConnId> by_addr_;
  std::map<sim::ConnId, Link> links_;
  uint64_t next_request_id_ = 1;
  int64_t connects_ = 0;
};

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_COMMAND_LINKS_H_
