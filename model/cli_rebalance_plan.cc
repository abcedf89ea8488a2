#include "model/cli_rebalance_plan.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "model/cli_reshard_plan.h"

namespace slotsim::model {
namespace {

// clusterManagerNodeByAbbreviatedName: first node whose name starts with the
// lowercased prefix.
int NodeByPrefix(const std::vector<CliNode>& nodes, const std::string& prefix) {
  const std::string lower = absl::AsciiStrToLower(prefix);
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].name.empty()) continue;
    if (nodes[i].name.view().substr(0, lower.size()) == lower) return static_cast<int>(i);
  }
  return -1;
}

absl::Status ApplyWeights(const std::vector<std::string>& weights,
                          std::vector<CliNode>* nodes) {
  for (const std::string& arg : weights) {
    const size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("*** invalid input ", arg));
    }
    const std::string prefix = arg.substr(0, eq);
    // atof: the longest valid prefix, 0 if none ("C" locale in this process).
    const float w = static_cast<float>(std::strtod(arg.c_str() + eq + 1, nullptr));
    const int n = NodeByPrefix(*nodes, prefix);
    if (n < 0)
      return absl::InvalidArgumentError(absl::StrCat("*** No such master node ", prefix));
    (*nodes)[n].weight = w;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RebalancePlan> PlanRebalance(const std::vector<CliNode>& input,
                                            const RebalanceOptions& options) {
  std::vector<CliNode> nodes = input;  // working view: weights, then slot updates
  if (absl::Status s = ApplyWeights(options.weights, &nodes); !s.ok()) return s;

  RebalancePlan plan;
  std::vector<int> involved;
  for (size_t i = 0; i < nodes.size(); ++i) {
    CliNode& n = nodes[i];
    if (!n.IsPlainMaster()) continue;
    if (!options.use_empty_masters && n.slots_count == 0) {
      n.weight = 0;
      continue;
    }
    plan.total_weight += n.weight;
    involved.push_back(static_cast<int>(i));
  }

  std::vector<RebalanceNode> rows;
  bool threshold_reached = false;
  int total_balance = 0;
  for (int i : involved) {
    const CliNode& n = nodes[i];
    if (plan.total_weight == 0.0f) {
      return absl::FailedPreconditionError("rebalance: total weight of the masters is 0");
    }
    const float exact = static_cast<float>(kClusterSlots) / plan.total_weight * n.weight;
    if (!(std::fabs(exact) < 2147483647.0f)) {
      return absl::InvalidArgumentError("rebalance: weight out of range");
    }
    RebalanceNode row{i, n.weight, static_cast<int>(exact), 0};
    row.balance = n.slots_count - row.expected;
    total_balance += row.balance;
    if (options.threshold > 0) {
      if (n.slots_count > 0) {
        const float err_perc =
            static_cast<float>(std::fabs(100 - (100.0 * row.expected / n.slots_count)));
        if (err_perc > options.threshold) threshold_reached = true;
      } else if (row.expected > 1) {
        threshold_reached = true;
      }
    }
    rows.push_back(row);
  }
  if (!threshold_reached) {
    plan.lines.push_back(absl::StrFormat(
        "*** No rebalancing needed! All nodes are within the %.2f%% threshold.",
        options.threshold));
    plan.nodes = rows;
    return plan;
  }
  plan.needed = true;
  while (total_balance > 0) {
    for (RebalanceNode& row : rows) {
      if (row.balance <= 0 && total_balance > 0) {
        --row.balance;
        --total_balance;
      }
    }
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const RebalanceNode& a, const RebalanceNode& b) {
                     return a.balance < b.balance;
                   });
  plan.nodes = rows;
  plan.lines.push_back(
      absl::StrFormat(">>> Rebalancing across %d nodes. Total weight = %.2f",
                      static_cast<int>(rows.size()), plan.total_weight));
  if (options.verbose) {
    for (const RebalanceNode& row : rows) {
      plan.lines.push_back(
          absl::StrCat(nodes[row.node].Addr(), " balance is ", row.balance, " slots"));
    }
  }

  int dst_idx = 0;
  int src_idx = static_cast<int>(rows.size()) - 1;
  while (dst_idx < src_idx) {
    RebalanceNode& dst = rows[dst_idx];
    RebalanceNode& src = rows[src_idx];
    const int numslots = std::min(std::abs(dst.balance), std::abs(src.balance));
    if (numslots > 0) {
      plan.lines.push_back(absl::StrCat("Moving ", numslots, " slots from ",
                                        nodes[src.node].Addr(), " to ",
                                        nodes[dst.node].Addr()));
      const std::vector<ReshardMove> table =
          ComputeReshardTable(nodes, {src.node}, numslots);
      if (static_cast<int>(table.size()) != numslots) {
        plan.lines.push_back("*** Assertion failed: Reshard table != number of slots");
        plan.table_assertion_failed = true;
        return plan;
      }
      RebalanceMove move{src.node, dst.node, numslots, {}};
      for (const ReshardMove& m : table) {
        move.slots.push_back(m.slot);
        nodes[src.node].slots.Clear(m.slot);  // OPT_UPDATE: slots, not slots_count
        nodes[dst.node].slots.Set(m.slot);
      }
      plan.moves.push_back(std::move(move));
      plan.lines.push_back(std::string(static_cast<size_t>(numslots), '#'));
    }
    dst.balance += numslots;
    src.balance -= numslots;
    if (dst.balance == 0) ++dst_idx;
    if (src.balance == 0) --src_idx;
  }
  return plan;
}

}  // namespace slotsim::model
