// Node: MIGRATE (cluster.c migrateCommand, migrateGetSocket,
// migrateCloseSocket, migrateCloseTimedoutSockets) and the blocking step it
// puts the node in (see node.h, "Blocking MIGRATE").
//
// MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw]
// [AUTH2 user pw] [KEYS key...]:
//   - no key of the request exists here: +NOKEY;
//   - otherwise a cached client-port link to host:port is reused (or opened:
//     connect failure / timeout -> "IOERR error or timeout connecting to the
//     client"), SELECT db is sent when the link's last db differs, then one
//     RESTORE-ASKING key 0 payload [REPLACE] per existing key, pipelined;
//   - the node is blocked until every reply is in. Each key whose reply is OK
//     is deleted here (unless COPY) and the deletions are propagated as one
//     DEL; an error reply gives "Target instance replied with error: <err>"
//     (the first one) and forgets the link's db; a closed link before any key
//     reply is retried once on a new link; otherwise a closed link or the
//     timeout (reset by every reply, checked on inputs and the 100 ms Cron)
//     gives "IOERR error or timeout reading to target instance" and closes
//     the cached link;
//   - AUTH/AUTH2 are accepted and ignored (the model has no ACLs).
// Cached links idle for more than 10 s (MIGRATE_SOCKET_CACHE_TTL) are closed.
//
// Invariant: migrate_ is set iff the node is blocked; held_inputs_ is empty
// whenever the node is neither blocked nor draining.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "model/marks.h"
#include "model/node.h"
#include "sim/check.h"

