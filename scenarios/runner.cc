#include "scenarios/runner.h"

#include <algorithm>
#include <deque>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "model/cluster_state.h"
#include "model/keyslot.h"
#include "scenarios/cli_invocation.h"
#include "scenarios/cluster_manager.h"
#include "scenarios/cluster_setup.h"
#include "scenarios/fault_plan.h"
#include "scenarios/workload.h"
#include "scenarios/world_config.h"
#include "sim/check.h"

namespace slotsim::scenarios {
namespace {

constexpr uint32_t kTagAgenda = 0x200;

// Agenda priorities at one instant: undos first (scenario-format.md).
constexpr int kPriorityUndo = 0;
constexpr int kPriorityAction = 1;

sim::Duration Ms(int64_t ms) { return sim::Duration::Millis(ms); }

}  // namespace

const char* RunPhaseName(RunPhase p) {
  switch (p) {
    case RunPhase::kSetup: return "setup";
    case RunPhase::kSafety: return "safety";
    case RunPhase::kHeal: return "heal";
    case RunPhase::kEnd: return "end";
  }
  return "?";
}

bool RunResult::expectations_held() const {
  for (const ExpectationOutcome& e : expectations) {
    if (!e.held) return false;
  }
  return true;
}

// Timed callbacks of the runner, ordered by (time, priority, insertion), run
// from one kernel event per distinct instant.
struct Runner::Agenda {
  explicit Agenda(sim::Simulator& sim) : sim(sim) {}

  void Add(sim::Time at, int priority, std::function<void()> fn) {
    CHECK_GE(at, sim.now());
    items.emplace(std::make_tuple(at.micros(), priority, next_seq++), std::move(fn));
    if (instants.insert(at.micros()).second) {
      sim.Schedule(at, sim::EventTag{kTagAgenda, static_cast<uint64_t>(at.micros()), 0},
                   [this, at] { RunInstant(at); });
    }
  }

  void RunInstant(sim::Time at) {
    instants.erase(at.micros());
    while (!items.empty() && std::get<0>(items.begin()->first) == at.micros()) {
      std::function<void()> fn = std::move(items.begin()->second);
      items.erase(items.begin());
      fn();
    }
  }

  sim::Simulator& sim;
  std::map<std::tuple<int64_t, int, uint64_t>, std::function<void()>> items;
  std::set<int64_t> instants;
  uint64_t next_seq = 0;
};

// Admin actions, one at a time in schedule order.
class Runner::AdminQueue {
 public:
  explicit AdminQueue(Runner& r) : r_(r) {}
  void Arrive(const Action* a) {
    pending_.push_back(a);
    if (!busy_) StartNext();
  }
  bool busy() const { return busy_ || !pending_.empty(); }

