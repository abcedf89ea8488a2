// Scenario validation, end-of-run part: random fault generators, the heal
// phase and expectations.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "scenarios/slot_ranges.h"
#include "scenarios/suggest.h"
#include "scenarios/sv.h"
#include "scenarios/validate_context.h"

namespace slotsim::scenarios {

void ValidateGenerators(const Cursor& root, Validator* ck) {
  const Cursor gens = root.Child("generators");
  const auto* d = FaultGenerators::descriptor();
  for (int f = 0; f < d->field_count(); ++f) {
    const std::string kind = d->field(f)->name();
    if (!gens.message().GetReflection()->HasField(gens.message(), d->field(f))) continue;
    const Cursor g = gens.Child(kind);
    const Generator& gen = g.Get<Generator>();
    ck->InRange(g, "mean_interval_ms", 1, kNoLimit);
    ck->InRange(g, "max_concurrent", 1, kMaxNodes);
    ck->InRange(g, "min_duration_ms", 0, kNoLimit);
    if (gen.max_duration_ms() < gen.min_duration_ms()) {
      ck->Error(g.At("max_duration_ms"),
                absl::StrCat("max_duration_ms (", gen.max_duration_ms(),
                             ") is below min_duration_ms (", gen.min_duration_ms(), ")"));
    }
    const bool network =
        kind == "partition" || kind == "block" || kind == "clog" || kind == "delay";
    ck->CheckNames(g, "nodes", network ? Endpoints::kNodesAndClients : Endpoints::kNodes);
    CheckTime(g, "start_ms", ck);
    CheckTime(g, "quiet_before_end_ms", ck);
    if (gen.start_ms() >= 0 && gen.quiet_before_end_ms() >= 0 &&
        gen.start_ms() >= ck->duration_ms - gen.quiet_before_end_ms()) {
      ck->Warning(g.Here(),
                  absl::StrCat("start_ms + quiet_before_end_ms leaves no time in the "
                               "run: this generator never fires"));
    }
    const bool instant = kind == "failover" || kind == "reshard" || kind == "clock_jump";
    if (instant) {
      ck->Unused(g, "min_duration_ms", absl::StrCat(kind, " faults are instantaneous"));
      ck->Unused(g, "max_duration_ms", absl::StrCat(kind, " faults are instantaneous"));
    }
    if (kind == "crash") {
      ck->InRange(g, "lose_unsynced_ppm", 0, kMillion);
    } else {
      ck->Unused(g, "lose_unsynced_ppm", "only the crash generator uses it");
    }
    if (kind == "clock_jump") {
      ck->InRange(g, "max_jump_ms", 0, kMaxJumpMs);
    } else {
      ck->Unused(g, "max_jump_ms", "only the clock_jump generator uses it");
    }
    if (kind == "delay") {
      ValidateDelay(g.Child("extra"), ck);
    } else {
      ck->Unused(g, "extra", "only the delay generator uses it");
    }
    if (kind == "reshard") {
      ck->InRange(g, "max_slots", 1, kSlotCount);
    } else {
      ck->Unused(g, "max_slots", "only the reshard generator uses it");
    }
    if (kind != "partition" && kind != "block") {
      ck->Unused(g, "mode", "only the partition and block generators use it");
    }
  }
}

void ValidateHeal(const Cursor& root, Validator* ck) {
  const Cursor h = root.Child("heal");
  const HealPhase& p = h.Get<HealPhase>();
  const bool ok = ck->InRange(h, "converge_node_timeouts", 0, 1000) &
                  ck->InRange(h, "converge_ms", 0, kNoLimit);
  if (ok && p.enabled() && p.converge_ms() == 0 &&
      (p.converge_node_timeouts() == 0 || ck->node_timeout_ms == 0)) {
    ck->Error(h.At("converge_node_timeouts"),
              "the convergence bound is 0 ms; set converge_node_timeouts or converge_ms");
  }
}

void ValidateExpectation(const Cursor& e, Validator* ck) {
  const Expectation& x = e.Get<Expectation>();
  if (x.has_at_ms()) CheckTime(e, "at_ms", ck);
  if (x.has_by_ms()) CheckTime(e, "by_ms", ck);
  if (x.what_case() == Expectation::WHAT_NOT_SET) {
    ck->Error(
        e.Here(),
        absl::StrCat("no expectation; set one of ",
                     absl::StrJoin(OneofNames(Expectation::descriptor(), "what"), ", ")));
    return;
  }
  const std::string kind =
      Expectation::descriptor()->FindFieldByNumber(x.what_case())->name();
  const Cursor c = e.Child(kind);
  switch (x.what_case()) {
    case Expectation::kRole:
      NodeField(c, "node", ck);
      ck->Required(c, "role");
      if (x.role().has_master()) {
        if (x.role().role() != RoleIs::REPLICA) {
          ck->Error(c.At("master"), "master applies to role REPLICA only");
        } else if (ck->CheckName(c, "master", -1, Endpoints::kNodes) &&
                   x.role().master() == x.role().node()) {
          ck->Error(c.At("master"), "a node cannot replicate itself");
        }
      }
      break;
    case Expectation::kOwns: {
      NodeField(c, "node", ck);
      if (ck->Required(c, "slots")) {
        std::vector<std::pair<SlotRange, int>> seen;
        for (int i = 0; i < x.owns().slots_size(); ++i) {
          absl::StatusOr<SlotRange> r = ParseSlotRange(x.owns().slots(i));
          if (!r.ok()) {
            ck->Error(c.At("slots", i), Std(r.status().message()));
            continue;
          }
          for (const auto& [other, j] : seen) {
            if (r->Overlaps(other)) {
              ck->Error(c.At("slots", i),
                        absl::StrCat("\"", x.owns().slots(i), "\" overlaps \"",
                                     x.owns().slots(j), "\""));
              break;
            }
          }
          seen.emplace_back(*r, i);
        }
      }
      ck->CheckNames(c, "observers", Endpoints::kNodes);
      break;
    }
    case Expectation::kClusterState:
      ck->CheckNames(c, "nodes", Endpoints::kNodes);
      break;
    case Expectation::kNoFailover:
      break;
    case Expectation::kFailovers:
      if (ck->Required(c, "count")) ck->InRange(c, "count", 0, kNoLimit);
      break;
    case Expectation::kFlaggedFail: {
      NodeField(c, "node", ck);
      ck->CheckNames(c, "observers", Endpoints::kNodes);
      for (int i = 0; i < x.flagged_fail().observers_size(); ++i) {
        if (x.flagged_fail().observers(i) == x.flagged_fail().node()) {
          ck->Error(c.At("observers", i), "a node never flags itself FAIL");
        }
      }
      break;
    }
    case Expectation::kWritesLost:
      ck->InRange(c, "max", 0, kNoLimit);
      if (ck->clients == 0) {
        ck->Warning(c.Here(), "workload.clients is 0: there are no writes to lose");
      }
      break;
    case Expectation::kConfigEpoch:
      NodeField(c, "node", ck);
      ck->Required(c, "epoch");
      OptionalNode(c, "observer", ck);
      break;
    case Expectation::kReplicas:
      NodeField(c, "master", ck);
      ck->InRange(c, "min", 0, kNoLimit);
      ck->InRange(c, "max", 0, kNoLimit);
      if (x.replicas().min() > x.replicas().max()) {
        ck->Error(c.At("min"), "min is larger than max");
      }
      break;
    case Expectation::kAdmin: {
      static const char* const kKinds[] = {"create", "reshard", "rebalance",
                                           "add_node", "del_node", "fix"};
      if (ck->Required(c, "kind")) {
        bool known = false;
        for (const char* k : kKinds) known |= x.admin().kind() == k;
        if (!known) {
          ck->Error(c.At("kind"),
                    absl::StrCat("unknown admin kind \"", x.admin().kind(),
                                 "\"; expected create, reshard, rebalance, add_node, "
                                 "del_node or fix"));
        }
      }
      ck->InRange(c, "nth", 1, kNoLimit);
      break;
    }
    case Expectation::WHAT_NOT_SET:
      break;
  }
}

}  // namespace slotsim::scenarios
