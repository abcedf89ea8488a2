// ClusterManager: `create` (clusterManagerCommandCreate).
//
// Per node in argument order: reachable, INFO cluster_enabled, CLUSTER NODES
// (its ID), empty (no db0 in INFO, cluster_known_nodes 1). Then PlanCreate's
// layout and lines; flush (ADDSLOTS with every slot as an argument on the
// masters; REPLICATE on the replicas, which fails now and is retried later);
// SET-CONFIG-EPOCH 1..N; MEET the first node from every other one; sleep 1 s;
// wait for the join; flush the replicas again; reload the view from the first
// node and check it (the check's result does not change create's).

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/cli_create_plan.h"
#include "scenarios/cluster_manager.h"

namespace slotsim::scenarios {

void ClusterManager::FlushNodeConfig(
    int i, std::function<void(bool flushed, std::string err)> k) {
  MNode& node = nodes_[static_cast<size_t>(i)];
  if (!node.cli.dirty) return k(false, "");
  if (!node.cli.replicate.empty()) {
    // On failure the node stays dirty: the replicas' masters may be unknown yet.
    return Send(i, {"CLUSTER", "REPLICATE", node.cli.replicate.str()},
                [this, i, k](const model::Reply* r) {
                  if (r == nullptr) return k(false, "");
                  if (r->is_error()) return k(false, r->str());
                  nodes_[static_cast<size_t>(i)].cli.dirty = false;
                  k(true, "");
                });
  }
  std::vector<std::string> argv = {"CLUSTER", "ADDSLOTS"};
  for (int s = 0; s < model::kClusterSlots; ++s) {
    if (node.cli.slots.Test(s)) argv.push_back(std::to_string(s));
  }
  if (argv.size() == 2) {
    node.cli.dirty = false;
    return k(false, "");
  }
  Send(i, std::move(argv), [this, i, k](const model::Reply* r) {
    // clusterManagerFlushNodeConfig clears `dirty` whatever ADDSLOTS said.
    nodes_[static_cast<size_t>(i)].cli.dirty = false;
    if (r == nullptr) return k(false, "");
    if (r->is_error()) return k(false, r->str());
    k(true, "");
  });
}

void ClusterManager::RunCreate(const CliCreate& c) {
  nodes_.clear();
  CreateCheckNode(std::make_shared<CliCreate>(c), 0);
}

void ClusterManager::CreateCheckNode(std::shared_ptr<CliCreate> c, size_t i) {
  if (i >= c->nodes.size()) return CreatePlanAndFlush(c);
  auto n = std::make_shared<MNode>(NewNode(c->nodes[i]));
  Step(absl::StrCat("create: check node ", n->cli.Addr()));
  NodeIsCluster(*n, [this, c, i, n](bool ok, std::string err) {
    if (!ok) {
      if (!ReportConnectFailure(*n)) PrintNotClusterNodeError(*n, err);
      return Finish(false);
    }
    FetchNodes(*n, [this, c, i, n](std::optional<std::vector<CliNodesLine>> lines,
                                   std::string err) {
      if (!lines.has_value()) {
        if (!err.empty()) PrintReplyError(*n, err);
        return Finish(false);
      }
      ApplyLoadInfo(n.get(), *lines, /*getfriends=*/false, nullptr);
      NodeIsEmpty(*n, [this, c, i, n](bool empty, std::string err) {
        if (!empty) {
          PrintNotEmptyNodeError(*n, err);
          return Finish(false);
        }
        nodes_.push_back(*n);
        CreateCheckNode(c, i + 1);
      });
    });
  });
}

void ClusterManager::CreatePlanAndFlush(std::shared_ptr<CliCreate> c) {
  Step("create: plan");
  std::vector<model::CreateNode> input;
  for (const MNode& n : nodes_) input.push_back({n.cli.ip, n.cli.port, n.cli.name});
  absl::StatusOr<model::CreatePlan> plan =
      model::PlanCreate(input, c->replicas, ctx_->rng());
  if (!plan.ok()) {
    Err(std::string(plan.status().message()));
    return Finish(false);
  }
  for (const std::string& line : plan->lines) Print(line + "\n");
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const model::CliNode& planned = plan->nodes[i];
    model::CliNode& cli = nodes_[i].cli;
    cli.slots = planned.slots;
    cli.slots_count = planned.slots_count;
    cli.replicate = planned.replicate;
    cli.dirty = planned.dirty;
  }
  if (!options_.yes)
    Print("Can I set the above configuration? (type 'yes' to accept): yes\n");
  Step("create: flush node config");
  Loop(
      static_cast<int>(nodes_.size()),
      [this](int i, K next) {
        FlushNodeConfig(i, [this, i, next](bool flushed, std::string err) {
          const MNode& n = nodes_[static_cast<size_t>(i)];
          if (!flushed && n.cli.dirty && n.cli.replicate.empty()) {
            if (!err.empty()) PrintReplyError(n, err);
            return next(false);
          }
          next(true);
        });
      },
      [this](bool ok) {
        if (!ok) return Finish(false);
        Print(">>> Nodes configuration updated\n");
        Print(">>> Assign a different config epoch to each node\n");
        Step("create: set-config-epoch");
        Loop(
            static_cast<int>(nodes_.size()),
            [this](int i, K next) {
              // The reply is not looked at.
              Send(i, {"CLUSTER", "SET-CONFIG-EPOCH", std::to_string(i + 1)},
                   [next](const model::Reply*) { next(true); });
            },
            [this](bool) { CreateJoin(); });
      });
}

