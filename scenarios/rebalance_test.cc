// Scenario-level tests of add-node + rebalance and of del-node, on the real
// world, runner, cluster-manager actor and property checkers (issue 4's
// "Tests that must exist"; the reshard ones are in reshard_test.cc).
//
// Rebalance arithmetic (clusterManagerCommandRebalance, redis-cli.c 7.0.15):
// expected = (int)(16384f / total_weight * weight); rounding leftovers go,
// one per pass, to the nodes whose balance is <= 0, in node order; then
// slots move from the most over-full to the most under-full node.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "model/types.h"
#include "scenarios/reshard_testing.h"

namespace slotsim::scenarios {
namespace {

using testing_util::AgreedOwners;
using testing_util::CheckedRun;
using testing_util::ExpectClean;
using testing_util::KeysOutsideTheirShard;
using testing_util::OpenSlots;
using testing_util::RunChecked;
using testing_util::SlotCounts;

// s1 joins as a master at 2 s; gossip spreads it before the rebalance at 8 s
// (redis-cli's check refuses a cluster whose nodes disagree).
std::string AddThenRebalance(const std::string& workload, const std::string& rebalance) {
  return absl::StrCat(R"(
    topology { masters: 3 replicas_per_master: 1 spares: 1 }
    knobs { cluster_node_timeout: 5000 }
    duration_ms: 60000
    faults { at_ms: 2000 add_node { node: "s1" } }
  )",
                      workload, "faults { at_ms: 8000 rebalance { ", rebalance, " } }\n");
}

void ExpectRebalanced(const CheckedRun& run, const std::map<std::string, int>& want) {
  const RunResult& r = run.result;
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.record.cli_runs.size(), 2u);
  for (const CliRunRecord& c : r.record.cli_runs) {
    EXPECT_TRUE(c.ok) << c.command << ": " << c.error << "\n" << c.output;
  }
  EXPECT_TRUE(r.record.converged);
  ExpectClean(run);
  const World& w = run.world();
  EXPECT_TRUE(OpenSlots(w).empty()) << OpenSlots(w).front();
  std::vector<std::string> owners = AgreedOwners(w);
  EXPECT_EQ(SlotCounts(owners), want);
  std::vector<std::string> misplaced = KeysOutsideTheirShard(w, owners, 5);
  EXPECT_TRUE(misplaced.empty()) << misplaced.front();
  EXPECT_EQ(run.write_loss->summary().lost, 0) << run.write_loss->summary().ToString();
}

TEST(Rebalance, AddNodeThenRebalanceUsesTheEmptyMasterUnderWrites) {
  // Four masters of weight 1: 16384 / 4 = 4096 each, exactly (m1 and m3
  // give 1365 slots, m2 1366: create left 5461, 5462, 5461).
  std::unique_ptr<CheckedRun> run = RunChecked(AddThenRebalance(
      "workload { clients: 2 keys: 2000 read_ppm: 300000 ops_per_s: 100 }\n",
      "use_empty_masters: true"));
  ExpectRebalanced(*run, {{"m1", 4096}, {"m2", 4096}, {"m3", 4096}, {"s1", 4096}});
  EXPECT_GT(run->world().node("s1")->keyspace().size(), 0) << "s1 got no keys";
}

TEST(Rebalance, WeightTwoGetsTwiceTheSlots) {
  // Weights 1, 1, 1, 2: expected (int)(16384f / 5 * w) = 3276 and 6553; the
  // three slots of rounding go to s1, the only node with balance <= 0.
  // (create left m1, m2, m3 with 5461, 5462, 5461.)
  // No traffic: this case is about the arithmetic (the one above moves keys).
  std::unique_ptr<CheckedRun> run = RunChecked(
      AddThenRebalance("workload { clients: 0 }\n",
                       "use_empty_masters: true weight { node: \"s1\" weight: 2 }"));
  ExpectRebalanced(*run, {{"m1", 3276}, {"m2", 3276}, {"m3", 3276}, {"s1", 6556}});
}

TEST(Rebalance, EmptyMasterIsLeftOutWithoutUseEmptyMasters) {
  // Without --cluster-use-empty-masters a master with no slots has weight 0
  // and is not involved; m1..m3 are within the 2% threshold of 16384 / 3, so
  // redis-cli prints "No rebalancing needed" and exits 0.
  std::unique_ptr<CheckedRun> run =
      RunChecked(AddThenRebalance("workload { clients: 0 }\n", ""));
  ExpectRebalanced(*run, {{"m1", 5461}, {"m2", 5462}, {"m3", 5461}});
  EXPECT_TRUE(
      absl::StrContains(run->result.record.cli_runs[1].output, "No rebalancing needed"))
      << run->result.record.cli_runs[1].output;
}

