// ClusterManager: `check`, `fix` (clusterManagerCommandCheck / Fix), `reshard`
// (clusterManagerCommandReshard) and `rebalance` (clusterManagerCommandRebalance).
//
// reshard: load the view, check it (any error stops it: "*** Please fix your
// cluster problems before resharding"), plan with PlanReshard, then move the
// slots one at a time with clusterManagerMoveSlot (verbose: a dot per key).
// The first failed move ends the command, leaving that slot open, as
// redis-cli does.
// rebalance: load, weights (PlanRebalance), a quiet check, then per planned
// move "Moving K slots from A to B" and one '#' per slot moved (quiet moves
// that update the view); --cluster-simulate prints the same and moves nothing.

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/cli_rebalance_plan.h"
#include "model/cli_reshard_plan.h"
#include "scenarios/cluster_manager.h"

namespace slotsim::scenarios {

void ClusterManager::RunCheck(const CliCheck& c) {
  search_multiple_owners_ = c.search_multiple_owners;
  Step("check: load cluster");
  LoadInfoFromNode(NewNode(c.via), [this](bool loaded) {
    if (!loaded) return Finish(false);
    ShowClusterInfo([this](bool) {
      Step("check");
      CheckCluster(/*quiet=*/false, [this](bool ok) {
        result_.check_ok = ok;
        Finish(ok);
      });
    });
  });
}

void ClusterManager::RunFix(const CliFix& c) {
  do_fix_ = true;
  fix_with_unreachable_ = c.fix_with_unreachable_masters;
  RunCheck(CliCheck{c.via, c.search_multiple_owners});
}

void ClusterManager::RunReshard(const CliReshard& c) {
  Step("reshard: load cluster");
  LoadInfoFromNode(NewNode(c.via), [this, c](bool loaded) {
    if (!loaded) return Finish(false);
    Step("reshard: check");
    CheckCluster(/*quiet=*/false, [this, c](bool check_ok) {
      result_.check_ok = check_ok;
      if (!errors_.empty()) {
        Err("*** Please fix your cluster problems before resharding\n");
        return Finish(false);
      }
      if (c.slots <= 0 || c.slots > model::kClusterSlots) {
        // redis-cli would ask "How many slots do you want to move (from 1 to
        // 16384)?" until it gets a valid answer.
        Err(absl::StrCat("*** Invalid --cluster-slots ", c.slots,
                         " (redis-cli would ask for 1 to 16384)\n"));
        return Finish(false);
      }
      absl::StatusOr<model::ReshardPlan> plan =
          model::PlanReshard(View(), c.from, c.to, c.slots);
      if (!plan.ok()) {
        Err(std::string(plan.status().message()) + "\n");
        return Finish(false);
      }
      for (const std::string& line : plan->lines) Print(line + "\n");
      if (!options_.yes) {
        Print("Do you want to proceed with the proposed reshard plan (yes/no)? yes\n");
      }
      auto table = std::make_shared<std::vector<model::ReshardMove>>(plan->table);
      const int target = plan->target;
      Loop(
          static_cast<int>(table->size()),
          [this, table, target](int i, K next) {
            const model::ReshardMove& m = (*table)[static_cast<size_t>(i)];
            Step(absl::StrCat("reshard: move slot ", m.slot));
            MoveSlot(m.source, target, m.slot, model::kMoveVerbose, /*want_err=*/true,
                     [this, next](bool ok, std::string err) {
                       if (!ok && !err.empty()) {
                         Err(absl::StrCat("clusterManagerMoveSlot failed: ", err, "\n"));
                       }
                       next(ok);
                     });
          },
          [this](bool ok) { Finish(ok); });
    });
  });
}

void ClusterManager::RunRebalance(const CliRebalance& c) {
  Step("rebalance: load cluster");
  LoadInfoFromNode(NewNode(c.via), [this, c](bool loaded) {
    if (!loaded) return Finish(false);
    model::RebalanceOptions ro;
    ro.weights = c.weights;
    ro.use_empty_masters = c.use_empty_masters;
    ro.threshold = c.threshold;
    ro.verbose = options_.verbose;
    absl::StatusOr<model::RebalancePlan> planned = model::PlanRebalance(View(), ro);
    if (!planned.ok()) {
      Err(std::string(planned.status().message()) + "\n");
      return Finish(false);
    }
    auto plan = std::make_shared<model::RebalancePlan>(*std::move(planned));
    Step("rebalance: check");
    CheckCluster(/*quiet=*/true, [this, c, plan](bool check_ok) {
      result_.check_ok = check_ok;
      if (!errors_.empty()) {
        Err("*** Please fix your cluster problems before rebalancing\n");
        return Finish(false);
      }
      if (!plan->needed) {
        for (const std::string& line : plan->lines) Print(line + "\n");
        return Finish(true);
      }
      // Walk the plan's lines; each "Moving K slots" line is followed by the
      // move and its row of '#' (or the table assertion).
      auto move_index = std::make_shared<size_t>(0);
      const bool simulate = c.simulate;
      Loop(
          static_cast<int>(plan->lines.size()),
          [this, plan, move_index, simulate](int li, K next) {
            const std::string& line = plan->lines[static_cast<size_t>(li)];
            if (line.rfind("*** Assertion failed", 0) == 0) {
              Err(line);  // printed without a newline by redis-cli
              return next(false);
            }
            if (!line.empty() && line[0] == '#') return next(true);  // printed per slot
            if (line.rfind("Moving ", 0) != 0) {
              Print(line + "\n");
              return next(true);
            }
            Print(line + "\n");
            if (*move_index >= plan->moves.size())
              return next(true);  // the assertion follows
            const model::RebalanceMove& move = plan->moves[(*move_index)++];
            if (simulate) {
              Print(std::string(static_cast<size_t>(move.numslots), '#') + "\n");
              return next(true);
            }
            auto slots = std::make_shared<std::vector<int>>(move.slots);
            const int src = move.src, dst = move.dst;
            Loop(
                static_cast<int>(slots->size()),
                [this, slots, src, dst](int si, K next_slot) {
                  const int slot = (*slots)[static_cast<size_t>(si)];
                  Step(absl::StrCat("rebalance: move slot ", slot));
                  MoveSlot(src, dst, slot, model::kMoveQuiet | model::kMoveUpdate,
                           /*want_err=*/true,
                           [this, next_slot](bool ok, std::string err) {
                             if (!ok) {
                               Err(absl::StrCat("*** clusterManagerMoveSlot: ",
                                                err.empty() ? "(null)" : err, "\n"));
                               return next_slot(false);
                             }
                             Print("#");
                             next_slot(true);
                           });
                },
                [this, next](bool ok) {
                  if (!ok) return next(false);
                  Print("\n");
                  next(true);
                });
          },
          [this](bool ok) { Finish(ok); });
    });
  });
}

}  // namespace slotsim::scenarios
