// Node: the command table (processCommand's lookup and arity checks), the
// commands that run without blocking (call(): GET/SET/DEL/EXISTS, DUMP,
// RESTORE[-ASKING], PING/ECHO/DBSIZE/INFO/SELECT, DEBUG DIGEST-VALUE,
// FUNCTION DUMP/LIST/RESTORE/FLUSH for an empty library), the replicated
// command stream's executor, client-port links and the write pause of a
// manual failover. Per-client state and redirection: node_client.cc; MIGRATE:
// node_migrate.cc; WAIT: node_wait.cc.
//
// Redis: processCommand (server.c), restoreCommand and dumpCommand (cluster.c),
// debugCommand's DIGEST-VALUE (debug.c), functionDumpCommand /
// functionListCommand / functionRestoreCommand (functions.c).

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "model/keyslot.h"
#include "model/marks.h"
#include "model/node.h"
#include "model/node_command_table.h"
#include "model/redirect_text.h"

namespace slotsim::model {
namespace {

bool ParseInt64(const std::string& s, int64_t* v) { return absl::SimpleAtoi(s, v); }

}  // namespace


Reply Node::Dispatch(const std::vector<std::string>& argv, LinkId client) {
  // The in-process admin client: a fresh connection per command (redis-cli
  // with a command on its command line), never blocked.
  (void)client;
  ClientState admin;
  std::optional<Reply> r = RunClientCommand(&admin, LinkId(), 0, argv);
  CHECK(r.has_value());
  return *r;
}

Reply Node::CallCommand(ClientState* c, const std::vector<std::string>& argv,
                        bool propagate) {
  (void)c;
  const std::string name = absl::AsciiStrToLower(argv[0]);
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
  if (name == "select") {
    int64_t db = 0;
    if (!ParseInt64(argv[1], &db)) {
      return Reply::Error("ERR value is not an integer or out of range");
    }
    if (db != 0) return Reply::Error("ERR SELECT is not allowed in cluster mode");
    return Reply::Ok();
  }
  if (name == "debug") return DebugCommand(argv);
  if (name == "function") return FunctionCommand(argv);
  if (name == "restore" || name == "restore-asking") return RestoreCommand(argv, propagate);
  if (name == "dump") {
    const Value* v = keyspace_.Get(argv[1]);
    return v == nullptr ? Reply::Nil() : Reply::Bulk(EncodeDumpPayload(*v));
  }
  return ExecuteData(argv, propagate);
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
  if (name == "restore" || name == "restore-asking") return RestoreCommand(argv, propagate);
  return Reply::Error(absl::StrCat("ERR unknown command '", argv[0], "'"));
}

Reply Node::RestoreCommand(const std::vector<std::string>& argv, bool propagate) {
  bool replace = false;
  for (size_t j = 4; j < argv.size(); ++j) {
    const std::string opt = absl::AsciiStrToLower(argv[j]);
    if (opt == "replace") {
      replace = true;
    } else if (opt == "absttl") {
      // TTLs are not modelled: keys never expire.
    } else if ((opt == "idletime" || opt == "freq") && j + 1 < argv.size()) {
      ++j;
    } else {
      return Reply::Error("ERR syntax error");
    }
  }
  const std::string& key = argv[1];
  if (!replace && keyspace_.Exists(key)) {
    return Reply::Error("BUSYKEY Target key name already exists.");
  }
  int64_t ttl = 0;
  if (!ParseInt64(argv[2], &ttl)) {
    return Reply::Error("ERR value is not an integer or out of range");
  }
  if (ttl < 0) return Reply::Error("ERR Invalid TTL value, must be >= 0");
  if (!VerifyDumpPayload(argv[3])) {
    return Reply::Error("ERR DUMP payload version or checksum are wrong");
  }
  std::optional<Value> value = DecodeDumpPayload(argv[3]);
  if (!value) return Reply::Error("ERR Bad data format");
  keyspace_.Set(key, std::move(*value));
  if (propagate) repl_.Propagate(argv, out_);
  return Reply::Ok();
}

Reply Node::DebugCommand(const std::vector<std::string>& argv) {
  const std::string sub = absl::AsciiStrToLower(argv[1]);
  if (sub == "digest-value") {
    std::vector<Reply> items;
    for (size_t i = 2; i < argv.size(); ++i) {
      items.push_back(Reply::Status(DigestValueHex(keyspace_.Get(argv[i]))));
    }
    return Reply::Array(std::move(items));
  }
  return Reply::Error(absl::StrCat("ERR unknown subcommand '", argv[1],
                                   "'. Try DEBUG HELP."));
}

Reply Node::FunctionCommand(const std::vector<std::string>& argv) {
  // The model has no scripting: the function library is always empty, as on
  // a 7.0.15 node that never loaded a function.
  const std::string sub = absl::AsciiStrToLower(argv[1]);
  if (sub == "dump" && argv.size() == 2) return Reply::Bulk(SealDumpPayload(""));
  if (sub == "list") return Reply::Array({});
  if (sub == "flush" && argv.size() <= 3) return Reply::Ok();
  if (sub == "restore" && (argv.size() == 3 || argv.size() == 4)) {
    if (argv.size() == 4) {
      const std::string policy = absl::AsciiStrToLower(argv[3]);
      if (policy != "flush" && policy != "append" && policy != "replace") {
        return Reply::Error("ERR Wrong restore policy given, value should be either "
                            "FLUSH, APPEND or REPLACE.");
      }
    }
    if (!VerifyDumpPayload(argv[2])) {
      return Reply::Error("ERR payload version or checksum are wrong");
    }
    if (argv[2].size() != 10) {
      return Reply::Error("ERR given payload is not a function dump the model can load");
    }
    return Reply::Ok();
  }
  return Reply::Error(absl::StrCat("ERR unknown subcommand or wrong number of "
                                   "arguments for '", argv[1], "'. Try FUNCTION HELP."));
}

void Node::ApplyReplicated(const std::vector<std::string>& argv) {
  if (argv.empty()) return;
  const std::string name = absl::AsciiStrToLower(argv[0]);
  if (name == "set" || name == "del" || name == "restore" || name == "restore-asking") {
    ExecuteData(argv, /*propagate=*/false);
  }
  // SELECT, PING, MULTI/EXEC and REPLCONF only advance the offset (GETACK is
  // answered by the replication object).
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
