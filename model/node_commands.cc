// Node: the command table (processCommand's lookup and arity checks), the
// data commands the model serves so far (GET/SET/DEL/PING/ECHO/DBSIZE/INFO),
// cluster redirection of keyed commands (getNodeByQuery, single client
// state: no ASKING/READONLY yet), client-port links and the write pause of a
// manual failover.

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "model/keyslot.h"
#include "model/marks.h"
#include "model/node.h"
#include "model/redirect_text.h"

namespace slotsim::model {
namespace {

struct CommandSpec {
  const char* name;
  int arity;        // Redis arity: n exact, -n at least n
  bool write;       // CMD_WRITE: paused during a manual failover
  int first_key;    // 0 = no keys
  int key_step;     // 1: every argument from first_key is a key (DEL)
  bool all_keys;
};

constexpr CommandSpec kCommands[] = {
    {"cluster", -2, false, 0, 0, false},
    {"get", 2, false, 1, 1, false},
    {"set", -3, true, 1, 1, false},
    {"del", -2, true, 1, 1, true},
    {"exists", -2, false, 1, 1, true},
    {"ping", -1, false, 0, 0, false},
    {"echo", 2, false, 0, 0, false},
    {"dbsize", 1, false, 0, 0, false},
    {"info", -1, false, 0, 0, false},
};

const CommandSpec* FindCommand(const std::string& lower) {
  for (const CommandSpec& c : kCommands) {
    if (lower == c.name) return &c;
  }
  return nullptr;
}

bool ArityOk(int arity, size_t argc) {
  return arity > 0 ? argc == static_cast<size_t>(arity)
                   : argc >= static_cast<size_t>(-arity);
}

}  // namespace

Reply Node::Dispatch(const std::vector<std::string>& argv, LinkId client) {
  if (argv.empty()) return Reply::Error("ERR unknown command '', with args beginning with: ");
  const std::string name = absl::AsciiStrToLower(argv[0]);
  const CommandSpec* spec = FindCommand(name);
  if (spec == nullptr) {
    std::string args;
    for (size_t i = 1; i < argv.size() && args.size() < 128; ++i) {
      absl::StrAppend(&args, "'", argv[i].substr(0, 128 - args.size()), "' ");
    }
    return Reply::Error(absl::StrCat("ERR unknown command '", argv[0].substr(0, 128),
                                     "', with args beginning with: ", args));
  }
  if (!ArityOk(spec->arity, argv.size())) {
    return Reply::Error(
        absl::StrCat("ERR wrong number of arguments for '", spec->name, "' command"));
  }
  if (name == "cluster") return ClusterCommand(argv);
  if (name == "info") return InfoCommand(argv);
  if (name == "ping") {
    if (argv.size() > 2) {
      return Reply::Error("ERR wrong number of arguments for 'ping' command");
    }
    return argv.size() == 1 ? Reply::Status("PONG") : Reply::Bulk(argv[1]);
  }
  if (name == "echo") return Reply::Bulk(argv[1]);
  if (name == "dbsize") return Reply::Integer(keyspace_.size());

  // Keyed commands: cluster redirection (getNodeByQuery / clusterRedirectClient).
  const auto endpoint =
      ParseEndpointType(config_.cluster_preferred_endpoint_type).value_or(EndpointType::kIp);
  std::vector<int> key_positions;
  key_positions.push_back(spec->first_key);
  if (spec->all_keys) {
    for (size_t i = static_cast<size_t>(spec->first_key) + 1; i < argv.size(); ++i) {
      key_positions.push_back(static_cast<int>(i));
    }
  }
  int slot = -1;
  ClusterNode* n = nullptr;
  bool migrating = false;
  bool multiple_keys = false;
  int missing_keys = 0;
  int existing_keys = 0;
  for (size_t k = 0; k < key_positions.size(); ++k) {
    const std::string& key = argv[static_cast<size_t>(key_positions[k])];
    const int this_slot = KeyHashSlot(key);
    if (k == 0) {
      slot = this_slot;
      n = cs_.slots[slot];
      if (n == nullptr) {
        return RedirectReply(Redirect::kDownUnbound, nullptr, slot, endpoint);
      }
      migrating = n == cs_.myself && cs_.migrating_slots_to.count(slot) > 0;
    } else if (this_slot != slot) {
      return RedirectReply(Redirect::kCrossSlot, nullptr, slot, endpoint);
    } else if (key != argv[static_cast<size_t>(key_positions[0])]) {
      multiple_keys = true;
    }
    if (migrating) {
      if (keyspace_.Exists(key)) {
        ++existing_keys;
      } else {
        ++missing_keys;
      }
    }
  }
  if (cs_.state != ClusterHealth::kOk) {
    if (!config_.cluster_allow_reads_when_down) {
      return RedirectReply(Redirect::kDownState, nullptr, slot, endpoint);
    }
    if (spec->write) {
      return RedirectReply(Redirect::kDownReadOnlyState, nullptr, slot, endpoint);
    }
  }
  if (migrating && missing_keys > 0) {
    if (existing_keys > 0) {
      return RedirectReply(Redirect::kUnstable, nullptr, slot, endpoint);
    }
    MARK("redirect: ASK");
    return RedirectReply(Redirect::kAsk, cs_.migrating_slots_to.at(slot), slot,
                         endpoint);
  }
  if (n != cs_.myself) {
    return RedirectReply(Redirect::kMoved, n, slot, endpoint);
  }
  // Importing slots need the client's ASKING flag (later issue): without it
  // such requests were redirected above like any other.
  (void)client;
  (void)multiple_keys;
  return ExecuteData(argv, /*propagate=*/true);
}

Reply Node::ExecuteData(const std::vector<std::string>& argv, bool propagate) {
  const std::string name = absl::AsciiStrToLower(argv[0]);
  if (name == "get") {
    const Value* v = keyspace_.Get(argv[1]);
    return v == nullptr ? Reply::Nil() : Reply::Bulk(v->data);
  }
  if (name == "exists") {
    int64_t count = 0;
    for (size_t i = 1; i < argv.size(); ++i) count += keyspace_.Exists(argv[i]);
    return Reply::Integer(count);
  }
  if (name == "set") {
    if (argv.size() != 3) return Reply::Error("ERR syntax error");
    keyspace_.Set(argv[1], Value{argv[2], 0});
    if (propagate) repl_.Propagate(argv, out_);
    return Reply::Ok();
  }
  if (name == "del") {
    int64_t deleted = 0;
    for (size_t i = 1; i < argv.size(); ++i) deleted += keyspace_.Del(argv[i]);
    if (propagate && deleted > 0) repl_.Propagate(argv, out_);
    return Reply::Integer(deleted);
  }
  return Reply::Error(absl::StrCat("ERR unknown command '", argv[0], "'"));
}

void Node::ApplyReplicated(const std::vector<std::string>& argv) {
  if (argv.empty()) return;
  const std::string name = absl::AsciiStrToLower(argv[0]);
  if (name == "set" || name == "del") ExecuteData(argv, /*propagate=*/false);
  // SELECT and PING only advance the offset.
}

Reply Node::InfoCommand(const std::vector<std::string>& argv) {
  std::vector<std::string> sections;
  for (size_t i = 1; i < argv.size(); ++i) {
    sections.push_back(absl::AsciiStrToLower(argv[i]));
  }
  auto wanted = [&](const char* s) {
    if (sections.empty()) return true;
    for (const std::string& w : sections) {
      if (w == s || w == "all" || w == "everything" || w == "default") return true;
    }
    return false;
  };
  std::string info;
  auto section = [&](const std::string& text) {
    if (!info.empty()) info += "\r\n";
    info += text;
  };
  if (wanted("replication")) section(repl_.InfoText(now_ms_));
  if (wanted("cluster")) section("# Cluster\r\ncluster_enabled:1\r\n");
  if (wanted("keyspace")) {
    std::string ks = "# Keyspace\r\n";
    if (!keyspace_.empty()) {
      absl::StrAppend(&ks, "db0:keys=", keyspace_.size(), ",expires=0,avg_ttl=0\r\n");
    }
    section(ks);
  }
  return Reply::Bulk(info);
}

void Node::ServeClientCommand(LinkId link, const CommandFrame& frame) {
  if (WritesPaused() && !frame.argv.empty()) {
    const CommandSpec* spec = FindCommand(absl::AsciiStrToLower(frame.argv[0]));
    if (spec != nullptr && spec->write) {
      MARK("client: write held by manual failover pause");
      paused_commands_.push_back(PausedCommand{link, frame.request_id, frame.argv});
      return;
    }
  }
  auto reply = std::make_shared<const ReplyFrame>(
      ReplyFrame{frame.request_id, Dispatch(frame.argv, link)});
  out_->actions.emplace_back(Effects::Send{link, Wire(std::move(reply))});
}

void Node::PauseWrites(int64_t until_ms) {
  pause_end_ms_ = std::max(pause_end_ms_, until_ms);
}

void Node::UnpauseWrites() {
  pause_end_ms_ = 0;
  std::deque<PausedCommand> held;
  held.swap(paused_commands_);
  for (const PausedCommand& c : held) {
    if (client_links_.count(c.link) == 0) continue;
    ServeClientCommand(c.link, CommandFrame{c.request_id, c.argv});
  }
}

}  // namespace slotsim::model
