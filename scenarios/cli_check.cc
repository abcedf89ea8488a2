// ClusterManager: `check` (clusterManagerCheckCluster): configuration
// agreement, open slots, slot coverage and, on request, multiple owners; with
// `fix` each finding is handed to the fixers in cli_fix.cc.

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/cli_fix_coverage.h"
#include "scenarios/cluster_manager.h"

namespace slotsim::scenarios {

void ClusterManager::OnError(const std::string& text) {
  errors_.push_back(text);
  Err(text + "\n");
}

void ClusterManager::CheckCluster(bool quiet, K k) {
  if (nodes_.empty()) return k(false);
  Print(absl::StrCat(">>> Performing Cluster Check (using node ", nodes_[0].cli.Addr(),
                     ")\n"));
  if (!quiet) ShowNodes();
  check_result_ = true;
  IsConfigConsistent([this, k = std::move(k)](bool consistent) {
    if (!consistent) {
      OnError("[ERR] Nodes don't agree about configuration!");
      check_result_ = false;
    } else {
      Print("[OK] All nodes agree about slots configuration.\n");
    }
    CheckOpenSlots([this, k](bool) {
      CheckCoverage([this, k](bool) {
        if (!search_multiple_owners_) return k(check_result_);
        CheckMultipleOwners([this, k](bool) { k(check_result_); });
      });
    });
  });
}

void ClusterManager::CheckOpenSlots(K k) {
  Print(">>> Check for open slots...\n");
  const model::OpenSlotsReport report = model::FindOpenSlots(View());
  if (report.slots.empty()) return k(true);
  for (size_t i = 0; i + 1 < report.lines.size(); ++i) OnError(report.lines[i]);
  check_result_ = false;
  Err(report.lines.back() + "\n");
  if (!do_fix_) return k(true);
  auto slots = std::make_shared<std::vector<int>>(report.slots);
  Loop(
      static_cast<int>(slots->size()),
      [this, slots](int i, K next) {
        FixOpenSlot((*slots)[static_cast<size_t>(i)], [this, next](bool ok) {
          check_result_ = ok;  // redis-cli: result = clusterManagerFixOpenSlot(...)
          next(ok);
        });
      },
      [k](bool) { k(true); });
}

void ClusterManager::CheckCoverage(K k) {
  Print(">>> Check slots coverage...\n");
  const std::vector<int> uncovered = model::UncoveredSlots(View());
  if (uncovered.empty()) {
    Print("[OK] All 16384 slots covered.\n");
    return k(true);
  }
  OnError("[ERR] Not all 16384 slots are covered by nodes.\n");
  check_result_ = false;
  if (!do_fix_) return k(true);
  FixSlotsCoverage([this, k](int fixed) {
    if (fixed > 0) check_result_ = true;
    k(true);
  });
}

void ClusterManager::CheckMultipleOwners(K k) {
  Print(">>> Check for multiple slot owners...\n");
  auto with_multiple = std::make_shared<int>(0);
  Loop(
      model::kClusterSlots,
      [this, with_multiple](int slot, K next) {
        auto owners = std::make_shared<std::vector<int>>();
        Loop(
            static_cast<int>(nodes_.size()),
            [this, slot, owners](int i, K next_node) {
              const MNode& n = nodes_[static_cast<size_t>(i)];
              if (n.flag_bits & kCliFlagSlave) return next_node(true);
              if (n.cli.slots.Test(slot)) {
                owners->push_back(i);
                return next_node(true);
              }
              Send(i, {"CLUSTER", "COUNTKEYSINSLOT", std::to_string(slot)},
                   [this, i, owners, next_node](const model::Reply* r) {
                     if (r != nullptr && r->is_error()) {
                       PrintReplyError(nodes_[static_cast<size_t>(i)], r->str());
                     }
                     if (r != nullptr && r->kind() == model::Reply::Kind::kInteger &&
                         r->integer() > 0) {
                       owners->push_back(i);
                     }
                     next_node(true);
                   });
            },
            [this, slot, owners, with_multiple, next](bool) {
              if (owners->size() <= 1) return next(true);
              check_result_ = false;
              Err(absl::StrCat("[WARNING] Slot ", slot, " has ", owners->size(),
                               " owners:\n"));
              for (int o : *owners) {
                Err(absl::StrCat("    ", nodes_[static_cast<size_t>(o)].cli.Addr(),
                                 "\n"));
              }
              ++*with_multiple;
              if (!do_fix_) return next(true);
              FixMultipleSlotOwners(
                  slot, *owners, [this, slot, with_multiple, next](bool ok) {
                    check_result_ = ok;
                    if (!ok) {
                      Err(absl::StrCat("Failed to fix multiple owners for slot ", slot,
                                       "\n"));
                      return next(false);
                    }
                    --*with_multiple;
                    next(true);
                  });
            });
      },
      [this, with_multiple, k](bool) {
        if (*with_multiple == 0) Print("[OK] No multiple owners found.\n");
        k(true);
      });
}

}  // namespace slotsim::scenarios
