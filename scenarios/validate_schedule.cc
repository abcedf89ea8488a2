// The schedule half of scenario validation: bootstrap steps, the fault
// schedule and its timeline, random fault generators, the heal phase and
// expectations. See validate.h for what is an error and why.

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

using google::protobuf::FieldDescriptor;

constexpr int64_t kMaxJumpMs = int64_t{10} * 365 * 24 * 3600 * 1000;  // ten years

// Times in a file can be anything; sums of them must not overflow.
int64_t AddSaturating(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return b > 0 ? kNoLimit : -kNoLimit - 1;
  return sum;
}

bool IsNetworkFault(Action::KindCase k) {
  return k == Action::kPartition || k == Action::kBlock || k == Action::kClog ||
         k == Action::kDelay;
}

bool IsAdmin(Action::KindCase k) {
  return k == Action::kFailover || k == Action::kReshard || k == Action::kRebalance ||
         k == Action::kAddNode || k == Action::kDelNode || k == Action::kFix ||
         k == Action::kCommand || k == Action::kCreate;
}

bool TakesDuration(Action::KindCase k) {
  return IsNetworkFault(k) || k == Action::kCrash || k == Action::kPause;
}

std::string KindName(const Action& a) {
  const FieldDescriptor* f = Action::descriptor()->FindFieldByNumber(a.kind_case());
  return f == nullptr ? "" : f->name();
}

std::vector<std::string> OneofNames(const google::protobuf::Descriptor* d,
                                    const char* oneof) {
  std::vector<std::string> out;
  const auto* o = d->FindOneofByName(oneof);
  for (int i = 0; i < o->field_count(); ++i) out.push_back(o->field(i)->name());
  return out;
}

int64_t IntOf(const Cursor& c, const char* field) {
  const auto& m = c.message();
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(field);
  return f->cpp_type() == FieldDescriptor::CPPTYPE_INT32
             ? m.GetReflection()->GetInt32(m, f)
             : m.GetReflection()->GetInt64(m, f);
}

// A simulated time within the safety phase.
void CheckTime(const Cursor& c, const char* field, Checker* ck) {
  const int64_t v = IntOf(c, field);
  if (v < 0) {
    ck->Error(c.At(field), absl::StrCat("must be >= 0, got ", v));
  } else if (v > ck->duration_ms) {
    ck->Error(c.At(field),
              absl::StrCat(v, " ms is after the end of the run (duration_ms = ",
                           ck->duration_ms, ")"));
  }
}

// A required node-name field.
bool NodeField(const Cursor& c, const char* field, Checker* ck) {
  return ck->Required(c, field) && ck->CheckName(c, field, -1, Endpoints::kNodes);
}

// An optional node-name field.
void OptionalNode(const Cursor& c, const char* field, Checker* ck) {
  const FieldDescriptor* f = c.message().GetDescriptor()->FindFieldByName(field);
  if (c.message().GetReflection()->HasField(c.message(), f)) {
    ck->CheckName(c, field, -1, Endpoints::kNodes);
  }
}

void CheckFloat(const Cursor& c, const char* field, float value, Checker* ck) {
  if (!(value >= 0)) ck->Error(c.At(field), absl::StrCat("must be >= 0, got ", value));
}

