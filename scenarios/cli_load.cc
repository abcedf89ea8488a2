// ClusterManager: loading the cluster view (clusterManagerLoadInfoFromNode,
// clusterManagerNodeLoadInfo, clusterManagerNodeIsCluster,
// clusterManagerNodeIsEmpty), showing it (clusterManagerShowNodes,
// clusterManagerShowClusterInfo) and waiting for the join
// (clusterManagerIsConfigConsistent, clusterManagerWaitForClusterJoin,
// clusterManagerGetLinkStatus).

#include <map>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "model/cli_signature.h"
#include "scenarios/cluster_manager.h"

namespace slotsim::scenarios {
// ---------------------------------------------------------------- loading

void ClusterManager::PrintNotClusterNodeError(const MNode& n, const std::string& err) {
  Err(absl::StrCat("[ERR] Node ", n.cli.Addr(), " ",
                   err.empty() ? "is not configured as a cluster node." : err, "\n"));
}

void ClusterManager::PrintNotEmptyNodeError(const MNode& n, const std::string& err) {
  Err(absl::StrCat("[ERR] Node ", n.cli.Addr(), " ",
                   err.empty()
                       ? "is not empty. Either the node already knows other nodes "
                         "(check with CLUSTER NODES) or contains some key in "
                         "database 0."
                       : err,
                   "\n"));
}

void ClusterManager::NodeIsCluster(const MNode& n,
                                   std::function<void(bool ok, std::string err)> k) {
  Send(n, {"INFO"}, [k = std::move(k)](const model::Reply* r) {
    if (r == nullptr) return k(false, "");
    if (r->is_error()) return k(false, r->str());
    // (int) getLongInfoField(...): a missing field (LONG_MIN) truncates to 0.
    const int64_t v = InfoLongField(r->str(), "cluster_enabled");
    const auto as_int =
        static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v)));
    k(as_int != 0, "");
  });
}

void ClusterManager::NodeIsEmpty(const MNode& n,
                                 std::function<void(bool ok, std::string err)> k) {
  Send(n, {"INFO"}, [this, n, k = std::move(k)](const model::Reply* r) {
    if (r == nullptr) return k(false, "");
    if (r->is_error()) return k(false, r->str());
    if (r->str().find("db0:") != std::string::npos) return k(false, "");
    Send(n, {"CLUSTER", "INFO"}, [k](const model::Reply* ci) {
      if (ci == nullptr) return k(false, "");
      if (ci->is_error()) return k(false, ci->str());
      k(InfoLongField(ci->str(), "cluster_known_nodes") == 1, "");
    });
  });
}

void ClusterManager::FetchNodes(
    const MNode& n,
    std::function<void(std::optional<std::vector<CliNodesLine>>, std::string)> k) {
  Send(n, {"CLUSTER", "NODES"}, [this, k = std::move(k)](const model::Reply* r) {
    if (r == nullptr) return k(std::nullopt, "");
    if (r->is_error()) return k(std::nullopt, r->str());
    std::string error;
    std::optional<std::vector<CliNodesLine>> lines = ParseCliNodes(r->str(), &error);
    if (!lines.has_value() && !error.empty()) Err(error + "\n");
    k(std::move(lines), "");
  });
}

void ClusterManager::ApplyLoadInfo(MNode* node, const std::vector<CliNodesLine>& lines,
                                   bool getfriends, std::vector<MNode>* friends) {
  for (const CliNodesLine& line : lines) {
    MNode* current = nullptr;
    if (line.myself) {
      node->bus_port = line.bus_port;
      node->flag_bits |= kCliFlagMyself;
      current = node;
      node->cli.slots = model::SlotBitmap();
      node->cli.slots_count = 0;
      node->cli.migrating.clear();
      node->cli.importing.clear();
      if (line.has_slot_part) {
        node->cli.slots = line.slots;
        node->cli.slots_count = line.slots_count;
        node->cli.migrating = line.migrating;
        node->cli.importing = line.importing;
      }
      node->cli.dirty = false;
    } else if (!getfriends) {
      if (!(node->flag_bits & kCliFlagMyself)) continue;
      break;
    } else {
      MNode f = NewNode({line.ip, line.port});
      f.bus_port = line.bus_port;
      f.flag_bits |= kCliFlagFriend;
      friends->push_back(std::move(f));
      current = &friends->back();
    }
    if (std::optional<model::NodeName> name = model::NodeName::Parse(line.name)) {
      current->cli.name = *name;
    }
    current->cli.flags = line.flags;
    current->flag_bits |= line.flag_bits & (kCliFlagNoAddr | kCliFlagDisconnect |
                                            kCliFlagFail | kCliFlagSlave);
    if (line.flag_bits & kCliFlagSlave) {
      if (std::optional<model::NodeName> m = model::NodeName::Parse(line.replicate)) {
        current->cli.replicate = *m;
      }
    }
    current->cli.slave = (current->flag_bits & kCliFlagSlave) != 0;
    if (!getfriends && line.myself) break;
  }
}

