// ClusterManager `check` and `fix`: healthy and broken clusters (open slots,
// uncovered slots, disagreement, unreachable masters).

#include <gtest/gtest.h>

#include "scenarios/cluster_manager_testing.h"

namespace slotsim::scenarios {
namespace {

using cli_testing::CountPrefix;
using cli_testing::CountSent;
using cli_testing::Dump;
using cli_testing::HasLine;
using cli_testing::Rig;
using sim::Duration;

TEST(ClusterManagerCheck, HealthyCluster) {
  Rig rig(3, 1, 0, /*formed=*/true);
  ClusterManager* m = rig.Run(CliCheck{rig.Addr("m1")});
  ASSERT_TRUE(m->result().ok) << Dump(m);
  const auto lines = m->OutputLines();
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0], "127.0.0.1:7000 (" + rig.Id("m1").substr(0, 8) +
                          "...) -> 0 keys | 5461 slots | 1 slaves.");
  EXPECT_TRUE(HasLine(m, "[OK] 0 keys in 3 masters."));
  EXPECT_TRUE(HasLine(m, "0.00 keys per slot on average."));
  EXPECT_TRUE(HasLine(m, ">>> Performing Cluster Check (using node 127.0.0.1:7000)"));
  EXPECT_TRUE(HasLine(m, "[OK] All nodes agree about slots configuration."));
  EXPECT_TRUE(HasLine(m, "[OK] All 16384 slots covered."));
  EXPECT_EQ(CountPrefix(m, "M: "), 3);
  EXPECT_EQ(CountPrefix(m, "S: "), 3);
  EXPECT_EQ(CountPrefix(m, "   1 additional replica(s)"), 3);
}

TEST(ClusterManagerCheck, CountsKeys) {
  Rig rig(3, 0, 0, /*formed=*/true);
  for (const char* key : {"a", "b", "c", "d"}) {
    // In-process SETs go to the owner.
    for (const char* n : {"m1", "m2", "m3"}) {
      if (!rig.w().Command(n, {"SET", key, "v"}).is_error()) break;
    }
  }
  ClusterManager* m = rig.Run(CliCheck{rig.Addr("m2")});
  ASSERT_TRUE(m->result().ok) << Dump(m);
  EXPECT_TRUE(HasLine(m, "[OK] 4 keys in 3 masters.")) << Dump(m);
  EXPECT_TRUE(HasLine(m, "0.00 keys per slot on average."));
  EXPECT_TRUE(HasLine(m, ">>> Performing Cluster Check (using node 127.0.0.1:7001)"));
}

TEST(ClusterManagerCheck, OpenSlotIsReportedAndFixedByClosingIt) {
  Rig rig(3, 0, 0, /*formed=*/true);
  ASSERT_FALSE(
      rig.w()
          .Command("m1", {"CLUSTER", "SETSLOT", "100", "MIGRATING", rig.Id("m2")})
          .is_error());
  ClusterManager* check = rig.Run(CliCheck{rig.Addr("m1")});
  EXPECT_FALSE(check->result().ok);
  EXPECT_TRUE(
      HasLine(check, "[WARNING] Node 127.0.0.1:7000 has slots in migrating state 100."))
      << Dump(check);
  EXPECT_TRUE(HasLine(check, "[WARNING] The following slots are open: 100."));
  EXPECT_TRUE(HasLine(check, "[OK] All 16384 slots covered."));

  ClusterManager* fix = rig.Run(CliFix{rig.Addr("m1")});
  EXPECT_TRUE(fix->result().ok) << Dump(fix);
  EXPECT_TRUE(HasLine(fix, ">>> Fixing open slot 100"));
  EXPECT_TRUE(HasLine(fix, "Set as migrating in: 127.0.0.1:7000"));
  EXPECT_TRUE(HasLine(fix, ">>> Case 4: Closing slot 100 on 127.0.0.1:7000"));
  EXPECT_EQ(rig.w().node("m1")->cluster().migrating_slots_to.count(100), 0u);
  ClusterManager* again = rig.Run(CliCheck{rig.Addr("m1")});
  EXPECT_TRUE(again->result().ok) << Dump(again);
}

TEST(ClusterManagerCheck, OpenSlotBothSidesIsFixedByMovingTheSlot) {
  Rig rig(3, 0, 0, /*formed=*/true);
  ASSERT_FALSE(rig.w()
                   .Command("m2", {"CLUSTER", "SETSLOT", "7", "IMPORTING", rig.Id("m1")})
                   .is_error());
  ASSERT_FALSE(rig.w()
                   .Command("m1", {"CLUSTER", "SETSLOT", "7", "MIGRATING", rig.Id("m2")})
                   .is_error());
  ClusterManager* fix = rig.Run(CliFix{rig.Addr("m1")});
  EXPECT_TRUE(fix->result().ok) << Dump(fix);
  EXPECT_TRUE(
      HasLine(fix, ">>> Case 1: Moving slot 7 from 127.0.0.1:7000 to 127.0.0.1:7001"))
      << Dump(fix);
  ASSERT_TRUE(WaitForConvergence(rig.w(), {"m1", "m2", "m3"}, Duration::Seconds(30)));
  for (const char* viewer : {"m1", "m2", "m3"}) EXPECT_EQ(rig.OwnerOf(viewer, 7), "m2");
}

