// Scenario validation, schedule part: bootstrap steps and faults one by one,
// and ids. See validate.h for what is an error and why.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "scenarios/slot_ranges.h"
#include "scenarios/suggest.h"
#include "scenarios/sv.h"
#include "scenarios/validate_context.h"

namespace slotsim::scenarios {
namespace {

void CheckFloat(const Cursor& c, const char* field, float value, Validator* ck) {
  if (!(value >= 0)) ck->Error(c.At(field), absl::StrCat("must be >= 0, got ", value));
}

// ${name}, ${name.host}, ${name.port}, ${name.cport} in a command's argv.
void CheckSubstitutions(const Cursor& c, Validator* ck) {
  const std::vector<std::string> argv = Validator::Strings(c, "argv");
  for (int i = 0; i < static_cast<int>(argv.size()); ++i) {
    const std::string& a = argv[i];
    for (size_t at = a.find("${"); at != std::string::npos; at = a.find("${", at + 2)) {
      const size_t end = a.find('}', at);
      if (end == std::string::npos) {
        ck->Error(c.At("argv", i), absl::StrCat("unterminated \"${\" in \"", a, "\""));
        break;
      }
      std::string name = a.substr(at + 2, end - at - 2);
      const size_t dot = name.find('.');
      if (dot != std::string::npos) {
        const std::string part = name.substr(dot + 1);
        if (part != "host" && part != "port" && part != "cport") {
          ck->Error(c.At("argv", i),
                    absl::StrCat("\"${", name,
                                 "}\": expected ${node}, ${node.host}, ${node.port}"
                                 " or ${node.cport}"));
          continue;
        }
        name = name.substr(0, dot);
      }
      if (ck->names_known() && !ck->IsNode(name)) {
        std::string hint = DidYouMean(name, ck->layout().NodeNames());
        ck->Error(c.At("argv", i), absl::StrCat("\"${", a.substr(at + 2, end - at - 2),
                                                "}\" names unknown node \"", name, "\"",
                                                hint.empty() ? "" : "; ", hint));
      }
    }
  }
}

void ValidatePartition(const Cursor& c, Validator* ck) {
  if (!ck->Required(c, "group")) return;
  std::map<std::string, int> group_of;
  for (int g = 0; g < c.Get<Partition>().group_size(); ++g) {
    const Cursor gc = c.Child("group", g);
    if (!ck->Required(gc, "nodes")) continue;
    ck->CheckNames(gc, "nodes", Endpoints::kNodesAndClients);
    const std::vector<std::string> names = Validator::Strings(gc, "nodes");
    for (int i = 0; i < static_cast<int>(names.size()); ++i) {
      const auto [it, fresh] = group_of.emplace(names[i], g);
      if (!fresh && it->second != g) {
        ck->Error(gc.At("nodes", i), absl::StrCat("\"", names[i], "\" is already in ",
                                                  c.Child("group", it->second).path()));
      }
    }
  }
}

void ValidateCreate(const Cursor& c, Validator* ck) {
  const Create& cr = c.Get<Create>();
  ck->CheckNames(c, "nodes", Endpoints::kNodes);
  if (!ck->InRange(c, "replicas", 0, kMaxReplicasPerMaster)) return;
  const int replicas = cr.has_replicas() ? cr.replicas() : ck->replicas_per_master;
  int nodes = cr.nodes_size();
  if (nodes == 0 && ck->names_known()) {
    for (const NodeLayout& n : ck->layout().nodes) nodes += n.role != RoleIntent::kSpare;
  }
  const int masters = nodes / (replicas + 1);
  if (ck->names_known() && masters < 3) {
    ck->Error(cr.has_replicas() ? c.At("replicas") : c.Here(),
              absl::StrCat("redis-cli --cluster create needs at least 3 masters: ", nodes,
                           " nodes with ", replicas, " replica(s) per master give ",
                           masters, " (needs ", 3 * (replicas + 1), " nodes)"));
  }
}

void ValidateKind(const Cursor& a, Validator* ck) {
  const Action& act = a.Get<Action>();
  const Cursor c = a.Child(KindName(act));
  switch (act.kind_case()) {
    case Action::kPartition:
      ValidatePartition(c, ck);
      break;
    case Action::kBlock:
    case Action::kClog:
      ValidateLinkEnds(c, ck);
      break;
    case Action::kDelay:
      ValidateLinkEnds(c, ck);
      if (ck->Required(c, "extra")) ValidateDelay(c.Child("extra"), ck);
      break;
    case Action::kHeal:
      break;  // fault ids: in the timeline
    case Action::kCrash:
    case Action::kRestart:
    case Action::kPause:
    case Action::kResume:
    case Action::kFailover:
      NodeField(c, "node", ck);
      break;
    case Action::kClockJump:
      NodeField(c, "node", ck);
      if (ck->Required(c, "jump_ms")) ck->InRange(c, "jump_ms", -kMaxJumpMs, kMaxJumpMs);
      break;
    case Action::kReshard: {
      const Reshard& r = c.Get<Reshard>();
      if (NodeField(c, "to", ck)) {
        for (int i = 0; i < r.from_size(); ++i) {
          if (r.from(i) == r.to()) {
            ck->Error(c.At("from", i),
                      absl::StrCat("\"", r.to(), "\" is also the target (to)"));
          }
        }
      }
      ck->CheckNames(c, "from", Endpoints::kNodes);
      if (ck->Required(c, "slots")) ck->InRange(c, "slots", 1, kSlotCount);
      ck->InRange(c, "batch_keys", 1, kMillion);
      ck->InRange(c, "timeout_ms", 0, kNoLimit);
      OptionalNode(c, "via", ck);
      break;
    }
    case Action::kRebalance: {
      const Rebalance& r = c.Get<Rebalance>();
      std::set<std::string> seen;
      for (int i = 0; i < r.weight_size(); ++i) {
        const Cursor w = c.Child("weight", i);
        if (NodeField(w, "node", ck) && !seen.insert(r.weight(i).node()).second) {
          ck->Error(w.At("node"),
                    absl::StrCat("\"", r.weight(i).node(), "\" has two weights"));
        }
        CheckFloat(w, "weight", r.weight(i).weight(), ck);
      }
      CheckFloat(c, "threshold", r.threshold(), ck);
      ck->InRange(c, "batch_keys", 1, kMillion);
      ck->InRange(c, "timeout_ms", 0, kNoLimit);
      OptionalNode(c, "via", ck);
      break;
    }
    case Action::kAddNode: {
      const AddNode& n = c.Get<AddNode>();
      NodeField(c, "node", ck);
      OptionalNode(c, "existing", ck);
      if (n.has_existing() && n.existing() == n.node()) {
        ck->Error(c.At("existing"), "a node cannot meet itself");
      }
      if (n.has_master() && !n.replica()) {
        ck->Error(c.At("master"), "master applies only with replica: true");
      } else if (n.has_master()) {
        OptionalNode(c, "master", ck);
        if (n.master() == n.node())
          ck->Error(c.At("master"), "a node cannot replicate itself");
      }
      break;
    }
    case Action::kDelNode:
      NodeField(c, "node", ck);
      OptionalNode(c, "via", ck);
      break;
    case Action::kFix:
      OptionalNode(c, "via", ck);
      break;
    case Action::kCommand:
      NodeField(c, "node", ck);
      if (ck->Required(c, "argv")) CheckSubstitutions(c, ck);
      break;
    case Action::kCreate:
      ValidateCreate(c, ck);
      break;
    case Action::KIND_NOT_SET:
      break;
  }
}

void ValidateAction(const Cursor& a, bool bootstrap, Validator* ck) {
  const Action& act = a.Get<Action>();
  if (act.kind_case() == Action::KIND_NOT_SET) {
    ck->Error(
        a.Here(),
        absl::StrCat("no action; set one of ",
                     absl::StrJoin(OneofNames(Action::descriptor(), "kind"), ", ")));
    return;
  }
  const std::string kind = KindName(act);
  if (bootstrap && !IsAdmin(act.kind_case())) {
    ck->Error(a.At(kind),
              absl::StrCat("bootstrap steps are admin actions (create, add_node, "
                           "command, ...); \"",
                           kind, "\" is a fault"));
  }
  if (bootstrap || ck->Required(a, "at_ms")) CheckTime(a, "at_ms", ck);
  if (act.has_duration_ms()) {
    if (!TakesDuration(act.kind_case())) {
      ck->Error(a.At("duration_ms"),
                absl::StrCat("duration_ms applies to network faults, crash "
                             "and pause only, not to \"",
                             kind, "\""));
    } else {
      ck->InRange(a, "duration_ms", 1, kNoLimit);
    }
  }
  ValidateKind(a, ck);
}

}  // namespace

void ValidateSchedule(const Cursor& root, Validator* ck) {
  const Scenario& s = root.Get<Scenario>();
  const Cursor topo = root.Child("topology");

  // Ids are unique across bootstrap steps and faults.
  std::map<std::string, std::string> id_at;  // id -> path of its action
  auto check_id = [&](const Cursor& a) {
    const Action& act = a.Get<Action>();
    if (!act.has_id()) return;
    if (act.id().empty()) {
      ck->Error(a.At("id"), "empty id");
      return;
    }
    const auto [it, fresh] = id_at.emplace(act.id(), a.path());
    if (!fresh) {
      ck->Error(a.At("id"),
                absl::StrCat("id \"", act.id(), "\" is already used by ", it->second));
    }
  };
  for (int i = 0; i < s.topology().bootstrap_size(); ++i) {
    const Cursor a = topo.Child("bootstrap", i);
    check_id(a);
    ValidateAction(a, /*bootstrap=*/true, ck);
  }
  for (int i = 0; i < s.faults_size(); ++i) {
    const Cursor a = root.Child("faults", i);
    check_id(a);
    ValidateAction(a, /*bootstrap=*/false, ck);
  }
  CheckTimeline(root, ck);
  ValidateGenerators(root, ck);
  ValidateHeal(root, ck);
  for (int i = 0; i < s.expect_size(); ++i)
    ValidateExpectation(root.Child("expect", i), ck);
}

}  // namespace slotsim::scenarios