 private:
  void StartNext() {
    if (pending_.empty()) {
      busy_ = false;
      return;
    }
    busy_ = true;
    const Action* a = pending_.front();
    pending_.pop_front();
    r_.StartAdmin(*a, [this] { StartNext(); });
  }
  Runner& r_;
  std::deque<const Action*> pending_;
  bool busy_ = false;
};

Runner::Runner(Scenario scenario, RunOptions options)
    : scenario_(std::move(scenario)), options_(std::move(options)) {
  seed_ = options_.seed.has_value() ? *options_.seed
                                    : (scenario_.has_seed() ? scenario_.seed() : 1);
}

Runner::~Runner() = default;

// ---------------------------------------------------------------- setup

void Runner::Setup() {
  layout_ = ExpandTopology(scenario_);
  world_ = std::make_unique<World>(MakeWorldOptions(scenario_, layout_, seed_));
  agenda_ = std::make_unique<Agenda>(world_->simulator());
  admin_ = std::make_unique<AdminQueue>(*this);
  failovers_ = std::make_unique<FailoverTracker>(*world_);
  record_.seed = seed_;
  record_.nodes = world_->node_names();
  record_.start = world_->now();
  if (options_.trace_sink != nullptr) world_->simulator().set_trace_sink(options_.trace_sink);

  // Per-link overrides of the network model.
  for (const LinkModel& l : scenario_.network().link()) {
    sim::LinkOptions o = DefaultLinkOptions(scenario_.network());
    if (l.has_delay()) o.delay = DelayModelOf(l.delay());
    if (l.has_loss_ppm()) o.loss = sim::Ratio{l.loss_ppm(), 1000000};
    if (l.has_duplicate_ppm()) o.duplicate = sim::Ratio{l.duplicate_ppm(), 1000000};
    if (l.has_reorder_ppm()) o.reorder = sim::Ratio{l.reorder_ppm(), 1000000};
    std::vector<std::string> from(l.from().begin(), l.from().end());
    std::vector<std::string> to(l.to().begin(), l.to().end());
    if (to.empty()) to = Others(from);
    for (const std::string& a : from) {
      for (const std::string& b : to) {
        for (sim::EndpointId ea : world_->EndpointsOf(a)) {
          for (sim::EndpointId eb : world_->EndpointsOf(b)) {
            world_->network().SetLink(ea, eb, o);
            if (l.both_ways()) world_->network().SetLink(eb, ea, o);
          }
        }
      }
    }
  }

  world_->AddEventListener([this](const WorldEvent& e) {
    failovers_->OnEvent(e);
    if (e.event.kind == model::EventKind::kPromoted) {
      record_.failovers = failovers_->failovers();
    }
    for (Checker* c : options_.checkers) c->OnNodeEvent(*world_, e);
    if (options_.on_event) options_.on_event(e);
  });
  world_->AddFaultListener([this](const FaultEvent& f) {
    for (Checker* c : options_.checkers) c->OnFault(*world_, f);
  });
  world_->simulator().AddAfterEventHook([this] {
    const int touched = world_->TakeTouched();
    if (phase_ != RunPhase::kSafety && phase_ != RunPhase::kHeal) return;
    for (Checker* c : options_.checkers) {
      const size_t before = c->violations().size();
      c->AfterEvent(*world_, touched);
      if (options_.stop_on_violation && c->violations().size() > before) stop_ = true;
    }
  });

  if (layout_.formed) {
    std::vector<ShardLayout> shards;
    for (const NodeLayout& n : layout_.nodes) {
      if (n.role == RoleIntent::kSpare) continue;
      ShardLayout s;
      s.name = n.name;
      s.master = n.role == RoleIntent::kMaster;
      s.master_name = n.master;
      for (const SlotRange& r : n.slots) s.slots.emplace_back(r.first, r.last);
      s.config_epoch = n.config_epoch;
      shards.push_back(std::move(s));
    }
    sim::Rng ids = sim::Rng(seed_).Fork("node-ids");
    absl::Status st = StartFormedCluster(*world_, shards, ids);
    CHECK(st.ok()) << st.message();
    if (scenario_.workload().preload()) Preload();
  } else {
    world_->StartAllFresh();
    for (const Action& a : scenario_.topology().bootstrap()) {
      const Action* ap = &a;
      Schedule(a.at_ms(), kPriorityAction, "bootstrap", [this, ap] { admin_->Arrive(ap); });
    }
  }

  // The workload: only when the scenario has a workload section.
  if (scenario_.has_workload() && scenario_.workload().clients() > 0) {
    std::vector<NodeAddress> seeds;
    for (const NodeLayout& n : layout_.nodes) {
      if (n.role != RoleIntent::kSpare) seeds.push_back(NodeAddress{n.host, n.port});
    }
    AddWorkload(*world_, WorkloadFromProto(scenario_.workload(), scenario_.duration_ms()), seeds,
                &record_.history);
  }
}

// Workload.preload: every key goes to the master that owns its slot in the
// formed layout, written in-process (as redis-cli on localhost would) as soon
// as that master reports cluster_state ok -- before that it would refuse the
// SET -- checked every 100 ms from time zero inside agenda events. A key a
// client wrote first is left alone. Replicas get the keys through the
// replication stream.
void Runner::Preload() {
  std::vector<const std::string*> owner(model::kClusterSlots, nullptr);
  for (const NodeLayout& n : layout_.nodes) {
    if (n.role != RoleIntent::kMaster) continue;
    for (const SlotRange& r : n.slots) {
      for (int j = r.first; j <= r.last; ++j) owner[static_cast<size_t>(j)] = &n.name;
    }
  }
  const Workload& w = scenario_.workload();
  for (int64_t i = 0; i < w.keys(); ++i) {
    const std::string* node =
        owner[static_cast<size_t>(model::KeyHashSlot(WorkloadKey(w.hash_tags(), i)))];
    if (node != nullptr) preload_[*node].push_back(i);
  }
  Schedule(0, kPriorityAction, "preload", [this] { PreloadStep(); });
}

void Runner::PreloadStep() {
  const Workload& w = scenario_.workload();
  for (auto it = preload_.begin(); it != preload_.end();) {
    const std::string& name = it->first;
    const model::Node* n = world_->node(name);
    if (n == nullptr || world_->IsPaused(name) || !n->is_master() ||
        n->cluster().state != model::ClusterHealth::kOk) {
      ++it;
      continue;
    }
    for (int64_t i : it->second) {
      const std::string key = WorkloadKey(w.hash_tags(), i);
      if (world_->node(name)->keyspace().Exists(key)) continue;
      world_->Command(name, {"SET", key,
                             WorkloadValue("preload", static_cast<uint64_t>(i), w.value_bytes())});
    }
    it = preload_.erase(it);
  }
  if (!preload_.empty()) {
    Schedule(record_.ms(world_->now()) + 100, kPriorityAction, "preload",
             [this] { PreloadStep(); });
  }
}

void Runner::Schedule(int64_t at_ms, int priority, std::string tag, std::function<void()> fn) {
  (void)tag;
  agenda_->Add(At(at_ms), priority, std::move(fn));
}

// ---------------------------------------------------------------- actions

std::vector<std::string> Runner::AllEndpointNames() const {
  std::vector<std::string> out = world_->node_names();
  for (const std::string& c : layout_.clients) {
    if (world_->actor(c) != nullptr) out.push_back(c);
  }
  return out;
}

std::vector<std::string> Runner::Others(const std::vector<std::string>& names) const {
  std::set<std::string> skip(names.begin(), names.end());
  std::vector<std::string> out;
  for (const std::string& n : AllEndpointNames()) {
    if (!skip.count(n)) out.push_back(n);
  }
  return out;
}

std::string Runner::Substitute(const std::string& arg) const {
  std::string out;
  size_t i = 0;
  while (i < arg.size()) {
    const size_t open = arg.find("${", i);
    if (open == std::string::npos) break;
    const size_t close = arg.find('}', open);
    if (close == std::string::npos) break;
    out += arg.substr(i, open - i);
    std::string key = arg.substr(open + 2, close - open - 2);
    std::string field;
    if (size_t dot = key.find('.'); dot != std::string::npos) {
      field = key.substr(dot + 1);
      key = key.substr(0, dot);
    }
    const NodeSpec& spec = world_->spec(key);
    if (field.empty()) {
      const model::Node* n = world_->node(key);
      out += n != nullptr ? n->name().str() : std::string(40, '0');
    } else if (field == "host") {
      out += spec.config.ip;
    } else if (field == "port") {
      out += std::to_string(spec.config.port);
    } else if (field == "cport") {
      out += std::to_string(spec.config.cport);
    }
    i = close + 1;
  }
  out += arg.substr(i);
  return out;
}

void Runner::RecordFault(const std::string& kind, std::vector<std::string> nodes,
                         std::string detail, const std::string& id) {
  FaultRecord f{world_->now(), kind, std::move(nodes), std::move(detail), id};
  if (options_.on_fault) options_.on_fault(f);
  record_.faults.push_back(std::move(f));
}

void Runner::ScheduleActions() {
  std::vector<Action> generated = GenerateFaults(scenario_, layout_, sim::Rng(seed_));
  for (const Action& a : generated) *scenario_.add_faults() = a;
  for (const Action& a : scenario_.faults()) {
    const Action* ap = &a;
    switch (a.kind_case()) {
      case Action::kFailover:
      case Action::kReshard:
      case Action::kRebalance:
      case Action::kAddNode:
      case Action::kDelNode:
      case Action::kFix:
      case Action::kCommand:
      case Action::kCreate:
        Schedule(a.at_ms(), kPriorityAction, "admin", [this, ap] { admin_->Arrive(ap); });
        break;
      default:
        Schedule(a.at_ms(), kPriorityAction, "fault", [this, ap] { ApplyFault(*ap); });
        break;
    }
  }
}

void Runner::ApplyFault(const Action& a) {
  const std::string id = a.has_id() ? a.id() : absl::StrCat("action@", a.at_ms());
  const NetworkModel& net = scenario_.network();
  std::vector<sim::FaultId> ids;
  switch (a.kind_case()) {
    case Action::kPartition: {
      std::vector<std::vector<std::string>> groups;
      std::vector<std::string> named;
      for (const Group& g : a.partition().group()) {
        groups.emplace_back(g.nodes().begin(), g.nodes().end());
        named.insert(named.end(), g.nodes().begin(), g.nodes().end());
      }
      std::vector<std::string> rest = Others(named);
      if (!rest.empty()) groups.push_back(rest);
      ids = world_->Partition(groups, FaultModeOf(net, a.partition().has_mode(),
                                                  a.partition().mode()));
      std::vector<std::string> parts;
      for (const auto& g : groups) parts.push_back(absl::StrJoin(g, ","));
      RecordFault("partition", named, absl::StrJoin(parts, " | "), id);
      break;
    }
    case Action::kBlock: {
      std::vector<std::string> from(a.block().from().begin(), a.block().from().end());
      std::vector<std::string> to(a.block().to().begin(), a.block().to().end());
      if (to.empty()) to = Others(from);
      ids.push_back(world_->BlockOneWay(
          from, to, FaultModeOf(net, a.block().has_mode(), a.block().mode())));
      RecordFault("block", from, absl::StrCat(absl::StrJoin(from, ","), " -> ",
                                              absl::StrJoin(to, ",")), id);
      break;
    }
    case Action::kClog: {
      std::vector<std::string> from(a.clog().from().begin(), a.clog().from().end());
      std::vector<std::string> to(a.clog().to().begin(), a.clog().to().end());
      const sim::Duration d =
          a.has_duration_ms() ? Ms(a.duration_ms()) : sim::Duration::Seconds(365 * 86400);
      if (to.empty()) {
        ids = world_->Clog(from, d);
      } else {
        for (const std::string& x : from) {
          for (const std::string& y : to) {
            for (sim::EndpointId ex : world_->EndpointsOf(x)) {
              for (sim::EndpointId ey : world_->EndpointsOf(y)) {
                ids.push_back(world_->network().ClogPair(ex, ey, d));
              }
            }
          }
        }
      }
      RecordFault("clog", from, to.empty() ? "all links" : absl::StrJoin(to, ","), id);
      break;
    }
    case Action::kDelay: {
      std::vector<std::string> from(a.delay().from().begin(), a.delay().from().end());
      std::vector<std::string> to(a.delay().to().begin(), a.delay().to().end());
      if (to.empty()) to = Others(from);
      const sim::Duration extra = sim::Duration::Micros(a.delay().extra().mean_us());
      ids.push_back(world_->ExtraDelay(from, to, extra, a.delay().both_ways()));
      RecordFault("delay", from, "+" + extra.ToString(), id);
      break;
    }
    case Action::kHeal: {
      if (a.heal().fault().empty()) {
        world_->HealAll();
        fault_ids_.clear();
        RecordFault("heal", {}, "all network faults", id);
      } else {
        for (const std::string& f : a.heal().fault()) {
          for (sim::FaultId fid : fault_ids_[f]) world_->Heal(fid);
          fault_ids_.erase(f);
        }
        RecordFault("heal", {}, absl::StrJoin(a.heal().fault(), ","), id);
      }
      return;
    }
    case Action::kCrash: {
      const bool lose = a.crash().lose_unsynced();
      world_->Crash(a.crash().node(), lose ? sim::CrashKind::kPowerLoss
                                           : sim::CrashKind::kProcess);
      RecordFault(lose ? "crash-lose-unsynced" : "crash", {a.crash().node()}, "", id);
      break;
    }
    case Action::kRestart: {
      if (a.restart().wipe()) {
        world_->WipeDisk(a.restart().node());
      }
      world_->Restart(a.restart().node());
      RecordFault("restart", {a.restart().node()}, a.restart().wipe() ? "wiped" : "", id);
      return;
    }
    case Action::kPause:
      world_->Pause(a.pause().node());
      RecordFault("pause", {a.pause().node()}, "", id);
      break;
    case Action::kResume:
      world_->Resume(a.resume().node());
      RecordFault("resume", {a.resume().node()}, "", id);
      return;
    case Action::kClockJump:
      world_->JumpClock(a.clock_jump().node(), Ms(a.clock_jump().jump_ms()));
      RecordFault("clock-jump", {a.clock_jump().node()},
                  absl::StrCat(a.clock_jump().jump_ms(), "ms"), id);
      return;
    default:
      CHECK(false) << "not a fault action";
  }
  if (!ids.empty()) {
    auto& slot = fault_ids_[id];
    slot.insert(slot.end(), ids.begin(), ids.end());
  }
  if (a.has_duration_ms()) {
    const Action* ap = &a;
    const int64_t undo_at = (world_->now() - record_.start).millis() + a.duration_ms();
    Schedule(undo_at, kPriorityUndo, "undo", [this, ap, ids, id] {
      switch (ap->kind_case()) {
        case Action::kCrash:
          world_->Restart(ap->crash().node());
          RecordFault("restart", {ap->crash().node()}, "after " + Ms(ap->duration_ms()).ToString(), id);
          break;
        case Action::kPause:
          world_->Resume(ap->pause().node());
          RecordFault("resume", {ap->pause().node()}, "after " + Ms(ap->duration_ms()).ToString(), id);
          break;
        default: {
          for (sim::FaultId fid : ids) world_->Heal(fid);
          auto it = fault_ids_.find(id);
          if (it != fault_ids_.end()) {
            auto& v = it->second;
            for (sim::FaultId fid : ids) v.erase(std::remove(v.begin(), v.end(), fid), v.end());
            if (v.empty()) fault_ids_.erase(it);
          }
          RecordFault("heal", {}, id + " after " + Ms(ap->duration_ms()).ToString(), id);
          break;
        }
      }
    });
  }
}

void Runner::StartAdmin(const Action& a, std::function<void()> done) {
  const std::string id = a.has_id() ? a.id() : "";
  switch (a.kind_case()) {
    case Action::kFailover: {
      std::vector<std::string> argv = {"CLUSTER", "FAILOVER"};
      if (a.failover().mode() == Failover::FORCE) argv.push_back("FORCE");
      if (a.failover().mode() == Failover::TAKEOVER) argv.push_back("TAKEOVER");
      failovers_->NoteManualFailover(a.failover().node());
      model::Reply r = world_->Command(a.failover().node(), argv);
      RecordFault("failover", {a.failover().node()},
                  absl::StrCat(absl::StrJoin(argv, " "), " -> ", r.is_error() ? "-" : "",
                               r.str()),
                  id);
      done();
      return;
    }
    case Action::kCommand: {
      std::vector<std::string> argv;
      for (const std::string& s : a.command().argv()) argv.push_back(Substitute(s));
      model::Reply r = world_->Command(a.command().node(), argv);
      std::string shown = r.kind() == model::Reply::Kind::kInteger ? std::to_string(r.integer())
                                                                   : r.str();
      if (shown.size() > 80) shown = shown.substr(0, 77) + "...";
      RecordFault("command", {a.command().node()},
                  absl::StrCat(absl::StrJoin(argv, " "), " -> ", r.is_error() ? "-" : "",
                               shown),
                  id);
      done();
      return;
    }
    default:
      break;
  }
  CHECK(IsCliAction(a));
  std::vector<std::string> create_nodes;
  for (const NodeLayout& n : layout_.nodes) {
    if (n.role != RoleIntent::kSpare) create_nodes.push_back(n.name);
  }
  const std::string kind = Action::descriptor()->FindFieldByNumber(a.kind_case())->name();
  absl::StatusOr<CliInvocation> inv = CliInvocationFromAction(
      a, *world_, scenario_.topology().replicas_per_master(), create_nodes);
  if (!inv.ok()) {
    RecordFault(kind + "-failed", {}, std::string(inv.status().message()), id);
    done();
    return;
  }
  const std::string actor = absl::StrCat("redis-cli-", ++cli_runs_);
  RecordFault(kind, {}, "redis-cli --cluster " + kind + " (" + actor + ")", id);
  auto on_done = [this, kind, actor, id, done](const ClusterManagerResult& r) {
    record_.cli_runs.push_back(CliRunRecord{actor, kind, r.ok, r.error, r.step, ""});
    if (const Actor* a = world_->actor(actor)) {
      record_.cli_runs.back().output =
          static_cast<const ClusterManager*>(a)->output();
    }
    RecordFault(kind + (r.ok ? "-done" : "-failed"), {},
                r.ok ? "ok" : r.error + " (during " + r.step + ")", id);
    done();
  };
  world_->AddActor(actor, "10.0.0.100",
                   std::make_unique<ClusterManager>(inv->command, inv->options, on_done));
}

// ---------------------------------------------------------------- running

bool Runner::Converged() const {
  const model::ClusterState* ref = nullptr;
  for (const std::string& name : world_->node_names()) {
    const model::Node* n = world_->node(name);
    if (n == nullptr || world_->IsPaused(name)) continue;
    const model::ClusterState& cs = n->cluster();
    if (cs.nodes.size() < 2) continue;  // not in the cluster (spare)
    if (cs.state != model::ClusterHealth::kOk) return false;
    if (ref == nullptr) {
      ref = &cs;
      continue;
    }
    if (ref->nodes.size() != cs.nodes.size()) return false;
    for (int j = 0; j < model::kClusterSlots; ++j) {
      const model::ClusterNode* a = ref->slots[j];
      const model::ClusterNode* b = cs.slots[j];
      if ((a == nullptr) != (b == nullptr)) return false;
      if (a != nullptr && a->name != b->name) return false;
    }
    for (const auto& rn : ref->nodes) {
      const model::ClusterNode* o = cs.Find(rn->name);
      if (o == nullptr || rn->is_master() != o->is_master()) return false;
      if (rn->is_master() && rn->num_slots > 0 && rn->config_epoch != o->config_epoch) {
        return false;
      }
      const model::ClusterNode* rm = rn->replica_of;
      const model::ClusterNode* om = o->replica_of;
      if ((rm == nullptr) != (om == nullptr)) return false;
      if (rm != nullptr && rm->name != om->name) return false;
    }
  }
  return ref != nullptr;
}

void Runner::CheckTimedExpectations(bool final_check) {
  ExpectationEvaluator eval(*world_, record_, [this]() -> int64_t {
    return options_.lost_writes ? options_.lost_writes(*world_, record_) : -1;
  });
  const int64_t now_ms = record_.ms(world_->now());
  for (int i = 0; i < scenario_.expect_size(); ++i) {
    if (decided_[i]) continue;
    const Expectation& e = scenario_.expect(i);
    ExpectationOutcome& out = outcomes_[i];
    bool decide = false;
    switch (e.when_case()) {
      case Expectation::kAtMs: decide = now_ms >= e.at_ms(); break;
      case Expectation::kByMs: decide = true; break;
      case Expectation::WHEN_NOT_SET: decide = final_check; break;
    }
    if (!decide) continue;
    if (e.when_case() == Expectation::kByMs && now_ms > e.by_ms()) {
      decided_[i] = true;  // never held in time: keep the last observation
      continue;
    }
    if (e.what_case() == Expectation::kWritesLost && !options_.lost_writes) {
      out.held = false;
      out.observed = "no write-loss analysis in this run";
      decided_[i] = true;
      continue;
    }
    out.held = eval.Holds(e, &out.observed);
    out.checked_at_ms = now_ms;
    if (e.when_case() != Expectation::kByMs || out.held) decided_[i] = true;
  }
  if (final_check) {
    for (size_t i = 0; i < decided_.size(); ++i) decided_[i] = true;
  }
}

RunResult Runner::Run() {
  RunResult result;
  Setup();
  result.seed = seed_;
  outcomes_.resize(scenario_.expect_size());
  decided_.assign(scenario_.expect_size(), false);
  for (int i = 0; i < scenario_.expect_size(); ++i) {
    outcomes_[i].index = i;
    outcomes_[i].description = ExpectationEvaluator::Describe(scenario_.expect(i));
  }
  ScheduleActions();

  phase_ = RunPhase::kSafety;
  for (Checker* c : options_.checkers) c->OnPhase(*world_, RunPhase::kSafety, record_);
  const sim::Time safety_end = At(scenario_.duration_ms());
  const int64_t nt_ms = layout_.nodes.empty()
                            ? 15000
                            : layout_.nodes.front().knobs.cluster_node_timeout();
  record_.converge_bound = Ms(scenario_.heal().converge_node_timeouts() * nt_ms +
                              scenario_.heal().converge_ms());
  const bool heal = scenario_.heal().enabled();
  const sim::Time planned_end = heal ? safety_end + record_.converge_bound : safety_end;

  // Expectation instants the loop must stop at.
  std::set<int64_t> stops;
  for (const Expectation& e : scenario_.expect()) {
    if (e.when_case() == Expectation::kAtMs) stops.insert(At(e.at_ms()).micros());
    if (e.when_case() == Expectation::kByMs) stops.insert(At(e.by_ms()).micros());
  }
  // Runs in steps that end on multiples of 100 ms (and at expectation
  // instants), checking timed expectations and recording checkpoints between
  // steps. Steps never create events, so they cannot change the run.
  const sim::Duration step = sim::Duration::Millis(100);
  const sim::Time cap =
      options_.stop_at_ms.has_value() ? At(*options_.stop_at_ms) : sim::Time::Max();
  auto run_to = [&](sim::Time end, const std::function<bool()>& done) {
    if (end >= cap) end = cap;
    sim::Time last_progress = world_->now();
    while (world_->now() < end && !stop_) {
      const int64_t since = (world_->now() - record_.start).micros();
      sim::Time next = record_.start + sim::Duration::Micros((since / step.micros() + 1) *
                                                             step.micros());
      if (next > end) next = end;
      auto s = stops.upper_bound(world_->now().micros());
      if (s != stops.end() && *s < next.micros()) next = sim::Time::FromMicros(*s);
      if (options_.stop_on_violation) {
        world_->RunUntil([this] { return stop_; }, next);
      } else {
        world_->RunUntil(next);
      }
      const sim::Duration elapsed = world_->now() - record_.start;
      if (!stop_ && elapsed.micros() > 0 &&
          elapsed % record_.checkpoint_interval == sim::Duration::Zero()) {
        record_.checkpoints.push_back(world_->trace_hash());
      }
      CheckTimedExpectations(false);
      if (options_.progress && world_->now() - last_progress >= sim::Duration::Seconds(1)) {
        last_progress = world_->now();
        options_.progress(static_cast<double>((world_->now() - record_.start).micros()) /
                          static_cast<double>(std::max<int64_t>(
                              1, (planned_end - record_.start).micros())));
      }
      if (done && done()) return;
    }
    if (world_->now() >= cap) stop_ = true;
  };

  run_to(safety_end, nullptr);
  record_.safety_end = world_->now();

  if (heal && !stop_) {
    phase_ = RunPhase::kHeal;
    HealPhase();
    record_.heal_start = world_->now();
    for (Checker* c : options_.checkers) c->OnPhase(*world_, RunPhase::kHeal, record_);
    const sim::Time bound = world_->now() + record_.converge_bound;
    run_to(bound, [this] {
      if (admin_->busy() || !Converged()) return false;
      record_.converged = true;
      record_.converged_at = world_->now();
      return true;
    });
  }

  phase_ = RunPhase::kEnd;
  record_.end = world_->now();
  record_.failovers = failovers_->failovers();
  for (Checker* c : options_.checkers) c->OnPhase(*world_, RunPhase::kEnd, record_);
  for (Checker* c : options_.checkers) c->Finish(*world_, record_);
  CheckTimedExpectations(true);

  result.record = record_;
  result.trace_hash = world_->trace_hash();
  result.events = world_->simulator().events_dispatched();
  result.sim_time_ms = record_.ms(world_->now());
  result.expectations = outcomes_;
  result.fail_episodes = failovers_->fail_episodes();
  for (Checker* c : options_.checkers) {
    result.violations.insert(result.violations.end(), c->violations().begin(),
                             c->violations().end());
  }
  std::stable_sort(result.violations.begin(), result.violations.end(),
                   [](const Violation& a, const Violation& b) { return a.at < b.at; });
  return result;
}

void Runner::HealPhase() {
  world_->HealAll();
  fault_ids_.clear();
  RecordFault("heal", {}, "heal phase: all network faults", "");
  for (const std::string& name : world_->node_names()) {
    if (!world_->IsStarted(name)) continue;
    if (scenario_.heal().resume_paused() && world_->IsPaused(name)) {
      world_->Resume(name);
      RecordFault("resume", {name}, "heal phase", "");
    }
    if (scenario_.heal().restart_crashed() && !world_->IsUp(name)) {
      world_->Restart(name);
      RecordFault("restart", {name}, "heal phase", "");
    }
  }
}

}  // namespace slotsim::scenarios
