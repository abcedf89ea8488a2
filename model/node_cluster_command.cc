// Node: the CLUSTER command (clusterCommand), with Redis 7.0.15's
// subcommand table (arity, full names for error texts) and error strings.

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "model/cluster_text.h"
#include "model/cluster_topology_reply.h"
#include "model/keyslot.h"
#include "model/marks.h"
#include "model/node.h"
#include "model/redirect_text.h"

namespace slotsim::model {
namespace {

struct SubcommandSpec {
  const char* name;
  int arity;
};

// CLUSTER_Subcommands (commands.c).
constexpr SubcommandSpec kSubcommands[] = {
    {"addslots", -3},       {"addslotsrange", -4}, {"bumpepoch", 2},
    {"count-failure-reports", 3}, {"countkeysinslot", 3}, {"delslots", -3},
    {"delslotsrange", -4},  {"failover", -2},      {"flushslots", 2},
    {"forget", 3},          {"getkeysinslot", 4},  {"help", 2},
    {"info", 2},            {"keyslot", 3},        {"links", 2},
    {"meet", -4},           {"myid", 2},           {"nodes", 2},
    {"replicas", 3},        {"replicate", 3},      {"reset", -2},
    {"saveconfig", 2},      {"set-config-epoch", 3}, {"setslot", -4},
    {"shards", 2},          {"slaves", 3},         {"slots", 2},
};

constexpr const char* kHelp[] = {
    "ADDSLOTS <slot> [<slot> ...]",
    "    Assign slots to current node.",
    "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
    "    Assign slots which are between <start-slot> and <end-slot> to current node.",
    "BUMPEPOCH",
    "    Advance the cluster config epoch.",
    "COUNT-FAILURE-REPORTS <node-id>",
    "    Return number of failure reports for <node-id>.",
    "COUNTKEYSINSLOT <slot>",
    "    Return the number of keys in <slot>.",
    "DELSLOTS <slot> [<slot> ...]",
    "    Delete slots information from current node.",
    "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
    "    Delete slots information which are between <start-slot> and <end-slot> from current node.",
    "FAILOVER [FORCE|TAKEOVER]",
    "    Promote current replica node to being a master.",
    "FORGET <node-id>",
    "    Remove a node from the cluster.",
    "GETKEYSINSLOT <slot> <count>",
    "    Return key names stored by current node in a slot.",
    "FLUSHSLOTS",
    "    Delete current node own slots information.",
    "INFO",
    "    Return information about the cluster.",
    "KEYSLOT <key>",
    "    Return the hash slot for <key>.",
    "MEET <ip> <port> [<bus-port>]",
    "    Connect nodes into a working cluster.",
    "MYID",
    "    Return the node id.",
    "NODES",
    "    Return cluster configuration seen by node. Output format:",
    "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
    "REPLICATE <node-id>",
    "    Configure current node as replica to <node-id>.",
    "RESET [HARD|SOFT]",
    "    Reset current node (default: soft).",
    "SET-CONFIG-EPOCH <epoch>",
    "    Set config epoch of current node.",
    "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
    "    Set slot state.",
    "REPLICAS <node-id>",
    "    Return <node-id> replicas.",
    "SAVECONFIG",
    "    Force saving cluster configuration on disk.",
    "SLOTS",
    "    Return information about slots range mappings. Each range is made of:",
    "    start, end, master and replicas IP addresses, ports and ids",
    "SHARDS",
    "    Return information about slot range mappings and the nodes associated with them.",
    "LINKS",
    "    Return information about all network links between this node and its peers.",
    "    Output format is an array where each array element is a map containing attributes of a link",
};

// string2ll: optional '-', digits, no leading zeros, no blanks.
bool ParseLongLong(const std::string& s, long long* out) {
  if (s.empty() || s.size() > 20) return false;
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-') {
    negative = true;
    i = 1;
    if (s.size() == 1) return false;
  }
  if (s[i] == '0') {
    if (s.size() == i + 1 && !negative) {
      *out = 0;
      return true;
    }
    return false;
  }
  unsigned long long v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    const unsigned long long next = v * 10 + static_cast<unsigned long long>(s[i] - '0');
    if (next / 10 != v) return false;
    v = next;
  }
  if (negative) {
    if (v > 9223372036854775808ull) return false;
    *out = static_cast<long long>(0 - v);
  } else {
    if (v > 9223372036854775807ull) return false;
    *out = static_cast<long long>(v);
  }
  return true;
}

const char* kNotInteger = "ERR value is not an integer or out of range";

}  // namespace

