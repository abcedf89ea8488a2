// Validator: the shared state and helpers of scenario validation, split over
// validate.cc (scenario, topology, knobs, network, workload),
// validate_schedule.cc (actions), validate_timeline.cc (the schedule in time
// order) and validate_expect.cc (generators, heal phase, expectations).
// Internal to //scenarios:validate.

#ifndef SLOTSIM_SCENARIOS_VALIDATE_CONTEXT_H_
#define SLOTSIM_SCENARIOS_VALIDATE_CONTEXT_H_

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/cursor.h"
#include "scenarios/diagnostics.h"
#include "scenarios/scenario.pb.h"
#include "scenarios/topology.h"
#include "scenarios/validate.h"

namespace slotsim::scenarios {

inline constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kMillion = 1000000;

// Which names a field may hold.
enum class Endpoints { kNodes, kNodesAndClients };

class Validator {
 public:
  Validator(const ValidateOptions& options, Diagnostics* diags)
      : options_(options), diags_(diags) {}

  void Error(const Site& site, std::string_view message);
  void Warning(const Site& site, std::string_view message);

  // Integer field `field` (any integer type, its value or default) must be in
  // [lo, hi]; reports and returns false otherwise.
  bool InRange(const Cursor& c, std::string_view field, int64_t lo, int64_t hi);
  // Reports "`field` is required" unless the field is set.
  bool Required(const Cursor& c, std::string_view field);
  // Warns when `field` is set although it has no effect (`why` says why).
  void Unused(const Cursor& c, std::string_view field, std::string_view why);

  // Endpoint names, known once the topology is valid.
  void SetLayout(Layout layout);
  bool names_known() const { return names_known_; }
  const Layout& layout() const { return layout_; }
  bool IsNode(std::string_view name) const;
  // Checks one name (string field, element `index` if repeated). Returns true
  // if the name is valid (or names cannot be checked).
  bool CheckName(const Cursor& c, std::string_view field, int index, Endpoints which);
  // Checks every element of a repeated name field and that none repeats.
  void CheckNames(const Cursor& c, std::string_view field, Endpoints which);
  // Elements of repeated string field `field`.
  static std::vector<std::string> Strings(const Cursor& c, std::string_view field);

  // Scenario-wide values the parts need (set by ValidateScenario; a bad
  // duration is replaced by the maximum so times are not checked against it).
  int64_t duration_ms = 0;
  int64_t node_timeout_ms = 0;
  int32_t replicas_per_master = 0;
  int32_t clients = 0;

 private:
  std::string Decorate(const Site& site, std::string_view message) const;

  const ValidateOptions& options_;
  Diagnostics* diags_;
  bool names_known_ = false;
  Layout layout_;
  std::set<std::string> nodes_;
  std::set<std::string> clients_;
};

inline constexpr int64_t kMaxJumpMs = int64_t{10} * 365 * 24 * 3600 * 1000;  // ten years

// Times in a file can be anything; sums of them must not overflow.
int64_t AddSaturating(int64_t a, int64_t b);

bool IsNetworkFault(Action::KindCase k);
bool IsAdmin(Action::KindCase k);
// Network faults, crash and pause: the kinds `duration_ms` can undo.
bool TakesDuration(Action::KindCase k);
// The field name of the action's kind ("crash"); "" if none is set.
std::string KindName(const Action& a);
// The field names of oneof `oneof` of `d`.
std::vector<std::string> OneofNames(const google::protobuf::Descriptor* d,
                                    const char* oneof);

// A simulated time (int32/int64 field) within [0, duration_ms].
void CheckTime(const Cursor& c, const char* field, Validator* ck);
// A required node-name field; true if set and known.
bool NodeField(const Cursor& c, const char* field, Validator* ck);
// An optional node-name field, checked if set.
void OptionalNode(const Cursor& c, const char* field, Validator* ck);

// A Delay message: ranges, and fields its kind ignores (validate.cc).
void ValidateDelay(const Cursor& c, Validator* ck);
// `from` / `to` of a link-shaped message (LinkModel, Block, Clog, ExtraDelay):
// `from` required, names known, no name in both (validate.cc).
void ValidateLinkEnds(const Cursor& c, Validator* ck);

// The schedule half of validation: bootstrap steps and faults, one by one
// (validate_schedule.cc), then in time order (validate_timeline.cc); then
// generators, the heal phase and expectations (validate_expect.cc).
void ValidateSchedule(const Cursor& root, Validator* ck);
void CheckTimeline(const Cursor& root, Validator* ck);
void ValidateGenerators(const Cursor& root, Validator* ck);
void ValidateHeal(const Cursor& root, Validator* ck);
void ValidateExpectation(const Cursor& e, Validator* ck);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_VALIDATE_CONTEXT_H_