void ClusterManager::LoadInfoFromNode(MNode entry, K k) {
  auto e = std::make_shared<MNode>(std::move(entry));
  NodeIsCluster(*e, [this, e, k = std::move(k)](bool ok, std::string err) {
    if (!ok) {
      if (!ReportConnectFailure(*e)) PrintNotClusterNodeError(*e, err);
      return k(false);
    }
    FetchNodes(*e, [this, e, k](std::optional<std::vector<CliNodesLine>> lines,
                                std::string err) {
      if (!lines.has_value()) {
        if (!err.empty()) PrintReplyError(*e, err);
        return k(false);
      }
      auto friends = std::make_shared<std::vector<MNode>>();
      ApplyLoadInfo(e.get(), *lines, /*getfriends=*/true, friends.get());
      nodes_.clear();
      nodes_.push_back(*e);
      LoadFriends(friends, 0, k);
    });
  });
}

void ClusterManager::LoadFriends(std::shared_ptr<std::vector<MNode>> friends, size_t i,
                                 K k) {
  if (i >= friends->size()) {
    CountReplicas();
    return k(true);
  }
  auto invalid = [this, friends, i, k] {
    if (!((*friends)[i].flag_bits & kCliFlagSlave)) ++unreachable_masters_;
    LoadFriends(friends, i + 1, k);
  };
  const MNode& f = (*friends)[i];
  if (f.cli.ip.empty() || f.cli.port == 0) return invalid();
  FetchNodes(f, [this, friends, i, k, invalid](
                    std::optional<std::vector<CliNodesLine>> lines, std::string err) {
    MNode& f = (*friends)[i];
    if (!lines.has_value()) {
      if (!ReportConnectFailure(f)) {
        Err(absl::StrCat("[ERR] Unable to load info for node ", f.cli.Addr(), "\n"));
      }
      return invalid();
    }
    ApplyLoadInfo(&f, *lines, /*getfriends=*/false, nullptr);
    if (f.flag_bits & (kCliFlagNoAddr | kCliFlagDisconnect | kCliFlagFail)) {
      return invalid();
    }
    nodes_.push_back(f);
    LoadFriends(friends, i + 1, k);
  });
}

void ClusterManager::CountReplicas() {
  for (MNode& n : nodes_) n.cli.replicas_count = 0;
  for (const MNode& n : nodes_) {
    if (n.cli.replicate.empty()) continue;
    const int m = NodeByName(n.cli.replicate.str());
    if (m < 0) {
      Print(absl::StrCat("*** WARNING: ", n.cli.Addr(),
                         " claims to be slave of unknown node ID ", n.cli.replicate.str(),
                         ".\n"));
    } else {
      ++nodes_[static_cast<size_t>(m)].cli.replicas_count;
    }
  }
}

// ---------------------------------------------------------------- showing

void ClusterManager::ShowNodes() {
  for (const MNode& n : nodes_) Print(model::CliNodeInfo(n.cli, 0) + "\n");
}

void ClusterManager::ShowClusterInfo(K k) {
  struct Totals {
    int masters = 0;
    int64_t keys = 0;
  };
  auto totals = std::make_shared<Totals>();
  Loop(
      static_cast<int>(nodes_.size()),
      [this, totals](int i, K next) {
        const MNode& node = nodes_[static_cast<size_t>(i)];
        if ((node.flag_bits & kCliFlagSlave) || node.cli.name.empty()) return next(true);
        int replicas = 0;
        for (const MNode& n : nodes_) {
          if (&n == &node || !(n.flag_bits & kCliFlagSlave)) continue;
          if (n.cli.replicate == node.cli.name) ++replicas;
        }
        Send(node, {"DBSIZE"}, [this, i, replicas, totals, next](const model::Reply* r) {
          const MNode& node = nodes_[static_cast<size_t>(i)];
          if (r == nullptr || r->kind() != model::Reply::Kind::kInteger ||
              r->integer() < 0) {
            PrintReplyError(node, r != nullptr && r->is_error() ? r->str() : "");
            return next(false);  // redis-cli returns from ShowClusterInfo here
          }
          Print(absl::StrFormat("%s:%d (%s...) -> %d keys | %d slots | %d slaves.\n",
                                node.cli.ip, node.cli.port, node.cli.name.short_name(),
                                r->integer(), node.cli.slots_count, replicas));
          ++totals->masters;
          totals->keys += r->integer();
          next(true);
        });
      },
      [this, totals, k](bool complete) {
        if (complete) {
          Print(absl::StrFormat("[OK] %d keys in %d masters.\n", totals->keys,
                                totals->masters));
          const float per_slot = static_cast<float>(totals->keys) / 16384.0f;
          Print(absl::StrFormat("%.2f keys per slot on average.\n", per_slot));
        }
        k(true);
      });
}

