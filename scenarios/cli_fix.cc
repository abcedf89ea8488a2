// ClusterManager: `fix` (clusterManagerFixOpenSlot, clusterManagerFixSlotsCoverage,
// clusterManagerFixMultipleSlotOwners) and the helpers their steps use
// (clusterManagerSetSlotOwner, clusterManagerDelSlot, clusterManagerGetSlotOwner).
// The decisions come from model/cli_fix_open_slot.h and model/cli_fix_coverage.h;
// this file gathers the key counts they need and executes their steps.

#include <map>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/cli_fix_coverage.h"
#include "model/cli_fix_open_slot.h"
#include "scenarios/cluster_manager.h"

namespace slotsim::scenarios {
namespace {

std::string Unreachable(const char* what, int n) {
  return absl::StrCat(
      "*** Fixing ", what, " with ", n,
      " unreachable masters is dangerous: redis-cli will assume that slots about masters "
      "that are not reachable are not covered, and will try to reassign them to the "
      "reachable nodes. This can cause data loss and is rarely what you want to do. If "
      "you "
      "really want to proceed use the --cluster-fix-with-unreachable-masters option.\n");
}

bool IsReplyOk(const model::Reply* r) { return r != nullptr && !r->is_error(); }

}  // namespace

void ClusterManager::CountKeys(int slot,
                               std::function<void(bool ok, std::vector<int64_t>)> k) {
  auto keys = std::make_shared<std::vector<int64_t>>(nodes_.size(), 0);
  Loop(
      static_cast<int>(nodes_.size()),
      [this, slot, keys](int i, K next) {
        if (nodes_[static_cast<size_t>(i)].flag_bits & kCliFlagSlave) return next(true);
        Send(i, {"CLUSTER", "COUNTKEYSINSLOT", std::to_string(slot)},
             [this, i, keys, next](const model::Reply* r) {
               if (r == nullptr) return next(false);
               if (r->is_error()) {
                 PrintReplyError(nodes_[static_cast<size_t>(i)], r->str());
                 return next(false);
               }
               (*keys)[static_cast<size_t>(i)] = r->integer();
               next(true);
             });
      },
      [keys, k = std::move(k)](bool ok) { k(ok, *keys); });
}

void ClusterManager::FixOpenSlot(int slot, K k) {
  if (unreachable_masters_ > 0 && !fix_with_unreachable_) {
    Err(Unreachable("open slots", unreachable_masters_));
    return Finish(false);  // redis-cli exits here
  }
  Step(absl::StrCat("fix: open slot ", slot));
  Print(absl::StrCat(">>> Fixing open slot ", slot, "\n"));
  CountKeys(slot, [this, slot, k = std::move(k)](bool ok, std::vector<int64_t> keys) {
    if (!ok) return k(false);
    model::FixOpenSlotPlan plan = model::PlanFixOpenSlot(View(), slot, keys);
    // The plan's first step is the ">>> Fixing open slot" line printed above.
    auto steps = std::make_shared<std::vector<model::CliStep>>(plan.steps.begin() + 1,
                                                               plan.steps.end());
    const bool plan_ok = plan.ok;
    RunSteps(steps, [k, plan_ok](bool steps_ok) { k(steps_ok && plan_ok); });
  });
}

void ClusterManager::FixSlotsCoverage(std::function<void(int fixed)> k) {
  if (unreachable_masters_ > 0 && !fix_with_unreachable_) {
    Err(Unreachable("slots coverage", unreachable_masters_));
    return Finish(false);  // redis-cli exits here
  }
  Step("fix: slots coverage");
  Print(">>> Fixing slots coverage...\n");
  auto uncovered = std::make_shared<std::vector<int>>(model::UncoveredSlots(View()));
  auto holders = std::make_shared<std::map<int, std::vector<int>>>();
  Loop(
      static_cast<int>(uncovered->size()),
      [this, uncovered, holders](int si, K next_slot) {
        const int slot = (*uncovered)[static_cast<size_t>(si)];
        Loop(
            static_cast<int>(nodes_.size()),
            [this, slot, holders](int i, K next) {
              const MNode& n = nodes_[static_cast<size_t>(i)];
              if ((n.flag_bits & kCliFlagSlave) || !n.cli.replicate.empty())
                return next(true);
              Send(i, {"CLUSTER", "GETKEYSINSLOT", std::to_string(slot), "1"},
                   [this, i, slot, holders, next](const model::Reply* r) {
                     if (!IsReplyOk(r)) {
                       if (r != nullptr)
                         PrintReplyError(nodes_[static_cast<size_t>(i)], r->str());
                       return next(false);
                     }
                     if (!r->items().empty()) (*holders)[slot].push_back(i);
                     next(true);
                   });
            },
            next_slot);
      },
      [this, holders, k](bool ok) {
        if (!ok) return k(-1);
        // Real counts where several masters hold keys (redis-cli asks
        // COUNTKEYSINSLOT to pick the one with most keys).
        auto keys = std::make_shared<model::SlotKeyCounts>();
        auto asks = std::make_shared<std::vector<std::pair<int, int>>>();  // (slot, node)
        for (const auto& [slot, nodes] : *holders) {
          std::vector<int64_t>& v = (*keys)[slot];
          v.assign(nodes_.size(), 0);
          for (int n : nodes) {
            v[static_cast<size_t>(n)] = 1;
            if (nodes.size() > 1) asks->emplace_back(slot, n);
          }
        }
        Loop(
            static_cast<int>(asks->size()),
            [this, asks, keys](int i, K next) {
              const auto [slot, n] = (*asks)[static_cast<size_t>(i)];
              Send(n, {"CLUSTER", "COUNTKEYSINSLOT", std::to_string(slot)},
                   [keys, slot = slot, n = n, next](const model::Reply* r) {
                     if (r != nullptr && r->kind() == model::Reply::Kind::kInteger) {
                       (*keys)[slot][static_cast<size_t>(n)] = r->integer();
                     }
                     next(true);
                   });
            },
            [this, keys, k](bool) {
              auto plan = std::make_shared<model::FixCoveragePlan>(
                  model::PlanFixSlotsCoverage(View(), *keys, ctx_->rng()));
              auto fixed = std::make_shared<int>(0);
              Loop(
                  static_cast<int>(plan->groups.size()),
                  [this, plan, fixed](int g, K next) {
                    const model::CoverageGroup& group =
                        plan->groups[static_cast<size_t>(g)];
                    for (const std::string& line : group.header) Print(line + "\n");
                    // Asked even with --cluster-yes; the simulated operator says yes.
                    Print(group.question + " (type 'yes' to accept): yes\n");
                    auto steps =
                        std::make_shared<std::vector<model::CliStep>>(group.steps);
                    const int n = static_cast<int>(group.slots.size());
                    RunSteps(steps, [fixed, n, next](bool ok) {
                      if (ok) *fixed += n;
                      next(ok);
                    });
                  },
                  [fixed, k](bool ok) { k(ok ? *fixed : -1); });
            });
      });
}

void ClusterManager::FixMultipleSlotOwners(int slot, std::vector<int> owners, K k) {
  Step(absl::StrCat("fix: multiple owners of slot ", slot));
  CountKeys(slot, [this, slot, owners = std::move(owners), k = std::move(k)](
                      bool ok, std::vector<int64_t> keys) {
    if (!ok) return k(false);
    auto steps = std::make_shared<std::vector<model::CliStep>>(
        model::PlanFixMultipleSlotOwners(View(), slot, owners, keys));
    RunSteps(steps, k);
  });
}

void ClusterManager::RunSteps(std::shared_ptr<std::vector<model::CliStep>> steps, K k) {
  Loop(
      static_cast<int>(steps->size()),
      [this, steps](int i, K next) {
        const model::CliStep& s = (*steps)[static_cast<size_t>(i)];
        switch (s.kind) {
          case model::CliStep::Kind::kLog:
            if (s.text.rfind("[ERR]", 0) == 0) {
              Err(s.text + "\n");
            } else {
              Print(s.text + "\n");
            }
            return next(true);
          case model::CliStep::Kind::kCommand: {
            const int node = s.node;
            const bool ignore = s.ignore_failure;
            return Send(node, s.argv, [this, node, ignore, next](const model::Reply* r) {
              if (r != nullptr && r->is_error()) {
                PrintReplyError(nodes_[static_cast<size_t>(node)], r->str());
              }
              next(IsReplyOk(r) || ignore);
            });
          }
          case model::CliStep::Kind::kSetSlotOwner: {
            const int node = s.node, slot = s.slot;
            const bool ignore = s.ignore_failure;
            return SetSlotOwner(node, slot, s.clear,
                                [this, node, slot, ignore, next](bool ok) {
                                  if (ok)
                                    nodes_[static_cast<size_t>(node)].cli.slots.Set(slot);
                                  next(ok || ignore);
                                });
          }
          case model::CliStep::Kind::kDelSlot: {
            const int node = s.node, slot = s.slot;
            const bool ignore = s.ignore_failure;
            return DelSlot(node, slot, /*ignore_unassigned=*/true,
                           [this, node, slot, ignore, next](bool ok) {
                             if (ok)
                               nodes_[static_cast<size_t>(node)].cli.slots.Clear(slot);
                             next(ok || ignore);
                           });
          }
          case model::CliStep::Kind::kMoveSlot:
            return MoveSlot(s.node, s.target, s.slot, s.move_opts, /*want_err=*/false,
                            [next](bool ok, std::string) { next(ok); });
        }
        next(false);
      },
      std::move(k));
}

void ClusterManager::SetSlotOwner(int node, int slot, bool clear, K k) {
  const std::string s = std::to_string(slot);
  auto check = [this, node](const model::Reply* r) {
    if (r != nullptr && r->is_error())
      PrintReplyError(nodes_[static_cast<size_t>(node)], r->str());
  };
  Send(node, {"MULTI"},
       [this, node, s, slot, clear, check, k = std::move(k)](const model::Reply* r) {
         if (!IsReplyOk(r)) {
           check(r);
           return k(false);
         }
         // Inside the transaction the replies are +QUEUED; EXEC's say what happened.
         DelSlot(node, slot, /*ignore_unassigned=*/true,
                 [this, node, s, clear, check, k](bool) {
                   Send(node, {"CLUSTER", "ADDSLOTS", s},
                        [this, node, s, clear, check, k](const model::Reply* r) {
                          check(r);
                          auto bump_and_exec = [this, node, check, k] {
                            Send(node, {"CLUSTER", "BUMPEPOCH"},
                                 [this, node, check, k](const model::Reply* r) {
                                   check(r);
                                   Send(node, {"EXEC"},
                                        [this, node, check, k](const model::Reply* r) {
                                          if (!IsReplyOk(r)) {
                                            check(r);
                                            return k(false);
                                          }
                                          if (r->kind() != model::Reply::Kind::kArray)
                                            return k(false);
                                          for (size_t i = 0; i < r->items().size(); ++i) {
                                            const model::Reply& e = r->items()[i];
                                            // clusterManagerOnSetOwnerErr: only ADDSLOTS
                                            // (index 1) counts.
                                            if (e.is_error() && i == 1) {
                                              PrintReplyError(
                                                  nodes_[static_cast<size_t>(node)],
                                                  e.str());
                                              return k(false);
                                            }
                                          }
                                          k(true);
                                        });
                                 });
                          };
                          if (!clear) return bump_and_exec();
                          Send(node, {"CLUSTER", "SETSLOT", s, "STABLE"},
                               [check, bump_and_exec](const model::Reply* r) {
                                 check(r);
                                 bump_and_exec();
                               });
                        });
                 });
       });
}

void ClusterManager::DelSlot(int node, int slot, bool ignore_unassigned, K k) {
  Send(node, {"CLUSTER", "DELSLOTS", std::to_string(slot)},
       [this, node, slot, ignore_unassigned, k = std::move(k)](const model::Reply* r) {
         const std::string err = r != nullptr && r->is_error() ? r->str() : "";
         auto finish = [this, node, err, k](bool success) {
           if (!success && !err.empty())
             PrintReplyError(nodes_[static_cast<size_t>(node)], err);
           k(success);
         };
         if (IsReplyOk(r)) return finish(true);
         if (err.empty() || !ignore_unassigned) return finish(false);
         GetSlotOwner(node, slot, [this, node, finish](int owner, std::string owner_err) {
           if (owner >= 0) return finish(false);
           if (owner_err.empty()) return finish(true);
           PrintReplyError(nodes_[static_cast<size_t>(node)], owner_err);
           finish(false);
         });
       });
}

void ClusterManager::GetSlotOwner(int node, int slot,
                                  std::function<void(int owner, std::string err)> k) {
  Send(node, {"CLUSTER", "SLOTS"}, [this, slot, k = std::move(k)](const model::Reply* r) {
    // A NULL reply leaves both the owner and the error unset, as in redis-cli.
    if (r == nullptr) return k(-1, "");
    if (r->is_error()) return k(-1, r->str());
    for (const SlotOwnerRef& ref : SlotOwnersFromClusterSlots(*r, slot)) {
      if (!ref.id.empty()) {
        const int n = NodeByName(ref.id);
        if (n >= 0) return k(n, "");
        continue;
      }
      for (size_t i = 0; i < nodes_.size(); ++i) {
        if (nodes_[i].cli.ip == ref.ip && nodes_[i].cli.port == ref.port) {
          return k(static_cast<int>(i), "");
        }
      }
    }
    k(-1, "");
  });
}

}  // namespace slotsim::scenarios