void ClusterManager::CreateJoin() {
  Print(">>> Sending CLUSTER MEET messages to join the cluster\n");
  Step("create: meet");
  const MNode first = nodes_[0];
  Loop(
      static_cast<int>(nodes_.size()) - 1,
      [this, first](int j, K next) {
        const int i = j + 1;
        std::vector<std::string> argv = {"CLUSTER", "MEET", first.cli.ip,
                                         std::to_string(first.cli.port)};
        if (first.bus_port != 0 && first.bus_port != first.cli.port + 10000) {
          argv.push_back(std::to_string(first.bus_port));
        }
        Send(i, std::move(argv), [this, i, next](const model::Reply* r) {
          if (r == nullptr) {
            Err("Failed to send CLUSTER MEET command.\n");
            return next(false);
          }
          if (r->is_error()) {
            PrintReplyError(nodes_[static_cast<size_t>(i)], r->str());
            return next(false);
          }
          next(true);
        });
      },
      [this](bool ok) {
        if (!ok) return Finish(false);
        // One second for the join to start, so that the wait does not find
        // every node agreeing on an empty configuration.
        Later(sim::Duration::Seconds(1), [this] {
          Step("create: wait for join");
          WaitForClusterJoin([this](bool joined) {
            if (!joined) return Finish(false);
            Step("create: replicate");
            Loop(
                static_cast<int>(nodes_.size()),
                [this](int i, K next) {
                  if (!nodes_[static_cast<size_t>(i)].cli.dirty) return next(true);
                  FlushNodeConfig(i, [this, i, next](bool flushed, std::string err) {
                    const MNode& n = nodes_[static_cast<size_t>(i)];
                    if (!flushed && n.cli.replicate.empty()) {
                      if (!err.empty()) PrintReplyError(n, err);
                      return next(false);
                    }
                    next(true);
                  });
                },
                [this](bool ok) {
                  if (!ok) return Finish(false);
                  Step("create: check");
                  const MNode first = nodes_[0];
                  LoadInfoFromNode(first, [this](bool loaded) {
                    if (!loaded) return Finish(false);
                    CheckCluster(/*quiet=*/false, [this](bool check_ok) {
                      result_.check_ok = check_ok;
                      Finish(true);
                    });
                  });
                });
          });
        });
      });
}

}  // namespace slotsim::scenarios