// ${name}, ${name.host}, ${name.port}, ${name.cport} in a command's argv.
void CheckSubstitutions(const Cursor& c, Checker* ck) {
  const std::vector<std::string> argv = Checker::Strings(c, "argv");
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

void ValidatePartition(const Cursor& c, Checker* ck) {
  if (!ck->Required(c, "group")) return;
  std::map<std::string, int> group_of;
  for (int g = 0; g < c.Get<Partition>().group_size(); ++g) {
    const Cursor gc = c.Child("group", g);
    if (!ck->Required(gc, "nodes")) continue;
    ck->CheckNames(gc, "nodes", Endpoints::kNodesAndClients);
    const std::vector<std::string> names = Checker::Strings(gc, "nodes");
    for (int i = 0; i < static_cast<int>(names.size()); ++i) {
      const auto [it, fresh] = group_of.emplace(names[i], g);
      if (!fresh && it->second != g) {
        ck->Error(gc.At("nodes", i), absl::StrCat("\"", names[i], "\" is already in ",
                                                  c.Child("group", it->second).path()));
      }
    }
  }
}

void ValidateCreate(const Cursor& c, Checker* ck) {
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

void ValidateKind(const Cursor& a, Checker* ck) {
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

void ValidateAction(const Cursor& a, bool bootstrap, Checker* ck) {
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

// ---- timeline

struct NodeState {
  bool crashed = false;
  bool paused = false;
  int64_t since_ms = 0;  // when the current crash or pause began
};

struct Event {
  int64_t at_ms;
  int priority;  // 0: automatic undo of an earlier action; 1: an action
  int index;     // faults[index]
  bool operator<(const Event& o) const {
    if (at_ms != o.at_ms) return at_ms < o.at_ms;
    if (priority != o.priority) return priority < o.priority;
    return index < o.index;
  }
};

class Timeline {
 public:
  Timeline(const Cursor& root, Checker* ck) : root_(root), ck_(ck) {
    const Scenario& s = root.Get<Scenario>();
    if (s.topology().bootstrap_size() == 0) {
      for (const NodeLayout& n : ck->layout().nodes) {
        if (n.role != RoleIntent::kSpare) members_.insert(n.name);
      }
    }
    for (const NodeLayout& n : ck->layout().nodes) state_[n.name];
  }

  void Run() {
    const Scenario& s = root_.Get<Scenario>();
    const Cursor topo = root_.Child("topology");
    for (int i = 0; i < s.topology().bootstrap_size(); ++i) {
      Membership(topo.Child("bootstrap", i), 0);
    }
    std::vector<Event> events;
    for (int i = 0; i < s.faults_size(); ++i) {
      const Action& a = s.faults(i);
      events.push_back({a.at_ms(), 1, i});
      if (a.has_duration_ms() && a.duration_ms() > 0 &&
          (a.kind_case() == Action::kCrash || a.kind_case() == Action::kPause)) {
        events.push_back({AddSaturating(a.at_ms(), a.duration_ms()), 0, i});
      }
    }
    std::sort(events.begin(), events.end());
    valid_.assign(s.faults_size(), true);
    for (const Event& e : events) {
      const Cursor a = root_.Child("faults", e.index);
      if (e.priority == 0) {
        if (valid_[e.index]) Undo(a.Get<Action>());
      } else {
        Apply(a, e.at_ms, e.index);
        order_.push_back(e.index);
      }
    }
  }

 private:
  bool Known(const std::string& node) const { return state_.count(node) > 0; }

  void Undo(const Action& a) {
    NodeState& st =
        state_[a.kind_case() == Action::kCrash ? a.crash().node() : a.pause().node()];
    if (a.kind_case() == Action::kCrash) st.crashed = false;
    if (a.kind_case() == Action::kPause) st.paused = false;
  }

  void Apply(const Cursor& a, int64_t t, int index) {
    const Action& act = a.Get<Action>();
    switch (act.kind_case()) {
      case Action::kCrash:
        Process(a, "crash", act.crash().node(), t, index);
        break;
      case Action::kRestart:
        Process(a, "restart", act.restart().node(), t, index);
        break;
      case Action::kPause:
        Process(a, "pause", act.pause().node(), t, index);
        break;
      case Action::kResume:
        Process(a, "resume", act.resume().node(), t, index);
        break;
      case Action::kHeal:
        Heal(a, t);
        break;
      default:
        Membership(a, t);
        break;
    }
  }

  void Process(const Cursor& a, const char* kind, const std::string& node, int64_t t,
               int index) {
    if (!Known(node)) return;  // reported already
    NodeState& st = state_[node];
    const Site site = a.Child(kind).At("node");
    std::string error;
    const std::string k = kind;
    if (k == "crash") {
      if (st.crashed)
        error = absl::StrCat(node, " is already crashed at ", t, " ms (since ",
                             st.since_ms, " ms)");
      else
        st = NodeState{true, false, t};
    } else if (k == "restart") {
      if (!st.crashed)
        error = absl::StrCat("restart of ", node, " at ", t, " ms, but ", node,
                             " is not crashed then");
      else
        st = NodeState{};
    } else if (k == "pause") {
      if (st.crashed)
        error = absl::StrCat(node, " is crashed at ", t, " ms (since ", st.since_ms,
                             " ms); a crashed node cannot be paused");
      else if (st.paused)
        error = absl::StrCat(node, " is already paused at ", t, " ms (since ",
                             st.since_ms, " ms)");
      else
        st = NodeState{false, true, t};
    } else if (k == "resume") {
      if (!st.paused)
        error = absl::StrCat("resume of ", node, " at ", t, " ms, but ", node,
                             " is not paused then");
      else
        st = NodeState{};
    }
    if (!error.empty()) {
      ck_->Error(site, error);
      valid_[index] = false;
    }
  }

  void Heal(const Cursor& a, int64_t t) {
    const Cursor h = a.Child("heal");
    const std::vector<std::string> ids = Checker::Strings(h, "fault");
    const Scenario& s = root_.Get<Scenario>();
    std::vector<std::string> all_ids;
    for (const Action& f : s.faults()) {
      if (!f.id().empty()) all_ids.push_back(f.id());
    }
    for (int i = 0; i < static_cast<int>(ids.size()); ++i) {
      int target = -1;
      for (int j = 0; j < s.faults_size(); ++j) {
        if (s.faults(j).id() == ids[i]) {
          target = j;
          break;
        }
      }
      if (target < 0) {
        std::string hint = DidYouMean(ids[i], all_ids);
        if (hint.empty() && !all_ids.empty())
          hint = absl::StrCat("ids are ", QuotedList(all_ids));
        if (all_ids.empty()) hint = "no fault has an id";
        ck_->Error(h.At("fault", i),
                   absl::StrCat("no fault has id \"", ids[i], "\"; ", hint));
        continue;
      }
      const Action& f = s.faults(target);
      if (!IsNetworkFault(f.kind_case())) {
        ck_->Error(h.At("fault", i), absl::StrCat("\"", ids[i], "\" is a ", KindName(f),
                                                  "; heal undoes network faults only"));
      } else if (std::find(order_.begin(), order_.end(), target) == order_.end()) {
        ck_->Error(h.At("fault", i),
                   absl::StrCat("fault \"", ids[i], "\" starts at ", f.at_ms(),
                                " ms, after this heal at ", t, " ms"));
      }
    }
  }

  void Membership(const Cursor& a, int64_t t) {
    const Action& act = a.Get<Action>();
    if (act.kind_case() == Action::kAddNode) {
      const std::string& n = act.add_node().node();
      if (!Known(n)) return;
      if (members_.count(n) > 0) {
        ck_->Error(a.Child("add_node").At("node"),
                   absl::StrCat(n, " is already in the cluster at ", t, " ms"));
      }
      members_.insert(n);
    } else if (act.kind_case() == Action::kDelNode) {
      const std::string& n = act.del_node().node();
      if (!Known(n)) return;
      if (members_.count(n) == 0) {
        ck_->Error(a.Child("del_node").At("node"),
                   absl::StrCat(n, " is not in the cluster at ", t, " ms"));
      }
      members_.erase(n);
    } else if (act.kind_case() == Action::kCreate) {
      const Cursor c = a.Child("create");
      std::vector<std::string> nodes = Checker::Strings(c, "nodes");
      const bool defaulted = nodes.empty();
      if (defaulted) {
        for (const NodeLayout& n : ck_->layout().nodes) {
          if (n.role != RoleIntent::kSpare) nodes.push_back(n.name);
        }
      }
      std::set<std::string> seen;
      for (int i = 0; i < static_cast<int>(nodes.size()); ++i) {
        if (!Known(nodes[i]) || !seen.insert(nodes[i]).second) continue;
        if (members_.count(nodes[i]) > 0) {
          ck_->Error(defaulted ? c.Here() : c.At("nodes", i),
                     absl::StrCat(nodes[i], " is already in a cluster at ", t,
                                  " ms; create needs empty nodes"));
          if (defaulted) break;
        }
        members_.insert(nodes[i]);
      }
    }
  }

  Cursor root_;
  Checker* ck_;
  std::map<std::string, NodeState> state_;
  std::set<std::string> members_;
  std::vector<bool> valid_;
  std::vector<int> order_;  // faults[] indices applied so far
};

// ---- generators, heal, expectations

void ValidateGenerators(const Cursor& root, Checker* ck) {
  const Cursor gens = root.Child("generators");
  const auto* d = FaultGenerators::descriptor();
  for (int f = 0; f < d->field_count(); ++f) {
    const std::string kind = d->field(f)->name();
    if (!gens.message().GetReflection()->HasField(gens.message(), d->field(f))) continue;
    const Cursor g = gens.Child(kind);
    const Generator& gen = g.Get<Generator>();
    ck->InRange(g, "mean_interval_ms", 1, kNoLimit);
    ck->InRange(g, "max_concurrent", 1, kMaxNodes);
    ck->InRange(g, "min_duration_ms", 0, kNoLimit);
    if (gen.max_duration_ms() < gen.min_duration_ms()) {
      ck->Error(g.At("max_duration_ms"),
                absl::StrCat("max_duration_ms (", gen.max_duration_ms(),
                             ") is below min_duration_ms (", gen.min_duration_ms(), ")"));
    }
    const bool network =
        kind == "partition" || kind == "block" || kind == "clog" || kind == "delay";
    ck->CheckNames(g, "nodes", network ? Endpoints::kNodesAndClients : Endpoints::kNodes);
    CheckTime(g, "start_ms", ck);
    CheckTime(g, "quiet_before_end_ms", ck);
    if (gen.start_ms() >= 0 && gen.quiet_before_end_ms() >= 0 &&
        gen.start_ms() >= ck->duration_ms - gen.quiet_before_end_ms()) {
      ck->Warning(g.Here(),
                  absl::StrCat("start_ms + quiet_before_end_ms leaves no time in the "
                               "run: this generator never fires"));
    }
    const bool instant = kind == "failover" || kind == "reshard" || kind == "clock_jump";
    if (instant) {
      ck->Unused(g, "min_duration_ms", absl::StrCat(kind, " faults are instantaneous"));
      ck->Unused(g, "max_duration_ms", absl::StrCat(kind, " faults are instantaneous"));
    }
    if (kind == "crash") {
      ck->InRange(g, "lose_unsynced_ppm", 0, kMillion);
    } else {
      ck->Unused(g, "lose_unsynced_ppm", "only the crash generator uses it");
    }
    if (kind == "clock_jump") {
      ck->InRange(g, "max_jump_ms", 0, kMaxJumpMs);
    } else {
      ck->Unused(g, "max_jump_ms", "only the clock_jump generator uses it");
    }
    if (kind == "delay") {
      ValidateDelay(g.Child("extra"), ck);
    } else {
      ck->Unused(g, "extra", "only the delay generator uses it");
    }
    if (kind == "reshard") {
      ck->InRange(g, "max_slots", 1, kSlotCount);
    } else {
      ck->Unused(g, "max_slots", "only the reshard generator uses it");
    }
    if (kind != "partition" && kind != "block") {
      ck->Unused(g, "mode", "only the partition and block generators use it");
    }
  }
}

void ValidateHeal(const Cursor& root, Checker* ck) {
  const Cursor h = root.Child("heal");
  const HealPhase& p = h.Get<HealPhase>();
  const bool ok = ck->InRange(h, "converge_node_timeouts", 0, 1000) &
                  ck->InRange(h, "converge_ms", 0, kNoLimit);
  if (ok && p.enabled() && p.converge_ms() == 0 &&
      (p.converge_node_timeouts() == 0 || ck->node_timeout_ms == 0)) {
    ck->Error(h.At("converge_node_timeouts"),
              "the convergence bound is 0 ms; set converge_node_timeouts or converge_ms");
  }
}

void ValidateExpectation(const Cursor& e, const Scenario& s, Checker* ck) {
  const Expectation& x = e.Get<Expectation>();
  if (x.has_at_ms()) CheckTime(e, "at_ms", ck);
  if (x.has_by_ms()) CheckTime(e, "by_ms", ck);
  if (x.what_case() == Expectation::WHAT_NOT_SET) {
    ck->Error(
        e.Here(),
        absl::StrCat("no expectation; set one of ",
                     absl::StrJoin(OneofNames(Expectation::descriptor(), "what"), ", ")));
    return;
  }
  const std::string kind =
      Expectation::descriptor()->FindFieldByNumber(x.what_case())->name();
  const Cursor c = e.Child(kind);
  switch (x.what_case()) {
    case Expectation::kRole:
      NodeField(c, "node", ck);
      ck->Required(c, "role");
      if (x.role().has_master()) {
        if (x.role().role() != RoleIs::REPLICA) {
          ck->Error(c.At("master"), "master applies to role REPLICA only");
        } else if (ck->CheckName(c, "master", -1, Endpoints::kNodes) &&
                   x.role().master() == x.role().node()) {
          ck->Error(c.At("master"), "a node cannot replicate itself");
        }
      }
      break;
    case Expectation::kOwns: {
      NodeField(c, "node", ck);
      if (ck->Required(c, "slots")) {
        std::vector<std::pair<SlotRange, int>> seen;
        for (int i = 0; i < x.owns().slots_size(); ++i) {
          absl::StatusOr<SlotRange> r = ParseSlotRange(x.owns().slots(i));
          if (!r.ok()) {
            ck->Error(c.At("slots", i), Std(r.status().message()));
            continue;
          }
          for (const auto& [other, j] : seen) {
            if (r->Overlaps(other)) {
              ck->Error(c.At("slots", i),
                        absl::StrCat("\"", x.owns().slots(i), "\" overlaps \"",
                                     x.owns().slots(j), "\""));
              break;
            }
          }
          seen.emplace_back(*r, i);
        }
      }
      ck->CheckNames(c, "observers", Endpoints::kNodes);
      break;
    }
    case Expectation::kClusterState:
      ck->CheckNames(c, "nodes", Endpoints::kNodes);
      break;
    case Expectation::kNoFailover:
      break;
    case Expectation::kFailovers:
      if (ck->Required(c, "count")) ck->InRange(c, "count", 0, kNoLimit);
      break;
    case Expectation::kFlaggedFail: {
      NodeField(c, "node", ck);
      ck->CheckNames(c, "observers", Endpoints::kNodes);
      for (int i = 0; i < x.flagged_fail().observers_size(); ++i) {
        if (x.flagged_fail().observers(i) == x.flagged_fail().node()) {
          ck->Error(c.At("observers", i), "a node never flags itself FAIL");
        }
      }
      break;
    }
    case Expectation::kWritesLost:
      ck->InRange(c, "max", 0, kNoLimit);
      if (s.workload().clients() == 0) {
        ck->Warning(c.Here(), "workload.clients is 0: there are no writes to lose");
      }
      break;
    case Expectation::kConfigEpoch:
      NodeField(c, "node", ck);
      ck->Required(c, "epoch");
      OptionalNode(c, "observer", ck);
      break;
    case Expectation::WHAT_NOT_SET:
      break;
  }
}

}  // namespace

void ValidateSchedule(const Cursor& root, Checker* ck) {
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
  if (ck->names_known()) Timeline(root, ck).Run();
  ValidateGenerators(root, ck);
  ValidateHeal(root, ck);
  for (int i = 0; i < s.expect_size(); ++i)
    ValidateExpectation(root.Child("expect", i), s, ck);
}

}  // namespace slotsim::scenarios