Reply Node::ClusterCommand(const std::vector<std::string>& argv) {
  const std::string sub = absl::AsciiStrToLower(argv[1]);
  const SubcommandSpec* spec = nullptr;
  for (const SubcommandSpec& s : kSubcommands) {
    if (sub == s.name) spec = &s;
  }
  if (spec == nullptr) {
    return Reply::Error(absl::StrCat("ERR unknown subcommand '", argv[1].substr(0, 128),
                                     "'. Try CLUSTER HELP."));
  }
  const size_t argc = argv.size();
  const bool arity_ok = spec->arity > 0 ? argc == static_cast<size_t>(spec->arity)
                                        : argc >= static_cast<size_t>(-spec->arity);
  const std::string fullname = absl::StrCat("cluster|", spec->name);
  if (!arity_ok) {
    return Reply::Error(
        absl::StrCat("ERR wrong number of arguments for '", fullname, "' command"));
  }
  ClusterNode* const me = cs_.myself;
  const auto endpoint =
      ParseEndpointType(config_.cluster_preferred_endpoint_type).value_or(EndpointType::kIp);
  auto syntax_error = [&]() {
    return Reply::Error(absl::StrCat("ERR unknown subcommand or wrong number of arguments for '",
                                     argv[1].substr(0, 128), "'. Try CLUSTER HELP."));
  };
  auto slot_or_error = [&](const std::string& arg, int* slot) -> bool {
    long long v;
    if (!ParseLongLong(arg, &v) || v < 0 || v >= kClusterSlots) return false;
    *slot = static_cast<int>(v);
    return true;
  };
  auto lookup = [&](const std::string& id) -> ClusterNode* {
    auto name = NodeName::Parse(id);
    return name ? cs_.Find(*name) : nullptr;
  };
  auto trace_command = [&]() {
    Emit(EventKind::kCommand, me, nullptr, 0, absl::StrJoin(argv, " "));
  };
  const Reply kInvalidSlot = Reply::Error("ERR Invalid or out of range slot");

  if (sub == "help" && argc == 2) {
    std::vector<Reply> lines;
    lines.push_back(Reply::Status(
        "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"));
    for (const char* line : kHelp) lines.push_back(Reply::Status(line));
    lines.push_back(Reply::Status("HELP"));
    lines.push_back(Reply::Status("    Prints this help."));
    return Reply::Array(std::move(lines));
  }
  if (sub == "meet" && (argc == 4 || argc == 5)) {
    long long port;
    long long cport;
    if (!ParseLongLong(argv[3], &port)) {
      return Reply::Error(absl::StrCat("ERR Invalid TCP base port specified: ", argv[3]));
    }
    if (argc == 5) {
      if (!ParseLongLong(argv[4], &cport)) {
        return Reply::Error(absl::StrCat("ERR Invalid TCP bus port specified: ", argv[4]));
      }
    } else {
      cport = port + kClusterPortIncr;
    }
    if (!ValidMeetAddress(argv[2], port, cport)) {
      return Reply::Error(
          absl::StrCat("ERR Invalid node address specified: ", argv[2], ":", argv[3]));
    }
    StartHandshake(argv[2], static_cast<int>(port), static_cast<int>(cport));
    trace_command();
    return Reply::Ok();
  }
  if (sub == "nodes" && argc == 2) return Reply::Bulk(ClusterNodesText(cs_));
  if (sub == "myid" && argc == 2) return Reply::Bulk(me->name.str());
  if (sub == "slots" && argc == 2) {
    return ClusterSlotsReply(cs_, endpoint, static_cast<uint64_t>(announced_offset()));
  }
  if (sub == "shards" && argc == 2) {
    return ClusterShardsReply(cs_, endpoint, static_cast<uint64_t>(announced_offset()));
  }
  if (sub == "flushslots" && argc == 2) {
    if (!keyspace_.empty()) {
      return Reply::Error("ERR DB must be empty to perform CLUSTER FLUSHSLOTS.");
    }
    cs_.DelNodeSlots(me);
    DoBeforeSleep(todo::kUpdateState | todo::kSaveConfig);
    trace_command();
    return Reply::Ok();
  }
  if ((sub == "addslots" || sub == "delslots" || sub == "addslotsrange" ||
       sub == "delslotsrange")) {
    const bool del = sub[0] == 'd';
    const bool range = sub.size() > 8;
    std::vector<int> order;
    if (range) {
      if (argc % 2 == 1) {
        return Reply::Error(
            absl::StrCat("ERR wrong number of arguments for '", fullname, "' command"));
      }
    } else {
      for (size_t j = 2; j < argc; ++j) {
        int slot;
        if (!slot_or_error(argv[j], &slot)) return kInvalidSlot;
      }
    }
    std::vector<bool> seen(kClusterSlots, false);
    auto check = [&](int first, int last) -> std::optional<Reply> {
      for (int slot = first; slot <= last; ++slot) {
        if (del && cs_.slots[slot] == nullptr) {
          return Reply::Error(absl::StrCat("ERR Slot ", slot, " is already unassigned"));
        }
        if (!del && cs_.slots[slot] != nullptr) {
          return Reply::Error(absl::StrCat("ERR Slot ", slot, " is already busy"));
        }
        if (seen[static_cast<size_t>(slot)]) {
          return Reply::Error(absl::StrCat("ERR Slot ", slot, " specified multiple times"));
        }
        seen[static_cast<size_t>(slot)] = true;
      }
      return std::nullopt;
    };
    if (range) {
      for (size_t j = 2; j + 1 < argc; j += 2) {
        int first;
        int last;
        if (!slot_or_error(argv[j], &first)) return kInvalidSlot;
        if (!slot_or_error(argv[j + 1], &last)) return kInvalidSlot;
        if (first > last) {
          return Reply::Error(absl::StrCat("ERR start slot number ", first,
                                           " is greater than end slot number ", last));
        }
        if (auto err = check(first, last)) return *err;
      }
    } else {
      for (size_t j = 2; j < argc; ++j) {
        int slot = 0;
        slot_or_error(argv[j], &slot);
        if (auto err = check(slot, slot)) return *err;
      }
    }
    std::vector<int> changed;
    for (int j = 0; j < kClusterSlots; ++j) {
      if (!seen[static_cast<size_t>(j)]) continue;
      cs_.importing_slots_from.erase(j);
      if (del) {
        cs_.DelSlot(j);
      } else {
        cs_.AddSlot(me, j);
      }
      changed.push_back(j);
    }
    TraceSlots(del ? nullptr : me, changed);
    DoBeforeSleep(todo::kUpdateState | todo::kSaveConfig);
    trace_command();
    return Reply::Ok();
  }
  if (sub == "setslot" && argc >= 4) {
    if (me->is_replica()) return Reply::Error("ERR Please use SETSLOT only with masters.");
    int slot;
    if (!slot_or_error(argv[2], &slot)) return kInvalidSlot;
    const std::string action = absl::AsciiStrToLower(argv[3]);
    if (action == "migrating" && argc == 5) {
      if (cs_.slots[slot] != me) {
        return Reply::Error(absl::StrCat("ERR I'm not the owner of hash slot ", slot));
      }
      ClusterNode* n = lookup(argv[4]);
      if (n == nullptr) {
        return Reply::Error(absl::StrCat("ERR I don't know about node ", argv[4]));
      }
      if (n->is_replica()) return Reply::Error("ERR Target node is not a master");
      cs_.migrating_slots_to[slot] = n;
    } else if (action == "importing" && argc == 5) {
      if (cs_.slots[slot] == me) {
        return Reply::Error(
            absl::StrCat("ERR I'm already the owner of hash slot ", slot));
      }
      ClusterNode* n = lookup(argv[4]);
      if (n == nullptr) {
        return Reply::Error(absl::StrCat("ERR I don't know about node ", argv[4]));
      }
      if (n->is_replica()) return Reply::Error("ERR Target node is not a master");
      cs_.importing_slots_from[slot] = n;
    } else if (action == "stable" && argc == 4) {
      cs_.importing_slots_from.erase(slot);
      cs_.migrating_slots_to.erase(slot);
    } else if (action == "node" && argc == 5) {
      ClusterNode* n = lookup(argv[4]);
      if (n == nullptr) return Reply::Error(absl::StrCat("ERR Unknown node ", argv[4]));
      if (n->is_replica()) return Reply::Error("ERR Target node is not a master");
      if (cs_.slots[slot] == me && n != me && keyspace_.CountKeysInSlot(slot) != 0) {
        return Reply::Error(absl::StrCat(
            "ERR Can't assign hashslot ", slot,
            " to a different node while I still hold keys for this hash slot."));
      }
      if (keyspace_.CountKeysInSlot(slot) == 0 && cs_.migrating_slots_to.count(slot) > 0) {
        cs_.migrating_slots_to.erase(slot);
      }
      const bool slot_was_mine = cs_.slots[slot] == me;
      cs_.DelSlot(slot);
      cs_.AddSlot(n, slot);
      TraceSlots(n, {slot});
      if (slot_was_mine && n != me && me->num_slots == 0 &&
          config_.cluster_allow_replica_migration) {
        MARK("setslot: gave away last slot, becoming a replica");
        SetMaster(n);
        DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState | todo::kFsyncConfig);
      }
      if (n == me && cs_.importing_slots_from.count(slot) > 0) {
        MARK("setslot: import closed on myself");
        BumpConfigEpochWithoutConsensus();
        cs_.importing_slots_from.erase(slot);
        BroadcastPong(PongTarget::kAll);
      }
    } else {
      return Reply::Error(
          "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP");
    }
    DoBeforeSleep(todo::kSaveConfig | todo::kUpdateState);
    trace_command();
    return Reply::Ok();
  }
  if (sub == "bumpepoch" && argc == 2) {
    const bool bumped = BumpConfigEpochWithoutConsensus();
    trace_command();
    return Reply::Status(absl::StrCat(bumped ? "BUMPED " : "STILL ",
                                      me->config_epoch.value()));
  }
  if (sub == "info" && argc == 2) return Reply::Bulk(ClusterInfoText(cs_));
  if (sub == "saveconfig" && argc == 2) {
    SaveConfig(/*fsync=*/true);
    return Reply::Ok();
  }
  if (sub == "keyslot" && argc == 3) return Reply::Integer(KeyHashSlot(argv[2]));
  if (sub == "countkeysinslot" && argc == 3) {
    long long slot;
    if (!ParseLongLong(argv[2], &slot)) return Reply::Error(kNotInteger);
    if (slot < 0 || slot >= kClusterSlots) return Reply::Error("ERR Invalid slot");
    return Reply::Integer(keyspace_.CountKeysInSlot(static_cast<int>(slot)));
  }
  if (sub == "getkeysinslot" && argc == 4) {
    long long slot;
    long long maxkeys;
    if (!ParseLongLong(argv[2], &slot)) return Reply::Error(kNotInteger);
    if (!ParseLongLong(argv[3], &maxkeys)) return Reply::Error(kNotInteger);
    if (slot < 0 || slot >= kClusterSlots || maxkeys < 0) {
      return Reply::Error("ERR Invalid slot or number of keys");
    }
    const int count = static_cast<int>(
        std::min<long long>(maxkeys, keyspace_.CountKeysInSlot(static_cast<int>(slot))));
    std::vector<Reply> keys;
    for (std::string& k : keyspace_.GetKeysInSlot(static_cast<int>(slot), count)) {
      keys.push_back(Reply::Bulk(std::move(k)));
    }
    return Reply::Array(std::move(keys));
  }
  if (sub == "forget" && argc == 3) {
    ClusterNode* n = lookup(argv[2]);
    if (n == nullptr) return Reply::Error(absl::StrCat("ERR Unknown node ", argv[2]));
    if (n == me) return Reply::Error("ERR I tried hard but I can't forget myself...");
    if (me->is_replica() && me->replica_of == n) {
      return Reply::Error("ERR Can't forget my master!");
    }
    BlacklistAddNode(n);
    DelNode(n);
    DoBeforeSleep(todo::kUpdateState | todo::kSaveConfig);
    trace_command();
    return Reply::Ok();
  }
  if (sub == "replicate" && argc == 3) {
    ClusterNode* n = lookup(argv[2]);
    if (n == nullptr) return Reply::Error(absl::StrCat("ERR Unknown node ", argv[2]));
    if (n == me) return Reply::Error("ERR Can't replicate myself");
    if (n->is_replica()) {
      return Reply::Error("ERR I can only replicate a master, not a replica.");
    }
    if (me->is_master() && (me->num_slots != 0 || !keyspace_.empty())) {
      return Reply::Error(
          "ERR To set a master the node must be empty and without assigned slots.");
    }
    SetMaster(n);
    DoBeforeSleep(todo::kUpdateState | todo::kSaveConfig);
    trace_command();
    return Reply::Ok();
  }
  if ((sub == "slaves" || sub == "replicas") && argc == 3) {
    ClusterNode* n = lookup(argv[2]);
    if (n == nullptr) return Reply::Error(absl::StrCat("ERR Unknown node ", argv[2]));
    if (n->is_replica()) return Reply::Error("ERR The specified node is not a master");
    std::vector<Reply> lines;
    for (const ClusterNode* r : n->replicas) {
      lines.push_back(Reply::Bulk(ClusterNodeLine(cs_, *r)));
    }
    return Reply::Array(std::move(lines));
  }
  if (sub == "count-failure-reports" && argc == 3) {
    ClusterNode* n = lookup(argv[2]);
    if (n == nullptr) return Reply::Error(absl::StrCat("ERR Unknown node ", argv[2]));
    return Reply::Integer(cs_.FailureReportsCount(
        n, now_ms_, NodeTimeout() * kFailReportValidityMult));
  }
  if (sub == "failover" && (argc == 2 || argc == 3)) {
    bool force = false;
    bool takeover = false;
    if (argc == 3) {
      const std::string opt = absl::AsciiStrToLower(argv[2]);
      if (opt == "force") {
        force = true;
      } else if (opt == "takeover") {
        takeover = true;
        force = true;
      } else {
        return Reply::Error("ERR syntax error");
      }
    }
    if (me->is_master()) {
      return Reply::Error("ERR You should send CLUSTER FAILOVER to a replica");
    }
    if (me->replica_of == nullptr) {
      return Reply::Error("ERR I'm a replica but my master is unknown to me");
    }
    if (!force && (me->replica_of->failed() || !me->replica_of->link.valid())) {
      return Reply::Error("ERR Master is down or failed, please use CLUSTER FAILOVER FORCE");
    }
    ResetManualFailover();
    cs_.mf_end_ms = now_ms_ + kMfTimeoutMs;
    trace_command();
    if (takeover) {
      MARK("manual failover: takeover");
      Emit(EventKind::kManualFailover, me, me->replica_of, 0, "takeover");
      BumpConfigEpochWithoutConsensus();
      FailoverReplaceYourMaster();
    } else if (force) {
      MARK("manual failover: force");
      Emit(EventKind::kManualFailover, me, me->replica_of, 0, "force: election can start");
      cs_.mf_can_start = true;
    } else {
      MARK("manual failover: MFSTART sent");
      Emit(EventKind::kManualFailover, me, me->replica_of, 0, "requested, MFSTART sent");
      SendMfStart(me->replica_of);
    }
    return Reply::Ok();
  }
  if (sub == "set-config-epoch" && argc == 3) {
    long long epoch;
    if (!ParseLongLong(argv[2], &epoch)) return Reply::Error(kNotInteger);
    if (epoch < 0) {
      return Reply::Error(absl::StrCat("ERR Invalid config epoch specified: ", epoch));
    }
    if (cs_.nodes.size() > 1) {
      return Reply::Error(
          "ERR The user can assign a config epoch only when the node does not know any "
          "other node.");
    }
    if (me->config_epoch != Epoch(0)) {
      return Reply::Error("ERR Node config epoch is already non-zero");
    }
    SetConfigEpoch(me, Epoch(static_cast<uint64_t>(epoch)));
    if (cs_.current_epoch < me->config_epoch) SetCurrentEpoch(me->config_epoch);
    DoBeforeSleep(todo::kUpdateState | todo::kSaveConfig);
    trace_command();
    return Reply::Ok();
  }
  if (sub == "reset" && (argc == 2 || argc == 3)) {
    bool hard = false;
    if (argc == 3) {
      const std::string opt = absl::AsciiStrToLower(argv[2]);
      if (opt == "hard") {
        hard = true;
      } else if (opt != "soft") {
        return Reply::Error("ERR syntax error");
      }
    }
    if (me->is_master() && !keyspace_.empty()) {
      return Reply::Error("ERR CLUSTER RESET can't be called with master nodes containing keys");
    }
    trace_command();
    Reset(hard);
    return Reply::Ok();
  }
  if (sub == "links" && argc == 2) {
    std::vector<Reply> links;
    for (const auto& [id, link] : cs_.links) {
      if (link.node == nullptr) continue;
      links.push_back(Reply::Array({
          Reply::Bulk("direction"), Reply::Bulk(link.inbound ? "from" : "to"),
          Reply::Bulk("node"), Reply::Bulk(link.node->name.str()),
          Reply::Bulk("create-time"), Reply::Integer(link.ctime_ms),
          Reply::Bulk("events"), Reply::Bulk(link.inbound ? "r" : "rw"),
          Reply::Bulk("send-buffer-allocated"), Reply::Integer(0),
          Reply::Bulk("send-buffer-used"), Reply::Integer(0),
      }));
    }
    return Reply::Array(std::move(links));
  }
  return syntax_error();
}

}  // namespace slotsim::model
