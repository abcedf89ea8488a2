#include "tools/sweep/run_executor.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "props/registry.h"
#include "props/write_loss.h"
#include "scenarios/runner.h"
#include "scenarios/topology.h"
#include "sim/check.h"

namespace slotsim::tools::sweep {

std::vector<MasterSlots> StartingMasters(const scenarios::Scenario& scenario) {
  std::vector<MasterSlots> out;
  const scenarios::Layout layout = scenarios::ExpandTopology(scenario);
  for (const scenarios::NodeLayout& n : layout.nodes) {
    if (n.role == scenarios::RoleIntent::kMaster && !n.slots.empty()) {
      out.push_back(MasterSlots{n.name, n.slots});
    }
  }
  return out;
}

RunOutcome ExecuteRun(const scenarios::Scenario& scenario, uint64_t seed,
                      const ExecuteOptions& options) {
  std::vector<std::unique_ptr<scenarios::Checker>> properties;
  if (options.check_properties) {
    std::vector<std::string> names(scenario.properties().begin(), scenario.properties().end());
    auto made = props::MakeCheckers(names);
    CHECK(made.ok()) << made.status().message();  // names were validated at load
    properties = std::move(made).value();
  }
  MetricsCollector metrics;
  props::WriteLossChecker accounting;

  scenarios::RunOptions ro;
  ro.seed = seed;
  ro.checkers = {&metrics, &accounting};
  for (const auto& c : properties) ro.checkers.push_back(c.get());
  scenarios::Runner runner(scenario, ro);
  const scenarios::RunResult result = runner.Run();

  RunOutcome out;
  out.events = result.events;
  out.sim_time_ms = result.sim_time_ms;
  out.trace_hash = result.trace_hash;
  out.violations = static_cast<int64_t>(result.violations.size());

  MetricsCollector::Inputs in;
  in.result = &result;
  in.history = &result.record.history;
  in.writes_lost = accounting.summary().lost;
  in.net = &runner.world().network().stats();
  in.masters = StartingMasters(scenario);
  out.metrics = metrics.Compute(in);

  if (!result.error.empty()) {
    out.status = "error";
    out.detail = result.error;
  } else if (!result.violations.empty()) {
    const scenarios::Violation& v = result.violations.front();
    out.status = "violation";
    out.detail = absl::StrCat(v.property, " at ", (v.at - result.record.start).ToString(), ": ",
                              v.message);
  } else if (!result.expectations_held()) {
    out.status = "expectation";
    for (const scenarios::ExpectationOutcome& e : result.expectations) {
      if (!e.held) {
        out.detail = absl::StrCat(e.description, " (observed: ", e.observed, ")");
        break;
      }
    }
  } else {
    out.status = "ok";
  }
  return out;
}

}  // namespace slotsim::tools::sweep