// ---------------------------------------------------------------- join

void ClusterManager::IsConfigConsistent(std::function<void(bool)> k) {
  if (nodes_.size() <= 1) return k(true);
  auto first = std::make_shared<std::optional<std::string>>();
  Loop(
      static_cast<int>(nodes_.size()),
      [this, first](int i, K next) {
        Send(i, {"CLUSTER", "NODES"}, [first, i, next](const model::Reply* r) {
          std::optional<std::string> sig;
          if (r != nullptr && !r->is_error()) sig = model::ConfigSignature(r->str());
          if (!sig.has_value()) return next(false);
          if (i == 0) {
            *first = sig;
            return next(true);
          }
          next(*sig == **first);
        });
      },
      std::move(k));
}

void ClusterManager::WaitForClusterJoin(K k) {
  Print("Waiting for the cluster to join\n");
  WaitJoinRound(0, ctx_->Now() + options_.join_timeout, std::move(k));
}

void ClusterManager::WaitJoinRound(int counter, sim::Time deadline, K k) {
  IsConfigConsistent([this, counter, deadline, k](bool consistent) {
    if (consistent) {
      Print("\n");
      return k(true);
    }
    Print(".");
    Later(sim::Duration::Seconds(1), [this, counter, deadline, k] {
      const int check_after =
          20 + static_cast<int>(static_cast<float>(nodes_.size()) * 0.15f);
      auto next_round = [this, deadline, k](int c) {
        if (ctx_->Now() >= deadline) {
          Err("\nTimed out waiting for the cluster to join\n");
          return k(false);
        }
        WaitJoinRound(c, deadline, k);
      };
      if (counter + 1 > check_after) {
        PrintLinkStatus([next_round](bool) { next_round(0); });
      } else {
        next_round(counter + 1);
      }
    });
  });
}

void ClusterManager::PrintLinkStatus(K k) {
  // unreachable node address -> the nodes that cannot reach it.
  auto status = std::make_shared<std::map<std::string, std::vector<std::string>>>();
  Loop(
      static_cast<int>(nodes_.size()),
      [this, status](int i, K next) {
        Send(i, {"CLUSTER", "NODES"}, [this, status, i, next](const model::Reply* r) {
          if (r == nullptr || r->is_error()) return next(true);
          std::optional<std::vector<CliNodesLine>> lines =
              ParseCliNodes(r->str(), nullptr);
          if (!lines.has_value()) return next(true);
          for (const CliNodesLine& l : *lines) {
            if (l.myself || l.link_state.empty()) continue;
            const bool disconnected =
                l.flags_text.find("disconnected") != std::string::npos ||
                l.link_state.find("disconnected") != std::string::npos;
            const bool handshaking = l.flags_text.find("handshake") != std::string::npos;
            if (disconnected || handshaking) {
              (*status)[l.addr].push_back(nodes_[static_cast<size_t>(i)].cli.Addr());
            }
          }
          next(true);
        });
      },
      [this, status, k](bool) {
        if (!status->empty()) {
          Print("\n");
          Err(absl::StrCat("Warning: ", status->size(), " node(s) may be unreachable\n"));
          for (const auto& [addr, from] : *status) {
            std::string ip;
            int port = 0, bus_port = 0;
            if (ParseCliAddress(addr, &ip, &port, &bus_port) && bus_port != 0) {
              Err(absl::StrCat(" - The port ", bus_port, " of node ", ip,
                               " may be unreachable from:\n"));
            } else {
              Err(absl::StrCat(" - Node ", addr, " may be unreachable from:\n"));
            }
            for (const std::string& f : from) Err(absl::StrCat("   ", f, "\n"));
            Err("Cluster bus ports must be reachable by every node.\nRemember that "
                "cluster "
                "bus ports are different from standard instance ports.\n");
          }
        }
        k(true);
      });
}

}  // namespace slotsim::scenarios
