#include "props/explore.h"

#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "props/findings.h"
#include "props/registry.h"
#include "props/run_plan.h"
#include "props/run_plan_gen.h"
#include "props/shrink.h"
#include "scenarios/loader.h"
#include "scenarios/runner.h"
#include "scenarios/seed_file.h"
#include "scenarios/validate.h"
#include "sim/check.h"
#include "sim/hash.h"

namespace slotsim::props {
namespace {

using scenarios::Scenario;
using scenarios::Violation;

// One run of a scenario, with each violation's explanation.
struct Attempt {
  scenarios::RunResult result;
  std::vector<const Finding*> explained;  // per violation; nullptr: new
};

// What a failure is, for shrinking: a new violation of `property`, or a
// violation explained by `finding`.
struct Target {
  std::string property;
  const Finding* finding = nullptr;

  // The index of the violation of `t` that matches, or -1.
  int Match(const Attempt& t) const {
    for (size_t i = 0; i < t.result.violations.size(); ++i) {
      if (finding != nullptr ? t.explained[i] == finding
                             : t.explained[i] == nullptr &&
                                   t.result.violations[i].property == property) {
        return static_cast<int>(i);
      }
    }
    return -1;
  }
};

class Explorer {
 public:
  Explorer(uint64_t seed, const ExploreConfig& config) : seed_(seed), config_(config) {}

  Attempt Run(const Scenario& s) const {
    std::vector<std::unique_ptr<scenarios::Checker>> owned;
    if (config_.make_checkers) {
      owned = config_.make_checkers();
    } else {
      auto made = MakeCheckers({});
      CHECK(made.ok()) << made.status().message();
      owned = std::move(made).value();
    }
    scenarios::RunOptions options;
    options.seed = seed_;
    for (const auto& c : owned) options.checkers.push_back(c.get());
    scenarios::Runner runner(s, options);
    Attempt t;
    t.result = runner.Run();
    for (const Violation& v : t.result.violations) {
      t.explained.push_back(ExplainViolation(v, t.result.record));
    }
    return t;
  }

  std::string Name() const { return absl::StrCat(config_.profile->name, "-", seed_); }

  // Valid scenario of `plan`, or nullopt.
  std::optional<Scenario> ScenarioOf(const RunPlan& plan) const {
    Scenario s = PlanToScenario(plan, Name());
    if (!scenarios::ValidateScenario(s).ok()) return std::nullopt;
    return s;
  }

 private:
  uint64_t seed_;
  const ExploreConfig& config_;
};

uint64_t TextDigest(const Scenario& s) {
  return sim::Hasher().AddString(scenarios::ScenarioToText(s)).digest();
}

void RecordHits(const Attempt& t, ExploreOutcome* out) {
  std::set<std::pair<std::string, std::string>> hits;
  for (size_t i = 0; i < t.result.violations.size(); ++i) {
    hits.emplace(t.result.violations[i].property,
                 t.explained[i] != nullptr ? t.explained[i]->name : "");
  }
  for (const auto& [property, finding] : hits) {
    Hit* h = out->add_hits();
    h->set_property(property);
    h->set_finding(finding);
  }
}

}  // namespace

Scenario ScenarioForSeed(const Profile& profile, uint64_t seed) {
  return PlanToScenario(DrawPlan(profile, seed).value(), absl::StrCat(profile.name, "-", seed));
}

ExploreOutcome ExploreSeed(uint64_t seed, const ExploreConfig& config) {
  CHECK(config.profile != nullptr);
  ExploreOutcome out;
  out.set_seed(seed);
  const Explorer ex(seed, config);
  const rc::Shrinkable<RunPlan> plan = DrawPlan(*config.profile, seed);
  const Scenario start = PlanToScenario(plan.value(), ex.Name());
  if (absl::Status st = scenarios::ValidateScenario(start); !st.ok()) {
    out.set_error(absl::StrCat("generated an invalid scenario: ", st.message()));
    return out;
  }
  Attempt first = ex.Run(start);
  out.set_events(first.result.events);
  out.set_sim_time_ms(first.result.sim_time_ms);
  out.set_trace_hash(first.result.trace_hash);
  if (!first.result.error.empty()) {
    out.set_error(first.result.error);
    return out;
  }
  if (first.result.violations.empty()) return out;
  RecordHits(first, &out);

  // The failure to keep: the first new violation, else the first one.
  Target target;
  for (size_t i = 0; i < first.result.violations.size(); ++i) {
    if (first.explained[i] == nullptr) {
      target.property = first.result.violations[i].property;
      break;
    }
  }
  if (target.property.empty()) {
    target.finding = first.explained[0];
    target.property = target.finding->property;
  }

  Scenario kept = start;
  Attempt kept_attempt = std::move(first);
  out.set_faults_before(start.faults_size());
  const bool shrink = config.shrink_runs > 0 && (target.finding == nullptr || config.shrink_known);
  if (shrink) {
    std::set<uint64_t> tried = {TextDigest(start)};
    auto trial = [&](const RunPlan& candidate) {
      std::optional<Scenario> s = ex.ScenarioOf(candidate);
      if (!s.has_value() || !tried.insert(TextDigest(*s)).second) return Verdict::kSkipped;
      Attempt t = ex.Run(*s);
      if (!t.result.error.empty() || target.Match(t) < 0) return Verdict::kPasses;
      kept = std::move(*s);
      kept_attempt = std::move(t);
      return Verdict::kFails;
    };
    ShrinkResult<RunPlan> r = ShrinkGreedily(plan, config.shrink_runs, trial);
    out.set_shrink_runs(r.trials);
    out.set_shrink_steps(r.steps);
    out.set_shrunk_to_minimum(r.minimal);
  }
  out.set_faults_after(kept.faults_size());

  const int index = target.Match(kept_attempt);
  CHECK_GE(index, 0);
  const Violation& v = kept_attempt.result.violations[static_cast<size_t>(index)];
  out.set_property(v.property);
  if (target.finding != nullptr) out.set_finding(target.finding->name);
  out.set_at_ms(kept_attempt.result.record.ms(v.at));
  out.set_message(v.message);

  std::string note = absl::StrCat("found by: slotsim check --profile ", config.profile->name,
                                  " --first-seed ", seed, " --seeds 1");
  if (shrink) {
    absl::StrAppend(&note, "\nshrunk from ", start.faults_size(), " to ", kept.faults_size(),
                    " actions in ", out.shrink_runs(), " runs",
                    out.shrunk_to_minimum() ? " (minimal)" : " (shrink budget exhausted)");
  }
  if (target.finding != nullptr) {
    absl::StrAppend(&note, "\nknown finding: ", target.finding->name, " (",
                    target.finding->summary, ")");
  }
  *out.mutable_seed_file() = scenarios::MakeSeedFile(kept, kept_attempt.result, config.build, &v);
  out.mutable_seed_file()->set_violated_property(v.property);
  out.set_comment(scenarios::SeedFileComment(kept_attempt.result, config.build, &v, note));
  return out;
}

}  // namespace slotsim::props
