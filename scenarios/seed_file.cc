#include "scenarios/seed_file.h"

#include "absl/strings/str_cat.h"

namespace slotsim::scenarios {

Scenario MakeSeedFile(Scenario scenario, const RunResult& result, std::string_view build,
                      const Violation* violation) {
  scenario.set_seed(result.seed);
  scenario.set_build(std::string(build));
  scenario.set_expected_trace_hash(result.trace_hash);
  scenario.set_checkpoint_interval_ms(result.record.checkpoint_interval.millis());
  scenario.clear_checkpoint_hash();
  for (uint64_t h : result.record.checkpoints) scenario.add_checkpoint_hash(h);
  scenario.clear_violated_property();
  scenario.clear_violated_at_ms();
  if (violation != nullptr) {
    scenario.set_violated_property(violation->property);
    scenario.set_violated_at_ms(result.record.ms(violation->at));
  }
  return scenario;
}

std::string SeedFileComment(const RunResult& result, std::string_view build,
                            const Violation* violation, std::string_view extra) {
  std::string comment = absl::StrCat("seed file written by ", std::string(build));
  if (violation != nullptr) {
    absl::StrAppend(&comment, "\nviolated: ", violation->property, " at ",
                    result.record.ms(violation->at), " ms: ", violation->message);
  }
  if (!extra.empty()) absl::StrAppend(&comment, "\n", std::string(extra));
  return comment;
}

}  // namespace slotsim::scenarios
