#include "props/testing/harness.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sim/rng.h"

namespace slotsim::props::testing {

scenarios::WorldOptions Harness::Options(int masters, int replicas,
                                         int64_t node_timeout_ms, uint64_t seed,
                                         int spares) {
  model::NodeConfig base;
  base.cluster_node_timeout_ms = node_timeout_ms;
  scenarios::WorldOptions o;
  o.seed = seed;
  o.nodes = scenarios::ClusterSpecs(masters, replicas, spares, base);
  return o;
}

Harness::Harness(scenarios::WorldOptions options) {
  node_timeout_ms_ = 0;
  for (const scenarios::NodeSpec& s : options.nodes) {
    node_timeout_ms_ = std::max(node_timeout_ms_, s.config.cluster_node_timeout_ms);
  }
  world_ = std::make_unique<scenarios::World>(std::move(options));
  record_.nodes = world_->node_names();
  record_.seed = 0;
  scenarios::World* w = world_.get();
  w->simulator().AddAfterEventHook([this, w] {
    const int touched = w->TakeTouched();
    if (phase_ != scenarios::RunPhase::kSafety && phase_ != scenarios::RunPhase::kHeal)
      return;
    if (phase_ == scenarios::RunPhase::kHeal) convergence_.AfterEvent(*w, touched);
    for (scenarios::Checker* c : checkers_) c->AfterEvent(*w, touched);
  });
  w->AddEventListener([this, w](const scenarios::WorldEvent& e) {
    if (e.event.kind == model::EventKind::kPromoted) {
      scenarios::FailoverRecord f;
      f.failed_node = w->NameOfId(e.event.peer);
      f.promoted_node = e.node;
      f.promoted_at = e.at;
      f.config_epoch = static_cast<uint64_t>(e.event.value);
      record_.failovers.push_back(f);
    }
    for (scenarios::Checker* c : checkers_) c->OnNodeEvent(*w, e);
  });
  w->AddFaultListener([this, w](const scenarios::FaultEvent& f) {
    record_.faults.push_back(scenarios::FaultRecord{f.at, f.kind, f.nodes, f.detail, ""});
    convergence_.OnFault(*w, f);
    for (scenarios::Checker* c : checkers_) c->OnFault(*w, f);
  });
}

bool Harness::FormCluster(int masters, int replicas) {
  sim::Rng ids(world_->now().micros() + 12345);
  if (!scenarios::StartFormedCluster(*world_, scenarios::DefaultLayout(masters, replicas),
                                     ids)
           .ok()) {
    return false;
  }
  std::vector<std::string> names;
  for (const std::string& n : world_->node_names()) {
    if (n[0] != 's') names.push_back(n);
  }
  if (!scenarios::WaitForConvergence(*world_, names, sim::Duration::Seconds(60)))
    return false;
  record_.start = world_->now();
  EnterPhase(scenarios::RunPhase::kSafety);
  return true;
}

void Harness::EnterPhase(scenarios::RunPhase phase) {
  phase_ = phase;
  if (phase == scenarios::RunPhase::kHeal) convergence_.OnPhase(*world_, phase, record_);
  for (scenarios::Checker* c : checkers_) c->OnPhase(*world_, phase, record_);
}

model::Reply Harness::Command(const std::string& node,
                              const std::vector<std::string>& argv) {
  world_->NoteFault(
      scenarios::FaultEvent{world_->now(), "command", {node}, absl::StrJoin(argv, " ")});
  return world_->Command(node, argv);
}

bool Harness::Heal() {
  record_.safety_end = world_->now();
  world_->HealAll();
  for (const std::string& n : world_->node_names()) {
    if (world_->IsPaused(n)) world_->Resume(n);
    if (!world_->IsUp(n)) world_->Restart(n);
  }
  record_.heal_start = world_->now();
  record_.converge_bound = sim::Duration::Millis(10 * node_timeout_ms_);
  EnterPhase(scenarios::RunPhase::kHeal);
  const bool ok = world_->RunUntil([this] { return convergence_.converged(); },
                                   world_->now() + record_.converge_bound);
  record_.converged = ok;
  if (ok) record_.converged_at = convergence_.converged_at();
  return ok;
}

void Harness::Finish() {
  record_.end = world_->now();
  EnterPhase(scenarios::RunPhase::kEnd);
  for (scenarios::Checker* c : checkers_) c->Finish(*world_, record_);
}

std::vector<std::string> Harness::Violations() const {
  std::vector<std::string> out;
  for (const scenarios::Checker* c : checkers_) {
    for (const scenarios::Violation& v : c->violations()) {
      out.push_back(absl::StrCat(v.property, " at ", v.at.ToString(), ": ", v.message));
    }
  }
  return out;
}

}  // namespace slotsim::props::testing
