// ClusterManager: `add-node` (clusterManagerCommandAddNode) and `del-node`
// (clusterManagerCommandDeleteNode).
//
// add-node: load and check the cluster through the existing node; pick the
// master (--cluster-master-id, else the one with fewest replicas); the new
// node must be reachable, in cluster mode and empty; a new master gets the
// cluster's functions (FUNCTION DUMP / LIST / RESTORE; skipped with a message
// when the cluster cannot dump them); CLUSTER MEET the first known node; a
// replica then waits for the join and gets CLUSTER REPLICATE.
// del-node: the node must own no slots; its replicas are re-pointed to the
// master with fewest replicas; CLUSTER FORGET on every other node; CLUSTER
// RESET SOFT on the removed one.

#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "scenarios/cluster_manager.h"

namespace slotsim::scenarios {

void ClusterManager::RunAddNode(const CliAddNode& c) {
  Print(absl::StrCat(">>> Adding node ", c.new_node.ToString(), " to cluster ",
                     c.existing.ToString(), "\n"));
  Step("add-node: load cluster");
  LoadInfoFromNode(NewNode(c.existing), [this, c](bool loaded) {
    if (!loaded) return Finish(false);
    Step("add-node: check");
    CheckCluster(/*quiet=*/false, [this, c](bool check_ok) {
      result_.check_ok = check_ok;
      if (!check_ok) return Finish(false);
      int master = -1;
      if (c.slave) {
        if (!c.master_id.empty()) {
          master = NodeByName(c.master_id);
          if (master < 0) {
            Err(absl::StrCat("[ERR] No such master ID ", c.master_id, "\n"));
            return Finish(false);
          }
        } else {
          master = NodeWithLeastReplicas();
          CHECK_GE(master, 0);
          Print(absl::StrCat("Automatically selected master ",
                             nodes_[static_cast<size_t>(master)].cli.Addr(), "\n"));
        }
      }
      AddNodeJoin(c, master);
    });
  });
}

void ClusterManager::AddNodeJoin(const CliAddNode& c, int master) {
  Step("add-node: check new node");
  auto n = std::make_shared<MNode>(NewNode(c.new_node));
  NodeIsCluster(*n, [this, n, master](bool ok, std::string err) {
    if (!ok) {
      if (ReportConnectFailure(*n)) {
        Err(absl::StrCat("[ERR] Sorry, can't connect to node ", n->cli.Addr(), "\n"));
      } else {
        PrintNotClusterNodeError(*n, err);
      }
      return Finish(false);
    }
    FetchNodes(*n, [this, n, master](std::optional<std::vector<CliNodesLine>> lines,
                                     std::string err) {
      if (!lines.has_value()) {
        if (!err.empty()) PrintReplyError(*n, err);
        return Finish(false);
      }
      ApplyLoadInfo(n.get(), *lines, /*getfriends=*/false, nullptr);
      NodeIsEmpty(*n, [this, n, master](bool empty, std::string err) {
        if (!empty) {
          PrintNotEmptyNodeError(*n, err);
          return Finish(false);
        }
        nodes_.push_back(*n);
        const int added = static_cast<int>(nodes_.size()) - 1;
        if (master >= 0) return AddNodeMeet(added, master);
        AddNodeFunctions(added, [this, added](bool ok) {
          if (!ok) return Finish(false);
          AddNodeMeet(added, -1);
        });
      });
    });
  });
}

void ClusterManager::AddNodeFunctions(int added, K k) {
  Step("add-node: functions");
  Print(">>> Getting functions from cluster\n");
  Send(0, {"FUNCTION", "DUMP"}, [this, added, k = std::move(k)](const model::Reply* r) {
    if (r == nullptr || r->is_error()) {
      Print(absl::StrCat(
          ">>> Failed retrieving Functions from the cluster, skip this step as Redis "
          "version do not support function command (error = '",
          r == nullptr ? "NULL reply" : r->str(), "')\n"));
      return k(true);
    }
    const std::string payload = r->str();
    const MNode& n = nodes_[static_cast<size_t>(added)];
    Print(absl::StrCat(">>> Send FUNCTION LIST to ", n.cli.Addr(),
                       " to verify there is no functions in it\n"));
    Send(added, {"FUNCTION", "LIST"}, [this, added, payload, k](const model::Reply* r) {
      if (r == nullptr || r->is_error()) {
        Err(absl::StrCat(">>> Failed on CLUSTER LIST (error = '",
                         r == nullptr ? "NULL reply" : r->str(), "')\r\n"));
        return k(false);
      }
      if (!r->items().empty()) {
        Err(">>> New node already contains functions and can not be added to the "
            "cluster. "
            "Use FUNCTION FLUSH and try again.\r\n");
        return k(false);
      }
      Print(absl::StrCat(">>> Send FUNCTION RESTORE to ",
                         nodes_[static_cast<size_t>(added)].cli.Addr(), "\n"));
      Send(added, {"FUNCTION", "RESTORE", payload}, [this, k](const model::Reply* r) {
        if (r == nullptr || r->is_error()) {
          Err(absl::StrCat(">>> Failed loading functions to the new node (error = '",
                           r == nullptr ? "NULL reply" : r->str(), "')\r\n"));
          return k(false);
        }
        k(true);
      });
    });
  });
}

void ClusterManager::AddNodeMeet(int added, int master) {
  Step("add-node: meet");
  const MNode first = nodes_[0];
  Print(absl::StrCat(">>> Send CLUSTER MEET to node ",
                     nodes_[static_cast<size_t>(added)].cli.Addr(),
                     " to make it join the cluster.\n"));
  std::vector<std::string> argv = {"CLUSTER", "MEET", first.cli.ip,
                                   std::to_string(first.cli.port)};
  if (first.bus_port != 0 && first.bus_port != first.cli.port + 10000) {
    argv.push_back(std::to_string(first.bus_port));
  }
  Send(added, std::move(argv), [this, added, master](const model::Reply* r) {
    if (r == nullptr || r->is_error()) {
      if (r != nullptr) PrintReplyError(nodes_[static_cast<size_t>(added)], r->str());
      return Finish(false);
    }
    if (master < 0) {
      Print("[OK] New node added correctly.\n");
      return Finish(true);
    }
    Later(sim::Duration::Seconds(1), [this, added, master] {
      Step("add-node: wait for join");
      WaitForClusterJoin([this, added, master](bool joined) {
        if (!joined) return Finish(false);
        const MNode& m = nodes_[static_cast<size_t>(master)];
        Print(absl::StrCat(">>> Configure node as replica of ", m.cli.Addr(), ".\n"));
        Step("add-node: replicate");
        Send(added, {"CLUSTER", "REPLICATE", m.cli.name.str()},
             [this, added](const model::Reply* r) {
               if (r == nullptr || r->is_error()) {
                 if (r != nullptr)
                   PrintReplyError(nodes_[static_cast<size_t>(added)], r->str());
                 return Finish(false);
               }
               Print("[OK] New node added correctly.\n");
               Finish(true);
             });
      });
    });
  });
}

void ClusterManager::RunDelNode(const CliDelNode& c) {
  Print(absl::StrCat(">>> Removing node ", c.node_id, " from cluster ", c.via.ToString(),
                     "\n"));
  Step("del-node: load cluster");
  LoadInfoFromNode(NewNode(c.via), [this, c](bool loaded) {
    if (!loaded) return Finish(false);
    const int node = NodeByName(c.node_id);
    if (node < 0) {
      Err(absl::StrCat("[ERR] No such node ID ", c.node_id, "\n"));
      return Finish(false);
    }
    if (nodes_[static_cast<size_t>(node)].cli.slots_count != 0) {
      Err(absl::StrCat("[ERR] Node ", nodes_[static_cast<size_t>(node)].cli.Addr(),
                       " is not empty! Reshard data away and try again.\n"));
      return Finish(false);
    }
    Print(">>> Sending CLUSTER FORGET messages to the cluster...\n");
    Step("del-node: forget");
    const std::string id = c.node_id;
    const std::string lc_id = absl::AsciiStrToLower(id);
    Loop(
        static_cast<int>(nodes_.size()),
        [this, node, id, lc_id](int i, K next) {
          if (i == node) return next(true);
          auto forget = [this, i, id, next] {
            Send(i, {"CLUSTER", "FORGET", id}, [this, i, next](const model::Reply* r) {
              if (r != nullptr && r->is_error()) {
                PrintReplyError(nodes_[static_cast<size_t>(i)], r->str());
              }
              next(r != nullptr && !r->is_error());
            });
          };
          const MNode& n = nodes_[static_cast<size_t>(i)];
          if (n.cli.replicate.empty() || n.cli.replicate.str() != lc_id) return forget();
          // Re-point a replica of the removed node.
          const int master = NodeWithLeastReplicas();
          CHECK_GE(master, 0);
          const MNode& m = nodes_[static_cast<size_t>(master)];
          Print(
              absl::StrCat(">>> ", n.cli.Addr(), " as replica of ", m.cli.Addr(), "\n"));
          Send(i, {"CLUSTER", "REPLICATE", m.cli.name.str()},
               [this, i, forget, next](const model::Reply* r) {
                 if (r == nullptr || r->is_error()) {
                   if (r != nullptr)
                     PrintReplyError(nodes_[static_cast<size_t>(i)], r->str());
                   return next(false);
                 }
                 forget();
               });
        },
        [this, node](bool ok) {
          if (!ok) return Finish(false);
          Print(">>> Sending CLUSTER RESET SOFT to the deleted node.\n");
          Step("del-node: reset");
          Send(node, {"CLUSTER", "RESET", "SOFT"}, [this, node](const model::Reply* r) {
            if (r != nullptr && r->is_error()) {
              PrintReplyError(nodes_[static_cast<size_t>(node)], r->str());
            }
            Finish(r != nullptr && !r->is_error());
          });
        });
  });
}

}  // namespace slotsim::scenarios