TEST(DelNode, EmptiedMasterIsForgottenByAllAndReset) {
  // m3's 5461 slots all go to m1, under writes; then del-node m3.
  // 7.0.15 facts asserted here:
  //  - a master that gives away its last slot through CLUSTER SETSLOT NODE
  //    turns into a replica of the slot's new owner (clusterCommand, SETSLOT
  //    NODE, "If we are a master left without slots ..."), so m3 is m1's
  //    replica when del-node runs, and r3 follows its master's slots to m1
  //    (clusterUpdateSlotsConfigWith);
  //  - del-node sends CLUSTER FORGET to every other node and then CLUSTER
  //    RESET SOFT to the removed node (clusterManagerCommandDeleteNode); it
  //    does not shut it down. The node keeps running, alone, empty.
  std::vector<std::string> m3_roles;
  RunOptions o;
  o.on_event = [&](const WorldEvent& e) {
    if (e.node == "m3" && e.event.kind == model::EventKind::kRoleChanged) {
      m3_roles.push_back(e.event.detail);
    }
  };
  std::unique_ptr<CheckedRun> run = RunChecked(R"(
    topology { masters: 3 replicas_per_master: 1 }
    knobs { cluster_node_timeout: 5000 }
    workload { clients: 2 keys: 2000 read_ppm: 300000 ops_per_s: 100 }
    duration_ms: 40000
    faults { at_ms: 3000 reshard { from: "m3" to: "m1" slots: 5461 } }
    faults { at_ms: 3000 del_node { node: "m3" } }
  )",
                                               std::move(o));
  const RunResult& r = run->result;
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.record.cli_runs.size(), 2u);
  for (const CliRunRecord& c : r.record.cli_runs) {
    EXPECT_TRUE(c.ok) << c.command << ": " << c.error << "\n" << c.output;
  }
  EXPECT_TRUE(absl::StrContains(r.record.cli_runs[1].output,
                                "Sending CLUSTER RESET SOFT to the deleted node"));
  EXPECT_TRUE(r.record.converged);
  ExpectClean(*run);
  EXPECT_FALSE(m3_roles.empty()) << "m3 never turned into a replica";

  const World& w = run->world();
  const model::Node* m3 = w.node("m3");
  ASSERT_NE(m3, nullptr) << "del-node does not shut the node down in 7.0.15";
  EXPECT_EQ(m3->cluster().nodes.size(), 1u) << "m3 still knows other nodes";
  EXPECT_TRUE(m3->is_master());
  EXPECT_EQ(m3->cluster().myself->num_slots, 0);
  EXPECT_TRUE(m3->keyspace().empty());
  const model::NodeName m3_id = m3->name();
  for (const std::string& name : w.node_names()) {
    if (name == "m3") continue;
    const model::Node* n = w.node(name);
    ASSERT_NE(n, nullptr) << name;
    EXPECT_EQ(n->cluster().Find(m3_id), nullptr) << name << " still knows m3";
    EXPECT_EQ(n->cluster().nodes.size(), 5u) << name;
  }
  const model::Node* r3 = w.node("r3");
  ASSERT_NE(r3, nullptr);
  ASSERT_FALSE(r3->is_master());
  const std::string r3_master = w.NameOfId(r3->cluster().myself->replica_of->name);
  EXPECT_TRUE(r3_master == "m1" || r3_master == "m2") << r3_master;

  EXPECT_TRUE(OpenSlots(w).empty()) << OpenSlots(w).front();
  std::vector<std::string> owners = AgreedOwners(w);
  EXPECT_EQ(SlotCounts(owners),
            (std::map<std::string, int>{{"m1", 10922}, {"m2", 5462}}));
  std::vector<std::string> misplaced = KeysOutsideTheirShard(w, owners, 5);
  EXPECT_TRUE(misplaced.empty()) << misplaced.front();
  EXPECT_EQ(run->write_loss->summary().lost, 0) << run->write_loss->summary().ToString();
}

}  // namespace
}  // namespace slotsim::scenarios
