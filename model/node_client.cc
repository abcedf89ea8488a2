// Node: per-client state on client links and what processCommand does with
// it: cluster redirection (getNodeByQuery + clusterRedirectClient), ASKING
// (one-shot: resetClient clears it after any command but ASKING, except
// inside MULTI), READONLY/READWRITE, and MULTI/EXEC/DISCARD (multi.c:
// queueMultiCommand, flagTransaction, execCommand, discardTransaction).
//
// Redirection rules (getNodeByQuery, 7.0.15), for the keys of one command or
// of all commands queued for EXEC:
//   - keys of different slots: CROSSSLOT; first key's slot unbound:
//     CLUSTERDOWN Hash slot not served;
//   - cluster down: CLUSTERDOWN (reads allowed with allow-reads-when-down);
//   - MIGRATE in an open slot (migrating or importing) is served here;
//   - migrating slot (we own it) with keys missing: ASK to the target when no
//     key of the request exists here, else TRYAGAIN;
//   - importing slot and the client sent ASKING (or the command has the
//     ASKING flag: RESTORE-ASKING): served, except a multi-key request with
//     missing keys, which gets TRYAGAIN;
//   - READONLY client, read command, we replicate the slot's owner: served;
//   - otherwise another owner: MOVED.
// A redirected command inside MULTI flags the transaction (EXECABORT later);
// a redirected EXEC discards it. Unknown commands and arity errors inside
// MULTI flag it too.
//
// Invariant: a client in `clients_` is blocked only by WAIT; while blocked,
// its later commands wait in its `pending` queue, in order (Redis does not
// read a blocked client's input).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "model/keyslot.h"
#include "model/marks.h"
#include "model/node.h"
#include "model/node_command_table.h"
#include "model/redirect_text.h"
#include "sim/check.h"

