// Node: WAIT numreplicas timeout (replication.c waitCommand,
// replicationRequestAckFromSlaves, processClientsWaitingReplicas,
// replyToBlockedClientTimedOut) and the data-plane part of beforeSleep.
//
// WAIT answers at once with the number of replicas whose last REPLCONF ACK
// covers the client's last write (c->woff) when that is enough, otherwise it
// blocks the client and asks for acks: the next beforeSleep feeds
// "REPLCONF GETACK *" into the replication stream (advancing the offset, as
// in 7.0), replicas answer with REPLCONF ACK at once, and every beforeSleep
// unblocks the clients whose count is reached. The timeout (milliseconds, 0 =
// forever) is checked in every step, hence at least every 100 ms (Cron); on
// expiry the reply is the count reached so far. Commands the client sends
// while blocked wait in its pending queue.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "model/marks.h"
#include "model/node.h"

namespace slotsim::model {

std::optional<Reply> Node::WaitCommand(ClientState* c, LinkId link, uint64_t request_id,
                                       const std::vector<std::string>& argv) {
  if (repl_.has_master()) {
    return Reply::Error(
        "ERR WAIT cannot be used with replica instances. Please also note that since "
        "Redis 4.0 if a replica is configured to be writable (which is not the "
        "default) writes to replicas are just local and are not propagated.");
  }
  int64_t numreplicas = 0;
  if (!absl::SimpleAtoi(argv[1], &numreplicas)) {
    return Reply::Error("ERR value is not an integer or out of range");
  }
  int64_t timeout_ms = 0;
  if (!absl::SimpleAtoi(argv[2], &timeout_ms)) {
    return Reply::Error("ERR timeout is not an integer or out of range");
  }
  if (timeout_ms < 0) return Reply::Error("ERR timeout is negative");
  const int acks = repl_.CountAcksByOffset(c->woff);
  if (acks >= numreplicas || !link.valid()) return Reply::Integer(acks);
  MARK("wait: client blocked");
  c->blocked = true;
  c->wait_request_id = request_id;
  c->wait_replicas = static_cast<int>(numreplicas);
  c->wait_offset = c->woff;
  c->wait_deadline_ms = timeout_ms > 0 ? now_ms_ + timeout_ms : 0;
  ++waiting_clients_;
  get_ack_from_replicas_ = true;
  return std::nullopt;
}

void Node::DataplaneBeforeSleep() {
  if (migrate_) return;  // blocked: no event loop iteration
  MigrateCloseIdleSockets();
  repl_.Poll(now_ms_, out_);
  if (get_ack_from_replicas_) {
    get_ack_from_replicas_ = false;
    if (!WritesPaused()) repl_.FeedGetAck(out_);
  }
  if (waiting_clients_ == 0) return;
  std::vector<LinkId> unblocked;
  for (auto& [link, c] : clients_) {
    if (!c.blocked) continue;
    const int acks = repl_.CountAcksByOffset(c.wait_offset);
    const bool timed_out = c.wait_deadline_ms != 0 && now_ms_ >= c.wait_deadline_ms;
    if (acks < c.wait_replicas && !timed_out) continue;
    if (acks < c.wait_replicas) MARK("wait: timed out");
    c.blocked = false;
    --waiting_clients_;
    SendClientReply(link, c.wait_request_id, Reply::Integer(acks));
    unblocked.push_back(link);
  }
  for (LinkId link : unblocked) ProcessClientPending(link);
}

}  // namespace slotsim::model
