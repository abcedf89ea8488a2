// Findings: violations that a faithful model of Redis 7.0.15 produces because
// Redis itself behaves that way (not because of a bug in slotsim). Each one
// has a minimal scenario in scenarios/findings/<name>.textproto, a paragraph
// in docs/findings.md, and a recognizer here that classifies a violation (with
// the run's record) as that finding.
//
// `slotsim check` and the CI exploration test report violations a finding
// explains separately from new ones, and fail only on new ones. Our own model
// bugs are fixed, never recorded here.
//
// A recognizer must be specific: it looks at the violated property, the
// checker's message and what the run did (faults, failovers, redis-cli runs),
// so that a different problem with the same property is still reported as
// new.

#ifndef SLOTSIM_PROPS_FINDINGS_H_
#define SLOTSIM_PROPS_FINDINGS_H_

#include <string>
#include <vector>

#include "scenarios/checker.h"
#include "scenarios/run_record.h"

namespace slotsim::props {

struct Finding {
  std::string name;      // scenarios/findings/<name>.textproto
  std::string property;  // the property it violates (the first one it reports)
  std::string summary;   // one line
  // Other properties the same problem violates in the same run (their
  // violations are explained by this finding too).
  std::vector<std::string> also;
  bool (*recognize)(const scenarios::Violation& violation, const scenarios::RunRecord& record);
};

// Every known finding, in docs/findings.md's order.
const std::vector<Finding>& KnownFindings();

// The finding that explains `violation`, or nullptr if none does (a new
// violation). The first finding whose property (or one of `also`) matches
// and whose recognizer accepts wins.
const Finding* ExplainViolation(const scenarios::Violation& violation,
                                const scenarios::RunRecord& record);

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_FINDINGS_H_
