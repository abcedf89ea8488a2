#include "tools/sweep/sweep_plan.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scenarios/loader.h"
#include "sim/check.h"
#include "sim/hash.h"

namespace slotsim::tools::sweep {

absl::StatusOr<SweepPlan> SweepPlan::Load(const std::string& sweep_path,
                                          const PlanOptions& options) {
  absl::StatusOr<scenarios::LoadedSweep> loaded = scenarios::LoadSweepFile(sweep_path);
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<std::string> base = scenarios::ReadTextFile(loaded->base_path);
  if (!base.ok()) {
    return absl::NotFoundError(
        absl::StrCat(sweep_path, ": base scenario: ", base.status().message()));
  }
  return Build(*loaded, *base, options);
}

absl::StatusOr<SweepPlan> SweepPlan::Build(const scenarios::LoadedSweep& loaded,
                                           const std::string& base_text,
                                           const PlanOptions& options) {
  const scenarios::Sweep& sw = loaded.sweep;
  SweepPlan plan;
  plan.name_ = sw.name();
  plan.seeds_per_point_ = options.seeds_per_point.value_or(sw.seeds_per_point());
  plan.first_seed_ = sw.first_seed();
  if (plan.seeds_per_point_ < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("seeds per point must be at least 1, got ", plan.seeds_per_point_));
  }
  for (const scenarios::Axis& a : sw.axis()) {
    plan.axes_.push_back(
        AxisInfo{a.label().empty() ? a.path() : a.label(), a.path(), scenarios::AxisValues(a)});
  }
  const std::vector<std::vector<std::string>> points = scenarios::SweepPoints(sw);
  const size_t n_axes = plan.axes_.size();
  std::vector<std::string> errors;
  for (size_t p = 0; p < points.size(); ++p) {
    const std::vector<std::string>& overrides = points[p];
    CHECK_GE(overrides.size(), n_axes);
    PlannedPoint point;
    for (size_t i = overrides.size() - n_axes; i < overrides.size(); ++i) {
      const size_t eq = overrides[i].find('=');
      CHECK(eq != std::string::npos);
      point.values.push_back(overrides[i].substr(eq + 1));
    }
    scenarios::LoadOptions lo;
    lo.overrides = overrides;
    lo.known_properties = options.known_properties;
    absl::StatusOr<scenarios::LoadedScenario> s =
        scenarios::LoadScenarioText(base_text, loaded.base_path, lo);
    if (!s.ok()) {
      std::vector<std::string> where;
      for (size_t i = 0; i < n_axes; ++i) {
        where.push_back(absl::StrCat(plan.axes_[i].label, "=", point.values[i]));
      }
      errors.push_back(absl::StrCat("point ", p, " (", absl::StrJoin(where, ", "),
                                    "):\n", s.status().message()));
      if (errors.size() >= 5) break;
      continue;
    }
    point.scenario = std::move(s->scenario);
    plan.points_.push_back(std::move(point));
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  }
  sim::Hasher h;
  h.AddString(plan.name_).AddU64(plan.axes_.size());
  for (const AxisInfo& a : plan.axes_) {
    h.AddString(a.label).AddString(a.path).AddU64(a.values.size());
    for (const std::string& v : a.values) h.AddString(v);
  }
  h.AddU64(plan.points_.size());
  for (const PlannedPoint& p : plan.points_) {
    h.AddString(scenarios::ScenarioToText(p.scenario));
  }
  h.AddU64(static_cast<uint64_t>(plan.seeds_per_point_)).AddU64(plan.first_seed_);
  plan.fingerprint_ = h.digest();
  return plan;
}

PlannedRun SweepPlan::run(int64_t index) const {
  CHECK(index >= 0 && index < run_count()) << "run " << index << " of " << run_count();
  PlannedRun r;
  r.index = index;
  r.point = static_cast<int>(index / seeds_per_point_);
  r.seed = first_seed_ + static_cast<uint64_t>(index % seeds_per_point_);
  return r;
}

}  // namespace slotsim::tools::sweep
