#include "props/migration_hygiene.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "model/node_io.h"
#include "props/testing/fake_cluster.h"
#include "props/testing/harness.h"
#include "sim/ids.h"

namespace slotsim::props {
namespace {

using sim::Duration;
using testing::FakeCluster;
using testing::Harness;
using testing::KeyInSlot;

TEST(MigrationHygiene, FormedClusterIsClean) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  c.keyspace("m1").Set(KeyInSlot(5), {"v", 0});
  c.keyspace("r1").Set(KeyInSlot(5), {"v", 0});  // its master's slot: fine
  EXPECT_TRUE(OpenSlots(c.view()).empty());
  EXPECT_TRUE(MisplacedKeys(c.view(), 10).empty());
}

TEST(MigrationHygiene, OpenSlotsAreListed) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  c.state("m1").migrating_slots_to[5] = &c.peer("m1", "m2");
  c.state("m2").importing_slots_from[5] = &c.peer("m2", "m1");
  const auto open = OpenSlots(c.view());
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0], "m1: slot 5 migrating to m2");
  EXPECT_EQ(open[1], "m2: slot 5 importing from m1");
}

TEST(MigrationHygiene, KeyOnTheWrongShardIsListed) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  const std::string key = KeyInSlot(6000);  // m2's slot
  c.keyspace("m1").Set(key, {"v", 0});
  const auto bad = MisplacedKeys(c.view(), 10);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0], "key '" + key + "' (slot 6000) on m1, slot owner m2");
}

TEST(MigrationHygiene, ManagerStatusFollowsTheRunnersRecords) {
  ManagerStatus s;
  EXPECT_FALSE(s.Judged());  // nothing was resharded
  s.Note("reshard", "redis-cli --cluster reshard (redis-cli-1)");
  EXPECT_FALSE(s.Judged());  // under way
  s.Note("reshard-done", "ok");
  EXPECT_TRUE(s.Judged());
  s.Note("command", "CLUSTER SETSLOT 5 MIGRATING abc -> OK");
  EXPECT_FALSE(s.Judged());  // opened by hand
  s.Note("add_node", "redis-cli --cluster add-node (redis-cli-2)");
  s.Note("add_node-failed", "connection refused (during meet)");
  EXPECT_FALSE(s.Judged());
  s.Note("fix", "redis-cli --cluster fix (redis-cli-3)");
  s.Note("command", "CLUSTER SETSLOT 5 IMPORTING abc -> OK");  // during the fix: its own
  s.Note("fix-done", "ok");
  EXPECT_TRUE(s.Judged());
}

TEST(MigrationHygieneWorld, CleanMoveOfAnEmptySlotPasses) {
  Harness h(Harness::Options(3, 0, 1000, /*seed=*/41));
  MigrationHygieneChecker checker;
  h.Add(&checker);
  ASSERT_TRUE(h.FormCluster(3, 0));
  const std::string m1 = h.world().node("m1")->name().str();
  const std::string m2 = h.world().node("m2")->name().str();
  h.world().NoteFault({h.world().now(), "reshard", {"m1", "m2"}, "slot 100 m1 -> m2"});
  ASSERT_FALSE(
      h.Command("m2", {"CLUSTER", "SETSLOT", "100", "IMPORTING", m1}).is_error());
  ASSERT_FALSE(
      h.Command("m1", {"CLUSTER", "SETSLOT", "100", "MIGRATING", m2}).is_error());
  for (const char* n : {"m2", "m1", "m3"}) {
    ASSERT_FALSE(h.Command(n, {"CLUSTER", "SETSLOT", "100", "NODE", m2}).is_error());
  }
  h.world().NoteFault({h.world().now(), "reshard-done", {}, "ok"});
  h.RunFor(Duration::Seconds(2));
  ASSERT_TRUE(h.Heal());
  h.Finish();
  EXPECT_TRUE(checker.ok()) << checker.violations()[0].message;
}