namespace slotsim::model {
namespace {

constexpr int64_t kMigrateSocketCacheTtlS = 10;  // MIGRATE_SOCKET_CACHE_TTL

}  // namespace

std::optional<Reply> Node::MigrateCommand(LinkId client, uint64_t request_id,
                                          const std::vector<std::string>& argv) {
  bool copy = false;
  bool replace = false;
  size_t first_key = 3;
  size_t num_keys = 1;
  for (size_t j = 6; j < argv.size(); ++j) {
    const size_t more = argv.size() - 1 - j;
    const std::string opt = absl::AsciiStrToLower(argv[j]);
    if (opt == "copy") {
      copy = true;
    } else if (opt == "replace") {
      replace = true;
    } else if (opt == "auth") {
      if (more < 1) return Reply::Error("ERR syntax error");
      ++j;
    } else if (opt == "auth2") {
      if (more < 2) return Reply::Error("ERR syntax error");
      j += 2;
    } else if (opt == "keys") {
      if (!argv[3].empty()) {
        return Reply::Error(
            "ERR When using MIGRATE KEYS option, the key argument must be set to the "
            "empty string");
      }
      first_key = j + 1;
      num_keys = argv.size() - j - 1;
      break;
    } else {
      return Reply::Error("ERR syntax error");
    }
  }
  int64_t timeout_ms = 0;
  int64_t dbid = 0;
  if (!absl::SimpleAtoi(argv[5], &timeout_ms) || !absl::SimpleAtoi(argv[4], &dbid)) {
    return Reply::Error("ERR value is not an integer or out of range");
  }
  if (timeout_ms <= 0) timeout_ms = 1000;
  MigrateOp op;
  for (size_t j = 0; j < num_keys; ++j) {
    const std::string& key = argv[first_key + j];
    if (keyspace_.Exists(key)) op.keys.push_back(key);
  }
  if (op.keys.empty()) {
    MARK("migrate: NOKEY");
    return Reply::Status("NOKEY");
  }
  int port = 0;
  if (!absl::SimpleAtoi(argv[2], &port)) port = 0;  // atoi: the connect fails
  op.client = client;
  op.request_id = request_id;
  op.host = argv[1];
  op.port = port;
  op.target = absl::StrCat(argv[1], ":", argv[2]);
  op.copy = copy;
  op.replace = replace;
  op.dbid = dbid;
  op.timeout_ms = timeout_ms;
  op.deadline_ms = now_ms_ + timeout_ms;
  migrate_ = std::move(op);
  auto it = migrate_sockets_.find(migrate_->target);
  if (it == migrate_sockets_.end()) {
    // migrateGetSocket: a blocking connect with the command's timeout.
    MigrateSocket sock;
    sock.link = NewLinkId();
    sock.last_use_s = UnixTime();
    migrate_sockets_[migrate_->target] = sock;
    out_->actions.emplace_back(
        Effects::Connect{sock.link, PortKind::kClient, migrate_->host, migrate_->port});
  } else {
    MARK("migrate: cached link reused");
    MigrateSendBatch();
  }
  return std::nullopt;
}

void Node::MigrateSendBatch() {
  MigrateOp& op = *migrate_;
  MigrateSocket& sock = migrate_sockets_.at(op.target);
  op.select_sent = sock.last_dbid != op.dbid;
  op.replies.clear();
  op.first_request_id = sock.next_request_id;
  auto send = [&](std::vector<std::string> argv) {
    auto f = std::make_shared<const CommandFrame>(
        CommandFrame{sock.next_request_id++, std::move(argv)});
    out_->actions.emplace_back(Effects::Send{sock.link, Wire(std::move(f))});
  };
  if (op.select_sent) send({"SELECT", std::to_string(op.dbid)});
  for (const std::string& key : op.keys) {
    const Value* v = keyspace_.Get(key);
    CHECK(v != nullptr) << key;  // the node is blocked: nothing changed since
    std::vector<std::string> argv = {"RESTORE-ASKING", key, "0", EncodeDumpPayload(*v)};
    if (op.replace) argv.push_back("REPLACE");
    send(std::move(argv));
  }
  sock.last_use_s = UnixTime();
  op.deadline_ms = now_ms_ + op.timeout_ms;
}

void Node::MigrateOnReply(const ReplyFrame& reply) {
  MigrateOp& op = *migrate_;
  const size_t expected = op.keys.size() + (op.select_sent ? 1 : 0);
  if (reply.request_id != op.first_request_id + op.replies.size()) return;  // stale
  op.replies.push_back(reply.reply);
  op.deadline_ms = now_ms_ + op.timeout_ms;
  if (op.replies.size() == expected) MigrateFinish(/*socket_error=*/false, false);
}

void Node::MigrateFinish(bool socket_error, bool timed_out) {
  MigrateOp& op = *migrate_;
  auto sock_it = migrate_sockets_.find(op.target);
  const bool connected = sock_it != migrate_sockets_.end() && sock_it->second.connected;
  if (!connected) {
    MARK("migrate: IOERR connecting");
    MigrateCloseSocket(op.target);
    const MigrateOp done = std::move(op);
    migrate_.reset();
    SendClientReply(done.client, done.request_id,
                    Reply::Error("IOERR error or timeout connecting to the client"));
    ProcessClientPending(done.client);
    ProcessAllClientsPending();
    return;
  }
  // Read the replies in order, as Redis does until the first missing one.
  size_t at = 0;
  bool select_error = false;
  std::string error_text;
  if (op.select_sent && !op.replies.empty()) {
    select_error = op.replies[0].is_error();
    if (select_error) error_text = op.replies[0].str();
    at = 1;
  }
  bool error_from_target = false;
  size_t key_replies = 0;
  std::vector<std::string> del = {"DEL"};
  for (size_t j = 0; j < op.keys.size() && at + j < op.replies.size(); ++j) {
    ++key_replies;
    const Reply& r = op.replies[at + j];
    if (select_error || r.is_error()) {
      if (!error_from_target) {
        error_from_target = true;
        if (!select_error) error_text = r.str();
      }
    } else if (!op.copy) {
      keyspace_.Del(op.keys[j]);
      del.push_back(op.keys[j]);
    }
  }
  if (!error_from_target && socket_error && key_replies == 0 && op.may_retry &&
      !timed_out) {
    // The cached link was closed under us: reconnect once and resend.
    MARK("migrate: retry on a new link");
    MigrateCloseSocket(op.target);
    op.may_retry = false;
    MigrateSocket sock;
    sock.link = NewLinkId();
    sock.last_use_s = UnixTime();
    migrate_sockets_[op.target] = sock;
    op.deadline_ms = now_ms_ + op.timeout_ms;
    out_->actions.emplace_back(
        Effects::Connect{sock.link, PortKind::kClient, op.host, op.port});
    return;
  }
  if (socket_error) MigrateCloseSocket(op.target);
  const int64_t offset_before = repl_.master_repl_offset();
  if (del.size() > 1) repl_.Propagate(del, out_);
  Reply reply = Reply::Ok();
  if (error_from_target) {
    MARK("migrate: target replied with error");
    if (auto s = migrate_sockets_.find(op.target); s != migrate_sockets_.end()) {
      s->second.last_dbid = -1;
    }
    reply = Reply::Error(absl::StrCat("Target instance replied with error: ", error_text));
  } else if (socket_error) {
    MARK("migrate: IOERR reading");
    reply = Reply::Error("IOERR error or timeout reading to target instance");
  } else {
    MARK("migrate: OK");
    migrate_sockets_.at(op.target).last_dbid = op.dbid;
  }
  const MigrateOp done = std::move(op);
  migrate_.reset();
  if (repl_.master_repl_offset() != offset_before) {
    auto c = clients_.find(done.client);
    if (c != clients_.end()) c->second.woff = repl_.master_repl_offset();
  }
  SendClientReply(done.client, done.request_id, std::move(reply));
  ProcessClientPending(done.client);
  ProcessAllClientsPending();
}

void Node::MigrateCloseSocket(const std::string& target) {
  auto it = migrate_sockets_.find(target);
  if (it == migrate_sockets_.end()) return;
  out_->actions.emplace_back(Effects::Close{it->second.link});
  migrate_sockets_.erase(it);
}

void Node::MigrateCloseIdleSockets() {
  for (auto it = migrate_sockets_.begin(); it != migrate_sockets_.end();) {
    if (UnixTime() - it->second.last_use_s > kMigrateSocketCacheTtlS) {
      MARK("migrate: idle cached link closed");
      out_->actions.emplace_back(Effects::Close{it->second.link});
      it = migrate_sockets_.erase(it);
    } else {
      ++it;
    }
  }
}

bool Node::IsMigrateLink(LinkId link) const {
  if (!link.valid()) return false;
  for (const auto& [target, sock] : migrate_sockets_) {
    if (sock.link == link) return true;
  }
  return false;
}

LinkId Node::CurrentMigrateLink() const {
  if (!migrate_) return LinkId();
  auto it = migrate_sockets_.find(migrate_->target);
  return it == migrate_sockets_.end() ? LinkId() : it->second.link;
}

bool Node::InterceptInput(HeldInput::Kind kind, LinkId link, const Wire* msg,
                          sim::Time now, Effects* out) {
  using Kind = HeldInput::Kind;
  const bool current = migrate_.has_value() && link.valid() && link == CurrentMigrateLink();
  if (!current && kind != Kind::kCron && IsMigrateLink(link)) {
    // An idle cached link (or one of an earlier target): a close drops it
    // from the cache, anything else is ignored.
    if (kind == Kind::kClosed) {
      for (auto it = migrate_sockets_.begin(); it != migrate_sockets_.end(); ++it) {
        if (it->second.link == link) {
          migrate_sockets_.erase(it);
          break;
        }
      }
    }
    return true;
  }
  if (!migrate_) {
    if (kind == Kind::kClosed) {
      auto it = clients_.find(link);
      if (it != clients_.end()) {
        if (it->second.blocked) --waiting_clients_;
        clients_.erase(it);
      }
    }
    return false;
  }
  if (current) {
    Begin(now, out);
    if (kind == Kind::kConnected) {
      migrate_sockets_.at(migrate_->target).connected = true;
      MigrateSendBatch();
    } else if (kind == Kind::kClosed) {
      migrate_sockets_.erase(migrate_->target);  // the world already closed it
      MigrateFinish(/*socket_error=*/true, /*timed_out=*/false);
    } else if (const auto* r = std::get_if<std::shared_ptr<const ReplyFrame>>(msg)) {
      MigrateOnReply(**r);
    }
    End();
    DrainHeldInputs(now, out);
    return true;
  }
  // Any other input waits; first see whether the MIGRATE timed out.
  Begin(now, out);
  if (now_ms_ >= migrate_->deadline_ms) {
    MARK("migrate: timed out");
    MigrateFinish(/*socket_error=*/true, /*timed_out=*/true);
  }
  End();
  bool hold = true;
  if (kind == Kind::kCron) {
    for (const HeldInput& h : held_inputs_) hold = hold && h.kind != Kind::kCron;
  }
  if (hold) {
    MARK("migrate: input held while blocked");
    held_inputs_.push_back(HeldInput{kind, link, msg != nullptr ? *msg : Wire()});
  }
  DrainHeldInputs(now, out);
  return true;
}

void Node::DrainHeldInputs(sim::Time now, Effects* out) {
  if (draining_held_) return;
  draining_held_ = true;
  while (!migrate_ && !held_inputs_.empty()) {
    HeldInput in = std::move(held_inputs_.front());
    held_inputs_.pop_front();
    switch (in.kind) {
      case HeldInput::Kind::kConnected: OnLinkConnected(now, in.link, out); break;
      case HeldInput::Kind::kClosed: OnLinkClosed(now, in.link, out); break;
      case HeldInput::Kind::kReceive: OnReceive(now, in.link, in.msg, out); break;
      case HeldInput::Kind::kCron: Cron(now, out); break;
    }
  }
  draining_held_ = false;
}

}  // namespace slotsim::model