TEST(ClusterManagerCheck, UncoveredSlotIsReported) {
  Rig rig(3, 0, 0, /*formed=*/true);
  for (const char* n : {"m1", "m2", "m3"}) {
    ASSERT_FALSE(rig.w().Command(n, {"CLUSTER", "DELSLOTS", "5"}).is_error()) << n;
  }
  ClusterManager* m = rig.Run(CliCheck{rig.Addr("m1")});
  EXPECT_FALSE(m->result().ok);
  EXPECT_TRUE(HasLine(m, "[ERR] Not all 16384 slots are covered by nodes.")) << Dump(m);
  EXPECT_TRUE(HasLine(m, "[OK] All nodes agree about slots configuration."));
  EXPECT_EQ(m->result().error, "[ERR] Not all 16384 slots are covered by nodes.");
}

// Needs MULTI/EXEC in the node (clusterManagerSetSlotOwner wraps DELSLOTS,
// ADDSLOTS and BUMPEPOCH in a transaction).
TEST(ClusterManagerCheck, UncoveredSlotIsFixedWithARandomMaster) {
  Rig rig(3, 0, 0, /*formed=*/true);
  for (const char* n : {"m1", "m2", "m3"}) {
    ASSERT_FALSE(rig.w().Command(n, {"CLUSTER", "DELSLOTS", "5"}).is_error()) << n;
  }
  ClusterManager* m = rig.Run(CliFix{rig.Addr("m1")});
  EXPECT_TRUE(m->result().ok) << Dump(m);
  EXPECT_TRUE(
      HasLine(m, "The following uncovered slots have no keys across the cluster:"));
  EXPECT_TRUE(HasLine(m, "[5]"));
  EXPECT_TRUE(HasLine(
      m, "Fix these slots by covering with a random node? (type 'yes' to accept): yes"));
  ASSERT_TRUE(WaitForConvergence(rig.w(), {"m1", "m2", "m3"}, Duration::Seconds(30)));
  EXPECT_NE(rig.OwnerOf("m1", 5), "");
}

TEST(ClusterManagerCheck, SearchMultipleOwnersOnAHealthyCluster) {
  Rig rig(3, 0, 0, /*formed=*/true);
  ClusterManager* m = rig.Run(CliCheck{rig.Addr("m1"), /*search_multiple_owners=*/true});
  ASSERT_TRUE(m->result().ok) << Dump(m);
  EXPECT_TRUE(HasLine(m, ">>> Check for multiple slot owners..."));
  EXPECT_TRUE(HasLine(m, "[OK] No multiple owners found."));
  // Every master is asked about every slot it does not own.
  EXPECT_EQ(CountSent(m, "COUNTKEYSINSLOT"), 2 * model::kClusterSlots);
}

TEST(ClusterManagerCheck, FixRefusesWithAnUnreachableMaster) {
  Rig rig(3, 0, 0, /*formed=*/true, 2, 15000);
  ASSERT_FALSE(
      rig.w()
          .Command("m1", {"CLUSTER", "SETSLOT", "100", "MIGRATING", rig.Id("m2")})
          .is_error());
  ASSERT_TRUE(rig.w().Crash("m3"));
  ClusterManager* m = rig.Run(CliFix{rig.Addr("m1")});
  EXPECT_FALSE(m->result().ok);
  EXPECT_TRUE(
      HasLine(m, "Could not connect to Redis at 127.0.0.1:7002: Connection refused"))
      << Dump(m);
  EXPECT_EQ(m->result().error.rfind("*** Fixing open slots with 1 unreachable masters is "
                                    "dangerous",
                                    0),
            0u)
      << Dump(m);
  // With the override it goes ahead.
  ClusterManager* forced = rig.Run(CliFix{rig.Addr("m1"), true});
  EXPECT_TRUE(HasLine(forced, ">>> Case 4: Closing slot 100 on 127.0.0.1:7000"))
      << Dump(forced);
}

TEST(ClusterManagerCheck, NodesThatDisagreeAreReported) {
  Rig rig(3, 0, 0, /*formed=*/true, 1, 15000);
  // m3, cut off from the other nodes (not from redis-cli), alone believes it
  // owns slot 0.
  rig.w().Partition({{"m3"}, {"m1", "m2"}}, sim::FaultMode::kDrop);
  ASSERT_FALSE(rig.w()
                   .Command("m3", {"CLUSTER", "SETSLOT", "0", "NODE", rig.Id("m3")})
                   .is_error());
  ClusterManager* m = rig.Run(CliCheck{rig.Addr("m1")});
  EXPECT_FALSE(m->result().ok);
  EXPECT_TRUE(HasLine(m, "[ERR] Nodes don't agree about configuration!")) << Dump(m);
}

}  // namespace
}  // namespace slotsim::scenarios
