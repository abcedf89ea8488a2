#include "scenarios/cluster_setup.h"

#include <set>

#include "model/cli_create_plan.h"
#include "model/cli_signature.h"
#include "model/cluster_state.h"
#include "model/nodes_conf.h"
#include "model/types.h"
#include "sim/check.h"

namespace slotsim::scenarios {
namespace {

std::string ReplicaSuffix(int number, int replicas_per_master) {
  if (replicas_per_master == 1) return "";
  return std::string(1, static_cast<char>('a' + number - 1));
}

}  // namespace

std::vector<NodeSpec> ClusterSpecs(int masters, int replicas_per_master, int spares,
                                   const model::NodeConfig& base) {
  std::vector<std::string> names;
  for (int i = 1; i <= masters; ++i) names.push_back("m" + std::to_string(i));
  for (int i = 1; i <= masters; ++i) {
    for (int k = 1; k <= replicas_per_master; ++k) {
      names.push_back("r" + std::to_string(i) + ReplicaSuffix(k, replicas_per_master));
    }
  }
  for (int i = 1; i <= spares; ++i) names.push_back("s" + std::to_string(i));
  std::vector<NodeSpec> specs;
  for (size_t k = 0; k < names.size(); ++k) {
    NodeSpec s;
    s.name = names[k];
    s.config = base;
    s.config.ip = "127.0.0.1";
    s.config.port = 7000 + static_cast<int>(k);
    s.config.cport = s.config.port + 10000;
    specs.push_back(std::move(s));
  }
  return specs;
}

std::vector<ShardLayout> DefaultLayout(int masters, int replicas_per_master) {
  std::vector<ShardLayout> out;
  const auto split = model::CreateSlotSplit(masters);
  uint64_t epoch = 0;
  for (int i = 1; i <= masters; ++i) {
    ShardLayout m;
    m.name = "m" + std::to_string(i);
    m.slots = {split[i - 1]};
    m.config_epoch = ++epoch;
    out.push_back(std::move(m));
  }
  for (int i = 1; i <= masters; ++i) {
    for (int k = 1; k <= replicas_per_master; ++k) {
      ShardLayout r;
      r.name = "r" + std::to_string(i) + ReplicaSuffix(k, replicas_per_master);
      r.master = false;
      r.master_name = "m" + std::to_string(i);
      r.config_epoch = ++epoch;
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::map<std::string, std::string> FormedClusterConfigs(
    const World& world, const std::vector<ShardLayout>& layout, sim::Rng& rng) {
  std::map<std::string, model::NodeName> ids;
  std::set<model::NodeName> taken;
  for (const ShardLayout& l : layout) {
    model::NodeName id;
    do {
      id = model::NodeName::Random(rng);
    } while (!taken.insert(id).second);
    ids[l.name] = id;
  }
  std::map<std::string, uint64_t> epoch_of;
  for (const ShardLayout& l : layout) epoch_of[l.name] = l.config_epoch;

  model::LoadedNodesConf base;
  base.current_epoch = model::Epoch(layout.size());
  for (const ShardLayout& l : layout) {
    const model::NodeConfig& c = world.spec(l.name).config;
    model::LoadedNode n;
    n.name = ids.at(l.name);
    n.has_line = true;
    n.ip = c.ip;
    n.port = c.port;
    n.cport = c.cport;
    n.hostname = c.hostname;
    n.link_state = "connected";
    if (l.master) {
      n.flags = model::flags::kMaster;
      n.config_epoch = model::Epoch(l.config_epoch);
      n.slots = l.slots;
    } else {
      n.flags = model::flags::kSlave;
      CHECK(ids.count(l.master_name)) << "unknown master " << l.master_name;
      n.master = ids.at(l.master_name);
      n.config_epoch = model::Epoch(epoch_of.at(l.master_name));
    }
    base.nodes.push_back(std::move(n));
  }
  std::map<std::string, std::string> out;
  for (size_t k = 0; k < layout.size(); ++k) {
    model::LoadedNodesConf conf = base;
    conf.myself = conf.nodes[k].name;
    conf.nodes[k].flags |= model::flags::kMyself;
    out[layout[k].name] = model::RenderNodesConf(conf);
  }
  return out;
}

absl::Status StartFormedCluster(World& world, const std::vector<ShardLayout>& layout,
                                sim::Rng& rng) {
  std::map<std::string, std::string> confs = FormedClusterConfigs(world, layout, rng);
  for (const auto& [name, text] : confs) {
    // The node's own id is on its "myself" line.
    auto parsed = model::ParseNodesConf(text);
    if (parsed.ok()) world.RegisterId(parsed->myself, name);
  }
  for (const std::string& name : world.node_names()) {
    auto it = confs.find(name);
    if (it == confs.end()) {
      world.StartFresh(name);
      continue;
    }
    absl::Status s = world.StartFromConfig(name, it->second);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CreateClusterByCommands(World& world, const std::vector<ShardLayout>& layout,
                                     sim::Duration timeout) {
  world.StartAllFresh();
  auto command = [&](const std::string& node, std::vector<std::string> argv) {
    model::Reply r = world.Command(node, argv);
    if (r.is_error()) {
      std::string text;
      for (const std::string& a : argv) text += " " + a;
      return absl::FailedPreconditionError(node + ":" + text + " -> " + r.str());
    }
    return absl::OkStatus();
  };
  for (const ShardLayout& l : layout) {
    if (!l.master) continue;
    std::vector<std::string> argv = {"CLUSTER", "ADDSLOTSRANGE"};
    for (auto [a, b] : l.slots) {
      argv.push_back(std::to_string(a));
      argv.push_back(std::to_string(b));
    }
    if (absl::Status s = command(l.name, argv); !s.ok()) return s;
  }
  for (const ShardLayout& l : layout) {
    if (absl::Status s = command(l.name, {"CLUSTER", "SET-CONFIG-EPOCH",
                                          std::to_string(l.config_epoch)});
        !s.ok()) {
      return s;
    }
  }
  const model::NodeConfig& first = world.spec(layout.front().name).config;
  for (size_t k = 1; k < layout.size(); ++k) {
    if (absl::Status s = command(layout[k].name, {"CLUSTER", "MEET", first.ip,
                                                   std::to_string(first.port)});
        !s.ok()) {
      return s;
    }
  }
  // redis-cli sleeps 1 s, then checks once a second.
  const sim::Time deadline = world.now() + timeout;
  world.RunFor(sim::Duration::Seconds(1));
  while (true) {
    std::vector<std::optional<std::string>> sigs;
    for (const ShardLayout& l : layout) {
      const model::Node* n = world.node(l.name);
      if (n == nullptr) return absl::UnavailableError(l.name + " is down");
      sigs.push_back(model::ConfigSignature(world.Command(l.name, {"CLUSTER", "NODES"}).str()));
    }
    if (model::ConfigConsistent(sigs)) break;
    if (world.now() >= deadline) {
      return absl::DeadlineExceededError("nodes do not agree about the configuration");
    }
    world.RunFor(sim::Duration::Seconds(1));
  }
  for (const ShardLayout& l : layout) {
    if (l.master) continue;
    const model::Node* m = world.node(l.master_name);
    if (absl::Status s = command(l.name, {"CLUSTER", "REPLICATE", m->name().str()});
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

bool WaitForConvergence(World& world, const std::vector<std::string>& names,
                        sim::Duration timeout) {
  auto converged = [&] {
    const model::ClusterState* ref = nullptr;
    for (const std::string& name : names) {
      const model::Node* n = world.node(name);
      if (n == nullptr || world.IsPaused(name)) continue;
      const model::ClusterState& cs = n->cluster();
      if (cs.state != model::ClusterHealth::kOk) return false;
      if (ref == nullptr) {
        ref = &cs;
        continue;
      }
      for (int j = 0; j < model::kClusterSlots; ++j) {
        const model::ClusterNode* a = ref->slots[j];
        const model::ClusterNode* b = cs.slots[j];
        if ((a == nullptr) != (b == nullptr)) return false;
        if (a != nullptr && a->name != b->name) return false;
      }
      for (const auto& rn : ref->nodes) {
        const model::ClusterNode* other = cs.Find(rn->name);
        if (other == nullptr) return false;
        const bool ref_master = rn->is_master(), other_master = other->is_master();
        if (ref_master != other_master) return false;
        const model::ClusterNode* rm = rn->replica_of;
        const model::ClusterNode* om = other->replica_of;
        if ((rm == nullptr) != (om == nullptr)) return false;
        if (rm != nullptr && rm->name != om->name) return false;
      }
      if (ref->nodes.size() != cs.nodes.size()) return false;
    }
    return ref != nullptr;
  };
  // Checked every 100 ms of simulated time: a full comparison after every
  // event would dominate large runs.
  const sim::Time deadline = world.now() + timeout;
  while (!converged()) {
    if (world.now() >= deadline) return false;
    sim::Duration step = sim::Duration::Millis(100);
    if (deadline - world.now() < step) step = deadline - world.now();
    world.RunFor(step);
  }
  return true;
}

}  // namespace slotsim::scenarios
