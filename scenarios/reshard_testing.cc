#include "scenarios/reshard_testing.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "model/cluster_state.h"
#include "model/keyspace.h"
#include "props/registry.h"
#include "scenarios/loader.h"

namespace slotsim::scenarios::testing_util {
namespace {

// Up, not paused, and in a cluster (knows another node).
bool Running(const World& world, const std::string& name) {
  const model::Node* n = world.node(name);
  return n != nullptr && !world.IsPaused(name) && n->cluster().nodes.size() >= 2;
}

}  // namespace

std::vector<Violation> CheckedRun::violations_by(const std::string& property) const {
  std::vector<Violation> out;
  for (const Violation& v : result.violations) {
    if (v.property == property) out.push_back(v);
  }
  return out;
}

std::unique_ptr<CheckedRun> RunChecked(const std::string& text, RunOptions options) {
  auto run = std::make_unique<CheckedRun>();
  auto loaded = LoadScenarioText(text, "test.textproto");
  EXPECT_TRUE(loaded.ok()) << loaded.status().message();
  Scenario scenario = loaded.ok() ? loaded->scenario : Scenario();
  auto made = props::MakeCheckers({});
  EXPECT_TRUE(made.ok()) << made.status().message();
  if (made.ok()) run->checkers = std::move(made).value();
  for (const auto& c : run->checkers) {
    options.checkers.push_back(c.get());
    if (c->name() == "write_loss") {
      run->write_loss = static_cast<const props::WriteLossChecker*>(c.get());
    }
  }
  EXPECT_NE(run->write_loss, nullptr);
  const props::WriteLossChecker* wl = run->write_loss;
  options.lost_writes = [wl](const World&, const RunRecord&) -> int64_t {
    return wl == nullptr ? 0 : wl->summary().lost;
  };
  run->runner = std::make_unique<Runner>(std::move(scenario), std::move(options));
  run->result = run->runner->Run();
  return run;
}

void ExpectClean(const CheckedRun& run) {
  const RunResult& r = run.result;
  EXPECT_TRUE(r.error.empty()) << r.error;
  for (const ExpectationOutcome& e : r.expectations) {
    EXPECT_TRUE(e.held) << e.description << "\n  observed: " << e.observed;
  }
  for (const Violation& v : r.violations) {
    ADD_FAILURE() << v.property << " at " << (v.at - r.record.start).ToString() << ": "
                  << v.message;
  }
}

std::vector<std::string> OpenSlots(const World& world) {
  std::vector<std::string> out;
  for (const std::string& name : world.node_names()) {
    const model::Node* n = world.node(name);
    if (n == nullptr) continue;
    for (const auto& [slot, to] : n->cluster().migrating_slots_to) {
      out.push_back(
          absl::StrCat(name, " migrating ", slot, " -> ", world.NameOfId(to->name)));
    }
    for (const auto& [slot, from] : n->cluster().importing_slots_from) {
      out.push_back(
          absl::StrCat(name, " importing ", slot, " <- ", world.NameOfId(from->name)));
    }
  }
  return out;
}

std::vector<std::string> AgreedOwners(const World& world) {
  std::vector<std::string> ref;
  std::string ref_name;
  for (const std::string& name : world.node_names()) {
    if (!Running(world, name)) continue;
    const model::ClusterState& cs = world.node(name)->cluster();
    std::vector<std::string> owners(model::kClusterSlots);
    for (int j = 0; j < model::kClusterSlots; ++j) {
      if (cs.slots[j] != nullptr) owners[j] = world.NameOfId(cs.slots[j]->name);
    }
    if (ref_name.empty()) {
      ref = std::move(owners);
      ref_name = name;
      continue;
    }
    for (int j = 0; j < model::kClusterSlots; ++j) {
      if (owners[j] != ref[j]) {
        ADD_FAILURE() << "views disagree on slot " << j << ": " << ref_name << " says '"
                      << ref[j] << "', " << name << " says '" << owners[j] << "'";
        return {};
      }
    }
  }
  EXPECT_FALSE(ref_name.empty()) << "no running cluster node";
  return ref;
}

std::string ShardOf(const World& world, const std::string& node) {
  const model::Node* n = world.node(node);
  if (n == nullptr) return "";
  const model::ClusterNode* me = n->cluster().myself;
  if (me->is_master() || me->replica_of == nullptr) return node;
  return world.NameOfId(me->replica_of->name);
}

std::vector<std::string> KeysOutsideTheirShard(const World& world,
                                               const std::vector<std::string>& owners,
                                               int max) {
  std::vector<std::string> out;
  if (owners.size() != static_cast<size_t>(model::kClusterSlots)) return out;
  for (const std::string& name : world.node_names()) {
    const model::Node* n = world.node(name);
    if (n == nullptr) continue;
    const std::string shard = ShardOf(world, name);
    for (int slot : n->keyspace().SlotsWithKeys()) {
      if (owners[static_cast<size_t>(slot)] == shard) continue;
      if (static_cast<int>(out.size()) >= max) return out;
      out.push_back(absl::StrCat(
          n->keyspace().CountKeysInSlot(slot), " key(s) of slot ", slot, " (e.g. '",
          n->keyspace().GetKeysInSlot(slot, 1)[0], "') on ", name, " (shard ", shard,
          "), owner '", owners[static_cast<size_t>(slot)], "'"));
    }
  }
  return out;
}

std::map<std::string, int> SlotCounts(const std::vector<std::string>& owners) {
  std::map<std::string, int> out;
  for (const std::string& o : owners) ++out[o];
  return out;
}

}  // namespace slotsim::scenarios::testing_util
