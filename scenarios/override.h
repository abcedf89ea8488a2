// Overrides: `--set PATH=VALUE` sets one scalar field of a scenario (or any
// message) by its dotted path, through protobuf reflection.
//
// PATH is field names joined by dots; a repeated field takes an index:
//   knobs.cluster_node_timeout=5000
//   network.delay.mean_us=2000
//   faults[0].at_ms=100
//   topology.hosts[1]=10.0.0.2
// Missing messages along the path are created; an index must name an
// existing element. A path that would switch a oneof to another member (e.g.
// faults[0].crash.node when faults[0] is a partition) is refused.
//
// VALUE is text: integers in decimal (range-checked for the field's type),
// booleans as true/false/yes/no/1/0, floats, enum value names (any case) or
// numbers, strings as they are (or in double quotes with C escapes).
//
// Errors say which part is wrong and suggest valid field names. Overrides
// check types and ranges only; validation (validate.h) checks meaning.

#ifndef SLOTSIM_SCENARIOS_OVERRIDE_H_
#define SLOTSIM_SCENARIOS_OVERRIDE_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "scenarios/scenario.pb.h"

namespace slotsim::scenarios {

// Applies "path=value" to `message`.
absl::Status ApplyOverride(google::protobuf::Message* message,
                           std::string_view assignment);
absl::Status ApplyOverride(Scenario* scenario, std::string_view assignment);

// Sets the field at `path` from `value`.
absl::Status SetFieldByPath(google::protobuf::Message* message, std::string_view path,
                            std::string_view value);

// Checks "path=value" against a message type without a message to change:
// the path must name a scalar field of `type` and the value must suit it.
// Indices are not range-checked (there are no elements to check against).
absl::Status CheckOverride(const google::protobuf::Descriptor* type,
                           std::string_view assignment);

// Checks that `path` names a scalar field of `type` (indices not range-checked).
absl::Status CheckOverridePath(const google::protobuf::Descriptor* type,
                               std::string_view path);

// The path of "path=value" with surrounding spaces removed ("" if no '=').
std::string OverridePath(std::string_view assignment);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_OVERRIDE_H_
