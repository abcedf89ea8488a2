// ClusterManager `reshard` and `rebalance`, including a reshard interrupted
// by a crash or a timeout and repaired by `fix`, and reshards that move keys
// with MIGRATE while clients follow ASK and MOVED.

#include <gtest/gtest.h>

#include "scenarios/cluster_manager_testing.h"
#include "scenarios/history.h"
#include "scenarios/workload.h"

namespace slotsim::scenarios {
namespace {

using cli_testing::Addrs;
using cli_testing::CountPrefix;
using cli_testing::CountSent;
using cli_testing::Dump;
using cli_testing::HasLine;
using cli_testing::RebalanceVia;
using cli_testing::Rig;
using sim::Duration;

TEST(ClusterManagerReshard, MovesSlotsWithoutKeys) {
  Rig rig(3, 1, 0, /*formed=*/true);
  ClusterManager* m = rig.Run(CliReshard{rig.Addr("m1"), rig.Id("m1"), rig.Id("m2"), 50});
  ASSERT_TRUE(m->result().ok) << Dump(m);
  EXPECT_TRUE(HasLine(m, "Ready to move 50 slots."));
  EXPECT_TRUE(HasLine(m, "    Moving slot 0 from " + rig.Id("m1")));
  EXPECT_TRUE(HasLine(m, "Moving slot 49 from 127.0.0.1:7000 to 127.0.0.1:7001: "));
  // Command order for one slot.
  const auto& sent = m->commands_sent();
  auto at = [&](const std::string& c) {
    return std::find(sent.begin(), sent.end(), c) - sent.begin();
  };
  const auto imp = at("127.0.0.1:7001 CLUSTER SETSLOT 7 importing " + rig.Id("m1"));
  const auto mig = at("127.0.0.1:7000 CLUSTER SETSLOT 7 migrating " + rig.Id("m2"));
  const auto get = at("127.0.0.1:7000 CLUSTER GETKEYSINSLOT 7 10");
  const auto node_dst = at("127.0.0.1:7001 CLUSTER SETSLOT 7 node " + rig.Id("m2"));
  const auto node_src = at("127.0.0.1:7000 CLUSTER SETSLOT 7 node " + rig.Id("m2"));
  const auto node_other = at("127.0.0.1:7002 CLUSTER SETSLOT 7 node " + rig.Id("m2"));
  ASSERT_LT(node_other, static_cast<long>(sent.size()));
  EXPECT_LT(imp, mig);
  EXPECT_LT(mig, get);
  EXPECT_LT(get, node_dst);
  EXPECT_LT(node_dst, node_src);
  EXPECT_LT(node_src, node_other);
  EXPECT_EQ(CountSent(m, "SETSLOT 7 node"), 3);  // masters only, not the replicas
  const std::vector<std::string> all = {"m1", "m2", "m3", "r1", "r2", "r3"};
  ASSERT_TRUE(WaitForConvergence(rig.w(), all, Duration::Seconds(30)));
  for (const std::string& v : all) {
    EXPECT_EQ(rig.OwnerOf(v, 0), "m2") << v;
    EXPECT_EQ(rig.OwnerOf(v, 49), "m2") << v;
    EXPECT_EQ(rig.OwnerOf(v, 50), "m1") << v;
  }
  ClusterManager* check = rig.Run(CliCheck{rig.Addr("m3")});
  EXPECT_TRUE(check->result().ok) << Dump(check);
}

TEST(ClusterManagerReshard, RefusesABrokenCluster) {
  Rig rig(3, 0, 0, /*formed=*/true);
  ASSERT_FALSE(
      rig.w()
          .Command("m1", {"CLUSTER", "SETSLOT", "100", "MIGRATING", rig.Id("m2")})
          .is_error());
  ClusterManager* m = rig.Run(CliReshard{rig.Addr("m1"), "all", rig.Id("m2"), 10});
  EXPECT_FALSE(m->result().ok);
  EXPECT_EQ(m->result().error, "*** Please fix your cluster problems before resharding");
  EXPECT_EQ(CountSent(m, "GETKEYSINSLOT"), 0);
  ClusterManager* bad =
      rig.Run(CliReshard{rig.Addr("m2"), "all", std::string(40, 'd'), 10});
  EXPECT_EQ(bad->result().error,
            "*** Please fix your cluster problems before resharding");
}

TEST(ClusterManagerReshard, UnknownTargetIsRefused) {
  Rig rig(3, 1, 0, /*formed=*/true);
  ClusterManager* m = rig.Run(CliReshard{rig.Addr("m1"), "all", rig.Id("r1"), 10});
  EXPECT_FALSE(m->result().ok);
  EXPECT_EQ(m->result().error, "*** The specified node (" + rig.Id("r1") +
                                   ") is not known or not a master, please retry.");
}

// A crash of the target in the middle: the move in flight fails, redis-cli
// stops with the slot open, and `fix` closes what it can.
TEST(ClusterManagerReshard, InterruptedByACrashThenFixed) {
  Rig rig(3, 0, 0, /*formed=*/true, 5, 15000);
  ClusterManager* m =
      rig.Start(CliReshard{rig.Addr("m1"), rig.Id("m1"), rig.Id("m2"), 300});
  rig.w().RunUntil([&] { return CountSent(m, "SETSLOT 150 migrating") > 0; },
                   rig.w().now() + Duration::Seconds(60));
  ASSERT_TRUE(rig.w().Crash("m2"));
  rig.w().RunUntil([m] { return m->finished(); }, rig.w().now() + Duration::Seconds(120));
  ASSERT_TRUE(m->finished());
  EXPECT_FALSE(m->result().ok);
  EXPECT_EQ(m->result().step, "reshard: move slot 150") << Dump(m);
  EXPECT_EQ(CountSent(m, "SETSLOT 151 "), 0);
  ASSERT_TRUE(rig.w().node("m1")->cluster().migrating_slots_to.count(150) > 0);

  ASSERT_TRUE(rig.w().Restart("m2"));
  ASSERT_TRUE(WaitForConvergence(rig.w(), {"m1", "m2", "m3"}, Duration::Seconds(60)));
  ClusterManager* check = rig.Run(CliCheck{rig.Addr("m1")});
  EXPECT_FALSE(check->result().ok);
  EXPECT_TRUE(HasLine(check, "[WARNING] The following slots are open: 150."))
      << Dump(check);
  ClusterManager* fix = rig.Run(CliFix{rig.Addr("m1")});
  EXPECT_TRUE(fix->result().ok) << Dump(fix);
  ClusterManager* again = rig.Run(CliCheck{rig.Addr("m1")});
  EXPECT_TRUE(again->result().ok) << Dump(again);
}

// A partition between redis-cli and the source: a command times out and the
// reshard stops there.
TEST(ClusterManagerReshard, InterruptedByATimeout) {
  Rig rig(3, 0, 0, /*formed=*/true, 6, 15000);
  ClusterManagerOptions o;
  o.command_timeout = Duration::Seconds(5);
  ClusterManager* m =
      rig.Start(CliReshard{rig.Addr("m1"), rig.Id("m1"), rig.Id("m3"), 100}, o);
  rig.w().RunUntil([&] { return CountSent(m, "SETSLOT 40 importing") > 0; },
                   rig.w().now() + Duration::Seconds(60));
  const auto cut = rig.w().Partition({{"cli1"}, {"m1"}}, sim::FaultMode::kDrop);
  rig.w().RunUntil([m] { return m->finished(); }, rig.w().now() + Duration::Seconds(60));
  ASSERT_TRUE(m->finished());
  EXPECT_FALSE(m->result().ok);
  EXPECT_EQ(m->result().step, "reshard: move slot 40");
  // The failure interrupts the "Moving slot" line (stdout and stderr interleave).
  EXPECT_TRUE(HasLine(m,
                      "Moving slot 40 from 127.0.0.1:7000 to 127.0.0.1:7002: "
                      "clusterManagerMoveSlot failed: CLUSTER SETSLOT failed to run"))
      << Dump(m);
  for (sim::FaultId f : cut) rig.w().Heal(f);
  // m3 imports slot 40 and m1 never heard of it: fix takes the importing
  // side's keys (none) to the owner and closes it.
  ClusterManager* fix = rig.Run(CliFix{rig.Addr("m1")});
  EXPECT_TRUE(fix->result().ok) << Dump(fix);
  EXPECT_TRUE(
      HasLine(fix, ">>> Case 2: Moving all the 40 slot keys to its owner 127.0.0.1:7000"))
      << Dump(fix);
  ASSERT_TRUE(WaitForConvergence(rig.w(), {"m1", "m2", "m3"}, Duration::Seconds(30)));
  EXPECT_EQ(rig.OwnerOf("m3", 40), "m1");
  EXPECT_EQ(rig.OwnerOf("m3", 39), "m3");
}

// MIGRATE on the source, RESTORE-ASKING on the target.
TEST(ClusterManagerReshard, MovesKeysWithMigrate) {
  Rig rig(3, 0, 0, /*formed=*/true);
  int written = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string key = "key" + std::to_string(i);
    for (const char* n : {"m1", "m2", "m3"}) {
      if (rig.w().Command(n, {"SET", key, "v" + std::to_string(i)}) ==
          model::Reply::Ok()) {
        ++written;
        break;
      }
    }
  }
  ASSERT_EQ(written, 200);
  ClusterManagerOptions o;
  o.pipeline = 3;
  ClusterManager* m =
      rig.Run(CliReshard{rig.Addr("m1"), rig.Id("m1"), rig.Id("m2"), 1000}, o);
  ASSERT_TRUE(m->result().ok) << Dump(m);
  EXPECT_GT(CountSent(m, "MIGRATE 127.0.0.1 7001  0 60000 KEYS"), 0);
  ASSERT_TRUE(WaitForConvergence(rig.w(), {"m1", "m2", "m3"}, Duration::Seconds(30)));
  for (int i = 0; i < 200; ++i) {
    const std::string key = "key" + std::to_string(i);
    int found = 0;
    for (const char* n : {"m1", "m2", "m3"}) {
      found +=
          rig.w().Command(n, {"GET", key}) == model::Reply::Bulk("v" + std::to_string(i));
    }
    EXPECT_EQ(found, 1) << key;
  }
  EXPECT_EQ(rig.w().node("m1")->keyspace().size() +
                rig.w().node("m2")->keyspace().size() +
                rig.w().node("m3")->keyspace().size(),
            200u);
}

// Clients keep working through a reshard that moves keys, following ASK and
// MOVED.
TEST(ClusterManagerReshard, WorkloadFollowsAskAndMovedDuringAReshardWithKeys) {
  Rig rig(3, 1, 0, /*formed=*/true, 12);
  History history;
  WorkloadOptions wo;
  wo.clients = 3;
  wo.keys = 300;
  wo.ops_per_s = 200;
  wo.start = rig.w().now();
  AddWorkload(rig.w(), wo, Addrs(rig, {"m1", "m2", "m3"}), &history);
  rig.w().RunFor(Duration::Seconds(2));
  ClusterManagerOptions o;
  o.pipeline = 2;
  ClusterManager* m =
      rig.Run(CliReshard{rig.Addr("m1"), rig.Id("m1"), rig.Id("m3"), 2000}, o);
  ASSERT_TRUE(m->result().ok) << Dump(m);
  rig.w().RunFor(Duration::Seconds(2));
  int asks_or_moves = 0;
  for (const ClientOp& op : history.ops()) {
    if (op.outcome == ClientOp::Outcome::kPending) continue;
    EXPECT_EQ(op.outcome, ClientOp::Outcome::kOk) << op.key << " " << op.error;
    asks_or_moves += op.redirects > 0;
  }
  EXPECT_GT(asks_or_moves, 0);
}

// ---------------------------------------------------------------- rebalance

TEST(ClusterManagerRebalance, NothingToDoOnABalancedCluster) {
  Rig rig(3, 0, 0, /*formed=*/true);
  ClusterManager* m = rig.Run(RebalanceVia(rig.Addr("m1")));
  ASSERT_TRUE(m->result().ok) << Dump(m);
  EXPECT_TRUE(
      HasLine(m, "*** No rebalancing needed! All nodes are within the 2.00% threshold."))
      << Dump(m);
  EXPECT_EQ(CountSent(m, "SETSLOT"), 0);
}

TEST(ClusterManagerRebalance, FillsAnEmptyMaster) {
  Rig rig(3, 0, 1, /*formed=*/true, 8);
  ClusterManager* add = rig.Run(CliAddNode{rig.Addr("s1"), rig.Addr("m1"), false, ""});
  ASSERT_TRUE(add->result().ok) << Dump(add);
  ASSERT_TRUE(
      WaitForConvergence(rig.w(), {"m1", "m2", "m3", "s1"}, Duration::Seconds(30)));
  CliRebalance r = RebalanceVia(rig.Addr("m1"));
  r.use_empty_masters = true;
  ClusterManager* m = rig.Run(r);
  ASSERT_TRUE(m->result().ok) << Dump(m);
  EXPECT_TRUE(HasLine(m, ">>> Rebalancing across 4 nodes. Total weight = 4.00"))
      << Dump(m);
  EXPECT_EQ(CountPrefix(m, "Moving "), 3);
  const std::vector<std::string> all = {"m1", "m2", "m3", "s1"};
  ASSERT_TRUE(WaitForConvergence(rig.w(), all, Duration::Seconds(30)));
  for (const std::string& n : all) EXPECT_EQ(rig.SlotsOf("m1", n), 4096) << n;
}

TEST(ClusterManagerRebalance, SimulateMovesNothing) {
  Rig rig(3, 0, 1, /*formed=*/true, 9);
  ClusterManager* add = rig.Run(CliAddNode{rig.Addr("s1"), rig.Addr("m1"), false, ""});
  ASSERT_TRUE(add->result().ok) << Dump(add);
  ASSERT_TRUE(
      WaitForConvergence(rig.w(), {"m1", "m2", "m3", "s1"}, Duration::Seconds(30)));
  CliRebalance r = RebalanceVia(rig.Addr("m1"));
  r.use_empty_masters = true;
  r.simulate = true;
  ClusterManager* m = rig.Run(r);
  ASSERT_TRUE(m->result().ok) << Dump(m);
  EXPECT_EQ(CountPrefix(m, "Moving "), 3);
  EXPECT_EQ(CountSent(m, "SETSLOT"), 0);
  EXPECT_EQ(rig.SlotsOf("m1", "s1"), 0);
}

TEST(ClusterManagerRebalance, WeightErrors) {
  Rig rig(3, 0, 0, /*formed=*/true);
  CliRebalance r = RebalanceVia(rig.Addr("m1"));
  r.weights = {"zzzz=2"};
  ClusterManager* m = rig.Run(r);
  EXPECT_FALSE(m->result().ok);
  EXPECT_EQ(m->result().error, "*** No such master node zzzz");
  r.weights = {"nonsense"};
  ClusterManager* m2 = rig.Run(r);
  EXPECT_EQ(m2->result().error, "*** invalid input nonsense");
}

}  // namespace
}  // namespace slotsim::scenarios
