// Random messages for property tests (test-only): fills any protobuf message
// through reflection from a sim::Rng, so the generator follows the schema as
// it grows.
//
// kWild draws integers from their whole range and strings from awkward
// pieces (quotes, backslashes, newlines, UTF-8, "${...}"): for the text round
// trip. kPlausible draws small integers, node names and slot ranges, so that
// validation gets past the first checks and reaches the schedule and
// expectation rules.

#ifndef SLOTSIM_SCENARIOS_SCENARIO_FUZZ_H_
#define SLOTSIM_SCENARIOS_SCENARIO_FUZZ_H_

#include "google/protobuf/message.h"
#include "sim/rng.h"

namespace slotsim::scenarios {

enum class FuzzMode { kWild, kPlausible };

// Sets about a third of the fields of `message` (recursively, to depth 3),
// 1-3 elements for repeated fields.
void FillRandomly(google::protobuf::Message* message, sim::Rng& rng, FuzzMode mode);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_SCENARIO_FUZZ_H_