namespace slotsim::model {

std::optional<Reply> Node::RunClientCommand(ClientState* c, LinkId link,
                                            uint64_t request_id,
                                            const std::vector<std::string>& argv) {
  if (std::optional<Reply> err = LookupError(argv)) {
    if (c->multi) c->dirty_exec = true;  // flagTransaction
    return err;
  }
  const std::string name = absl::AsciiStrToLower(argv[0]);
  const bool txn_control = name == "exec" || name == "discard" || name == "multi";
  if (std::optional<Reply> redirect = RedirectCheck(*c, argv, name == "exec")) {
    if (name == "exec") {
      MARK("client: EXEC redirected, transaction discarded");
      c->multi = false;
      c->dirty_exec = false;
      c->mstate.clear();
    } else if (c->multi) {
      MARK("client: command redirected inside MULTI");
      c->dirty_exec = true;
    }
    return redirect;
  }
  // processCommand's min-replicas-to-write check, after the redirection: a
  // write, or an EXEC holding one, is refused on a master without enough
  // good replicas (inside MULTI the refusal flags the transaction).
  if (!GoodReplicasOk()) {
    const CommandSpec* spec = FindCommand(name);
    bool is_write = spec != nullptr && spec->write;
    if (name == "exec") {
      for (const auto& q : c->mstate) {
        const CommandSpec* qs = FindCommand(absl::AsciiStrToLower(q[0]));
        is_write = is_write || (qs != nullptr && qs->write);
      }
    }
    if (is_write) {
      MARK("client: write refused, not enough good replicas (NOREPLICAS)");
      static constexpr char kNoReplicas[] = "NOREPLICAS Not enough good replicas to write.";
      if (name == "exec") {  // rejectCommand -> execCommandAbort
        c->multi = false;
        c->dirty_exec = false;
        c->mstate.clear();
        return Reply::Error(
            absl::StrCat("EXECABORT Transaction discarded because of: ", kNoReplicas));
      }
      if (c->multi) c->dirty_exec = true;  // flagTransaction
      return Reply::Error(kNoReplicas);
    }
  }
  if (c->multi && !txn_control) {
    c->mstate.push_back(argv);  // queueMultiCommand
    return Reply::Status("QUEUED");
  }
  if (name == "multi") {
    if (c->multi) return Reply::Error("ERR MULTI calls can not be nested");
    c->multi = true;
    return Reply::Ok();
  }
  if (name == "discard") {
    if (!c->multi) return Reply::Error("ERR DISCARD without MULTI");
    c->multi = false;
    c->dirty_exec = false;
    c->mstate.clear();
    return Reply::Ok();
  }
  if (name == "exec") return ExecCommand(c);
  if (name == "asking") {
    c->asking = true;
    return Reply::Ok();
  }
  if (name == "readonly" || name == "readwrite") {
    c->readonly = name == "readonly";
    return Reply::Ok();
  }
  if (name == "migrate") {
    if (!link.valid()) {
      return Reply::Error("ERR MIGRATE is served on client links only in the model");
    }
    return MigrateCommand(link, request_id, argv);
  }
  if (name == "wait") return WaitCommand(c, link, request_id, argv);
  return CallCommand(c, argv, /*propagate=*/true);
}

std::optional<Reply> Node::RedirectCheck(const ClientState& c,
                                         const std::vector<std::string>& argv,
                                         bool is_exec) {
  std::vector<const std::vector<std::string>*> cmds;
  if (is_exec) {
    if (!c.multi) return std::nullopt;  // EXEC will just fail
    for (const auto& q : c.mstate) cmds.push_back(&q);
  } else {
    cmds.push_back(&argv);
  }
  const auto endpoint =
      ParseEndpointType(config_.cluster_preferred_endpoint_type).value_or(EndpointType::kIp);
  const std::string* first_key = nullptr;
  int slot = -1;
  ClusterNode* n = nullptr;
  bool migrating = false;
  bool importing = false;
  bool multiple_keys = false;
  int missing_keys = 0;
  int existing_keys = 0;
  bool is_write = false;
  bool is_migrate = false;
  for (const std::vector<std::string>* cmd : cmds) {
    const CommandSpec* spec = FindCommand(absl::AsciiStrToLower((*cmd)[0]));
    CHECK(spec != nullptr);
    is_write = is_write || spec->write;
    for (size_t pos : KeyPositions(*spec, *cmd)) {
      const std::string& key = (*cmd)[pos];
      const int this_slot = KeyHashSlot(key);
      if (first_key == nullptr) {
        first_key = &key;
        slot = this_slot;
        n = cs_.slots[static_cast<size_t>(slot)];
        if (n == nullptr) {
          return RedirectReply(Redirect::kDownUnbound, nullptr, slot, endpoint);
        }
        if (n == cs_.myself && cs_.migrating_slots_to.count(slot) > 0) {
          migrating = true;
        } else if (cs_.importing_slots_from.count(slot) > 0) {
          importing = true;
        }
      } else if (key != *first_key) {
        if (this_slot != slot) {
          return RedirectReply(Redirect::kCrossSlot, nullptr, slot, endpoint);
        }
        multiple_keys = true;
      }
      if (migrating || importing) {
        if (keyspace_.Exists(key)) {
          ++existing_keys;
        } else {
          ++missing_keys;
        }
      }
    }
  }
  if (n == nullptr) return std::nullopt;  // no keys: served here
  const CommandSpec* own = FindCommand(absl::AsciiStrToLower(argv[0]));
  CHECK(own != nullptr);
  is_migrate = !is_exec && own->keys == CommandSpec::Keys::kMigrate;
  if (cs_.state != ClusterHealth::kOk) {
    if (!config_.cluster_allow_reads_when_down) {
      return RedirectReply(Redirect::kDownState, nullptr, slot, endpoint);
    }
    if (is_write) {
      return RedirectReply(Redirect::kDownReadOnlyState, nullptr, slot, endpoint);
    }
  }
  if ((migrating || importing) && is_migrate) return std::nullopt;
  if (migrating && missing_keys > 0) {
    if (existing_keys > 0) {
      MARK("redirect: TRYAGAIN (migrating, some keys missing)");
      return RedirectReply(Redirect::kUnstable, nullptr, slot, endpoint);
    }
    MARK("redirect: ASK");
    return RedirectReply(Redirect::kAsk, cs_.migrating_slots_to.at(slot), slot,
                         endpoint);
  }
  if (importing && (c.asking || (!is_exec && own->asking))) {
    if (multiple_keys && missing_keys > 0) {
      MARK("redirect: TRYAGAIN (importing, some keys missing)");
      return RedirectReply(Redirect::kUnstable, nullptr, slot, endpoint);
    }
    MARK("client: importing slot served after ASKING");
    return std::nullopt;
  }
  if (c.readonly && !is_write && cs_.myself->is_replica() && cs_.myself->replica_of == n) {
    MARK("client: READONLY read served by a replica");
    return std::nullopt;
  }
  if (n != cs_.myself) return RedirectReply(Redirect::kMoved, n, slot, endpoint);
  return std::nullopt;
}

bool Node::GoodReplicasOk() const {
  if (repl_.has_master() || config_.min_replicas_max_lag_s == 0 ||
      config_.min_replicas_to_write == 0) {
    return true;
  }
  return repl_.CountGoodReplicas(UnixTime(), config_.min_replicas_max_lag_s) >=
         config_.min_replicas_to_write;
}

Reply Node::ExecCommand(ClientState* c) {
  if (!c->multi) return Reply::Error("ERR EXEC without MULTI");
  std::vector<std::vector<std::string>> queued;
  queued.swap(c->mstate);
  const bool dirty = c->dirty_exec;
  c->multi = false;
  c->dirty_exec = false;
  if (dirty) {
    MARK("client: EXECABORT");
    return Reply::Error("EXECABORT Transaction discarded because of previous errors.");
  }
  std::vector<Reply> replies;
  replies.reserve(queued.size());
  repl_.BeginExec();
  for (const std::vector<std::string>& argv : queued) {
    const std::string name = absl::AsciiStrToLower(argv[0]);
    if (name == "migrate") {
      replies.push_back(
          Reply::Error("ERR MIGRATE inside MULTI is not supported by the model"));
    } else if (name == "wait") {
      // Inside a transaction WAIT cannot block: it answers at once.
      replies.push_back(Reply::Integer(repl_.CountAcksByOffset(c->woff)));
    } else if (name == "asking") {
      c->asking = true;
      replies.push_back(Reply::Ok());
    } else if (name == "readonly" || name == "readwrite") {
      c->readonly = name == "readonly";
      replies.push_back(Reply::Ok());
    } else {
      replies.push_back(CallCommand(c, argv, /*propagate=*/true));
    }
  }
  repl_.EndExec(out_);
  return Reply::Array(std::move(replies));
}

void Node::SendClientReply(LinkId link, uint64_t request_id, Reply reply) {
  if (!link.valid()) return;
  auto frame = std::make_shared<const ReplyFrame>(ReplyFrame{request_id, std::move(reply)});
  out_->actions.emplace_back(Effects::Send{link, Wire(std::move(frame))});
}

void Node::ServeClientCommand(LinkId link, const CommandFrame& frame) {
  ClientState& c = clients_[link];
  if (c.blocked || migrate_.has_value()) {
    // Blocked in WAIT, or served from a loop (pause end, WAIT wake-ups) after
    // a command of that loop started a MIGRATE: run later, in order.
    c.pending.push_back(frame);
    return;
  }
  if (WritesPaused() && !frame.argv.empty() && !c.multi) {
    const CommandSpec* spec = FindCommand(absl::AsciiStrToLower(frame.argv[0]));
    if (spec != nullptr && spec->write) {
      MARK("client: write held by manual failover pause");
      paused_commands_.push_back(PausedCommand{link, frame.request_id, frame.argv});
      return;
    }
  }
  const int64_t offset_before = repl_.master_repl_offset();
  std::optional<Reply> reply = RunClientCommand(&c, link, frame.request_id, frame.argv);
  if (repl_.master_repl_offset() != offset_before) c.woff = repl_.master_repl_offset();
  // resetClient: ASKING lasts one command, or the whole transaction.
  if (!c.multi && !frame.argv.empty() && absl::AsciiStrToLower(frame.argv[0]) != "asking") {
    c.asking = false;
  }
  if (reply) SendClientReply(link, frame.request_id, std::move(*reply));
}

void Node::ProcessAllClientsPending() {
  std::vector<LinkId> links;
  for (const auto& [link, c] : clients_) {
    if (!c.blocked && !c.pending.empty()) links.push_back(link);
  }
  for (LinkId link : links) ProcessClientPending(link);
}

void Node::ProcessClientPending(LinkId link) {
  auto it = clients_.find(link);
  while (it != clients_.end() && !it->second.blocked && !it->second.pending.empty() &&
         !migrate_.has_value()) {
    CommandFrame f = std::move(it->second.pending.front());
    it->second.pending.pop_front();
    ServeClientCommand(link, f);
    it = clients_.find(link);
  }
}

}  // namespace slotsim::model
