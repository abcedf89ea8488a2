#include "tools/sweep/workload_driver.h"

#include <vector>

#include "scenarios/command_links.h"
#include "scenarios/topology.h"
#include "scenarios/workload.h"
#include "scenarios/world.h"
#include "sim/check.h"

namespace slotsim::tools::sweep {

void WorkloadDriver::OnPhase(const scenarios::World&, scenarios::RunPhase phase,
                             const scenarios::RunRecord&) {
  if (phase != scenarios::RunPhase::kSafety || started_) return;
  if (!scenario_.has_workload() || scenario_.workload().clients() <= 0) return;
  CHECK(runner_ != nullptr) << "WorkloadDriver::Attach was not called";
  scenarios::World& world = runner_->world();
  const scenarios::WorkloadOptions options =
      scenarios::WorkloadFromProto(scenario_.workload(), scenario_.duration_ms());
  if (world.actor(options.name_prefix + "1") != nullptr) return;  // the runner's clients
  std::vector<scenarios::NodeAddress> seeds;
  for (const scenarios::NodeLayout& n : runner_->layout().nodes) {
    if (n.role == scenarios::RoleIntent::kSpare) continue;
    seeds.push_back({world.spec(n.name).config.ip, world.spec(n.name).config.port});
  }
  scenarios::AddWorkload(world, options, seeds, &history_);
  started_ = true;
}

const scenarios::History& ClientHistory(const scenarios::RunRecord& record,
                                        const WorkloadDriver& driver) {
  return record.history.ops().empty() ? driver.history() : record.history;
}

}  // namespace slotsim::tools::sweep
