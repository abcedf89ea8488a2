#include "props/single_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <variant>
#include <vector>

#include "model/bus_message.h"
#include "model/node_io.h"
#include "props/testing/fake_cluster.h"
#include "props/testing/harness.h"
#include "sim/faults.h"
#include "sim/ids.h"

namespace slotsim::props {
namespace {

using sim::Duration;
using testing::FakeCluster;
using testing::Harness;

// r1 won an election in its own view (configEpoch 4) but m1 never heard.
FakeCluster PromotedBehindOldMastersBack() {
  FakeCluster c = FakeCluster::Standard(3, 1);
  c.SetRole("r1", "r1", "");
  c.Bind("r1", 0, 5460, "r1");
  c.peer("r1", "r1").config_epoch = model::Epoch(4);
  c.state("r1").current_epoch = model::Epoch(4);
  return c;
}

TEST(SingleWriter, HealthyClusterHasNoOverlap) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  EXPECT_TRUE(FindWriterOverlaps(c.view()).empty());
}

TEST(SingleWriter, TwoSelfOwnersBothWritableOverlap) {
  FakeCluster c = PromotedBehindOldMastersBack();
  const auto overlaps = FindWriterOverlaps(c.view());
  ASSERT_EQ(overlaps.size(), 1u);
  EXPECT_EQ(c.view().nodes[static_cast<size_t>(overlaps[0].a)].name, "m1");
  EXPECT_EQ(c.view().nodes[static_cast<size_t>(overlaps[0].b)].name, "r1");
  EXPECT_EQ(overlaps[0].slots, 5461);
  EXPECT_EQ(overlaps[0].first_slot, 0);
  // Either one unable to write ends the overlap.
  c.state("m1").state = model::ClusterHealth::kFail;
  EXPECT_TRUE(FindWriterOverlaps(c.view()).empty());
}

TEST(SingleWriter, KeylessMigratingSourceDoesNotCount) {
  FakeCluster c = FakeCluster::Standard(3, 0);
  // m2 already owns slot 7 (SETSLOT NODE on the target first); m1, the
  // source, still binds it but is MIGRATING with no keys left.
  c.Bind("m2", 7, 7, "m2");
  c.state("m1").migrating_slots_to[7] = &c.peer("m1", "m2");
  EXPECT_TRUE(FindWriterOverlaps(c.view()).empty());
  EXPECT_EQ(WritableSharedSlots(c.node("m1"), c.node("m2"), 1), 0);
  c.keyspace("m1").Set(testing::KeyInSlot(7), {"v", 0});
  EXPECT_EQ(FindWriterOverlaps(c.view()).size(), 1u);
  EXPECT_EQ(WritableSharedSlots(c.node("m1"), c.node("m2"), 1), 1);
}

TEST(SingleWriter, WindowsFollowQuorumContact) {
  FakeCluster c = PromotedBehindOldMastersBack();  // NT = 15 s
  const int64_t now = c.NowMs();
  const sim::Time t = c.view().now;
  EXPECT_EQ(DocumentedWindow(c.node("m1"), t, sim::Time::Max()), WriterWindow::kRejoin);
  c.LastHeard("m1", "m2", now - 10000);
  c.LastHeard("m1", "m3", now - 10000);
  EXPECT_EQ(DocumentedWindow(c.node("m1"), t, sim::Time::Max()), WriterWindow::kMinority);
  c.LastHeard("m1", "m2", now - 31000);
  c.LastHeard("m1", "m3", now - 31000);
  EXPECT_EQ(DocumentedWindow(c.node("m1"), t, sim::Time::Max()), WriterWindow::kNone);
  EXPECT_EQ(DocumentedWindow(c.node("m1"), t, t - Duration::Seconds(29)),
            WriterWindow::kBack);
  EXPECT_EQ(DocumentedWindow(c.node("m1"), t, t - Duration::Seconds(31)),
            WriterWindow::kNone);
}

TEST(SingleWriter, EpisodeLongerThanTwoNodeTimeoutsIsAViolation) {
  FakeCluster c = PromotedBehindOldMastersBack();
  const sim::Time t = c.view().now;
  const sim::Time never = sim::Time::Max();
  // Both in contact with the others: excused while the episode is short.
  EXPECT_EQ(EpisodeExcuse(c.node("m1"), c.node("r1"), t - Duration::Seconds(29), t, never,
                          never),
            WriterWindow::kRejoin);
  EXPECT_EQ(EpisodeExcuse(c.node("m1"), c.node("r1"), t - Duration::Seconds(31), t, never,
                          never),
            WriterWindow::kNone);
  // Nobody heard for 31 s: a violation even for a fresh episode.
  for (const char* peer : {"m2", "m3", "r1", "r2", "r3"}) {
    c.LastHeard("m1", peer, c.NowMs() - 31000);
  }
  for (const char* peer : {"m1", "m2", "m3", "r2", "r3"}) {
    c.LastHeard("r1", peer, c.NowMs() - 31000);
  }
  EXPECT_EQ(EpisodeExcuse(c.node("m1"), c.node("r1"), t, t, never, never),
            WriterWindow::kNone);
}

// ---------------------------------------------------------------- on a world

TEST(SingleWriterWorld, CrashFailoverAndHealHasNoViolation) {
  Harness h(Harness::Options(3, 1, 1000, /*seed=*/3));
  SingleWriterChecker documented(false);
  SingleWriterChecker strict(true);
  h.Add(&documented);
  h.Add(&strict);
  ASSERT_TRUE(h.FormCluster(3, 1));
  ASSERT_TRUE(h.world().Crash("m1"));
  h.RunFor(Duration::Seconds(10));
  EXPECT_TRUE(h.world().node("r1")->is_master());
  EXPECT_TRUE(h.Heal());
  h.Finish();
  EXPECT_TRUE(h.Violations().empty()) << h.Violations()[0];
  EXPECT_EQ(strict.episodes(), 0);
}

TEST(SingleWriterWorld, MinorityMasterStopsWithinTheWindow) {
  Harness h(Harness::Options(3, 1, 1000, /*seed=*/5));
  SingleWriterChecker documented(false);
  SingleWriterChecker strict(true);
  h.Add(&documented);
  h.Add(&strict);
  ASSERT_TRUE(h.FormCluster(3, 1));
  h.world().Partition({{"m1"}, {"m2", "m3", "r1", "r2", "r3"}}, sim::FaultMode::kDrop);
  h.RunFor(Duration::Seconds(8));
  EXPECT_TRUE(h.world().node("r1")->is_master());
  EXPECT_TRUE(h.Heal());
  h.RunFor(Duration::Seconds(2));
  h.Finish();
  EXPECT_TRUE(documented.ok()) << documented.violations()[0].message;
  // Whatever the strict variant saw, it was short.
  EXPECT_LE(strict.longest_overlap(), Duration::Seconds(2));
}

// A bad state Redis cannot recover from by itself: m1 is paused long enough to
// be failed over, and every UPDATE and every packet of its replica r1 (the new
// master) to it is lost (a network filter, invisible to the checkers as a
// fault). Pings from m2 and m3 carry only their own slots, so m1 keeps its
// quorum contact and its stale claim: it stays writable beside r1.
TEST(SingleWriterWorld, OldMasterThatNeverHearsTheNewClaimIsReported) {
  Harness h(Harness::Options(3, 1, 1000, /*seed=*/7));
  SingleWriterChecker documented(false);
  SingleWriterChecker strict(true);
  h.Add(&documented);
  h.Add(&strict);
  ASSERT_TRUE(h.FormCluster(3, 1));
  const std::vector<sim::EndpointId> m1 = h.world().EndpointsOf("m1");
  const std::vector<sim::EndpointId> r1 = h.world().EndpointsOf("r1");
  auto in = [](const std::vector<sim::EndpointId>& set, sim::EndpointId e) {
    return std::find(set.begin(), set.end(), e) != set.end();
  };
  const auto filter = h.world().network().AddFilter(
      [&](sim::EndpointId from, sim::EndpointId to, const model::Wire& w) {
        if (!in(m1, to)) return false;
        if (in(r1, from)) return true;
        const auto* bus = std::get_if<model::BusMessagePtr>(&w);
        return bus != nullptr && (*bus)->type == model::MsgType::kUpdate;
      });
  ASSERT_TRUE(h.world().Pause("m1"));
  h.RunFor(Duration::Seconds(4));
  ASSERT_TRUE(h.world().node("r1")->is_master());
  ASSERT_TRUE(h.world().Resume("m1"));
  h.RunFor(Duration::Seconds(5));
  EXPECT_TRUE(h.world().node("m1")->is_master());
  EXPECT_GT(h.world().node("m1")->cluster().myself->num_slots, 0);
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(
      strict.violations()[0].message.find("m1 (configEpoch 1) and r1 (configEpoch 7)"),
      std::string::npos)
      << strict.violations()[0].message;
  ASSERT_FALSE(documented.ok());
  EXPECT_NE(documented.violations()[0].message.find("outside the documented windows"),
            std::string::npos)
      << documented.violations()[0].message;
  // Not reported before the windows closed: 2 node timeouts after the resume.
  EXPECT_GE(documented.violations()[0].at,
            strict.violations()[0].at + Duration::Seconds(2));
  h.world().network().RemoveFilter(filter);
  EXPECT_TRUE(h.Heal());
  h.Finish();
}

}  // namespace
}  // namespace slotsim::props