TEST(MigrationHygieneWorld, ReshardReportedDoneWithAnOpenSlotIsReported) {
  Harness h(Harness::Options(3, 0, 1000, /*seed=*/43));
  MigrationHygieneChecker checker;
  h.Add(&checker);
  ASSERT_TRUE(h.FormCluster(3, 0));
  const std::string m1 = h.world().node("m1")->name().str();
  const std::string m2 = h.world().node("m2")->name().str();
  h.world().NoteFault({h.world().now(), "reshard", {"m1", "m2"}, "slot 100 m1 -> m2"});
  ASSERT_FALSE(
      h.Command("m2", {"CLUSTER", "SETSLOT", "100", "IMPORTING", m1}).is_error());
  ASSERT_FALSE(
      h.Command("m1", {"CLUSTER", "SETSLOT", "100", "MIGRATING", m2}).is_error());
  ASSERT_FALSE(h.Command("m2", {"CLUSTER", "SETSLOT", "100", "NODE", m2}).is_error());
  // The source is never told: it stays MIGRATING.
  h.world().NoteFault({h.world().now(), "reshard-done", {}, "ok"});
  ASSERT_EQ(checker.violations().size(), 1u);
  EXPECT_NE(checker.violations()[0].message.find("m1: slot 100 migrating to m2"),
            std::string::npos)
      << checker.violations()[0].message;
}

TEST(MigrationHygieneWorld, RawOpenSlotWithoutFixIsNotJudged) {
  Harness h(Harness::Options(3, 0, 1000, /*seed=*/47));
  MigrationHygieneChecker checker;
  h.Add(&checker);
  ASSERT_TRUE(h.FormCluster(3, 0));
  const std::string m2 = h.world().node("m2")->name().str();
  ASSERT_FALSE(
      h.Command("m1", {"CLUSTER", "SETSLOT", "100", "MIGRATING", m2}).is_error());
  ASSERT_TRUE(h.Heal());
  h.Finish();
  EXPECT_TRUE(checker.ok()) << checker.violations()[0].message;
}

// 7.0.15: a replica of m1 or m3 (holding its master's keys) migrates to the orphaned
// m2, whose replication stream never reaches it (a filter), and m2 fails: the
// replica's data age passes, it is promoted for m2's slots with m1's keys. The
// key check is not judged after a promotion; the keys are counted.
TEST(MigrationHygieneWorld, PromotedUnsyncedMigrantKeepsItsOldShardsKeys) {
  Harness h(Harness::Options(3, 2, 1000, /*seed=*/73));
  MigrationHygieneChecker checker;
  h.Add(&checker);
  ASSERT_TRUE(h.FormCluster(3, 2));
  h.world().NoteFault({h.world().now(), "reshard", {}, "nothing"});
  h.world().NoteFault({h.world().now(), "reshard-done", {}, "ok"});
  for (int slot : {1, 2, 3}) {
    ASSERT_FALSE(h.world().Command("m1", {"SET", KeyInSlot(slot), "v"}).is_error());
    ASSERT_FALSE(
        h.world().Command("m3", {"SET", KeyInSlot(16000 + slot), "v"}).is_error());
  }
  h.RunFor(Duration::Seconds(1));
  const std::vector<sim::EndpointId> m2 = h.world().EndpointsOf("m2");
  h.world().network().AddFilter(
      [&](sim::EndpointId, sim::EndpointId to, const model::Wire& w) {
        return std::find(m2.begin(), m2.end(), to) != m2.end() &&
               model::KindOf(w) != model::WireKind::kBus;
      });
  ASSERT_TRUE(h.world().Crash("r2a"));
  ASSERT_TRUE(h.world().Crash("r2b"));
  std::string migrant;
  ASSERT_TRUE(h.RunUntil(
      [&] {
        for (const char* r : {"r1a", "r1b", "r3a", "r3b"}) {
          const model::ClusterNode* me = h.world().node(r)->cluster().myself;
          if (me->replica_of != nullptr &&
              me->replica_of->name == h.world().node("m2")->name()) {
            migrant = r;
          }
        }
        return !migrant.empty();
      },
      Duration::Seconds(30)));
  ASSERT_TRUE(h.world().Crash("m2"));
  ASSERT_TRUE(h.RunUntil([&] { return h.world().node(migrant)->is_master(); },
                         Duration::Seconds(10)));
  EXPECT_EQ(h.world().node(migrant)->keyspace().size(), 3);
  EXPECT_EQ(h.world().node(migrant)->cluster().myself->num_slots, 5462);  // m2's
  ASSERT_TRUE(h.Heal());
  h.Finish();
  EXPECT_TRUE(checker.ok()) << checker.violations()[0].message;
  EXPECT_GE(checker.misplaced(), 1);
}

}  // namespace
}  // namespace slotsim::props
