#include "props/votes.h"

#include <gtest/gtest.h>

#include "props/testing/fake_cluster.h"
#include "props/testing/harness.h"

namespace slotsim::props {
namespace {

using sim::Duration;
using testing::FakeId;
using testing::Harness;

TEST(VoteLedger, OneVoteEachFromAMajorityWins) {
  VoteLedger l;
  l.ElectionStarted("r1", 7);
  EXPECT_EQ(l.Granted("m2", 7, FakeId("r1"), true), "");
  EXPECT_EQ(l.Granted("m3", 7, FakeId("r1"), true), "");
  EXPECT_EQ(l.Promoted("r1", FakeId("r1"), 3), "");
  EXPECT_EQ(l.elections_won(), 1);
}

TEST(VoteLedger, SecondVoteInAnEpochIsAViolation) {
  VoteLedger l;
  EXPECT_EQ(l.Granted("m2", 7, FakeId("r1"), true), "");
  EXPECT_NE(l.Granted("m2", 7, FakeId("r3"), true).find("voted twice in epoch 7"),
            std::string::npos);
  // Also to the same candidate (lastVoteEpoch forbids any second grant).
  EXPECT_NE(l.Granted("m2", 7, FakeId("r1"), true), "");
  EXPECT_EQ(l.Granted("m2", 8, FakeId("r1"), true), "");
}

TEST(VoteLedger, ResetHardStartsANewLife) {
  VoteLedger l;
  EXPECT_EQ(l.Granted("m2", 3, FakeId("r1"), true), "");
  l.ResetHard("m2");
  EXPECT_EQ(l.Granted("m2", 3, FakeId("r1"), true), "");
}

TEST(VoteLedger, VoteFromASlotlessNodeIsAViolation) {
  VoteLedger l;
  EXPECT_NE(
      l.Granted("r2", 7, FakeId("r1"), false).find("without being a master with slots"),
      std::string::npos);
}

TEST(VoteLedger, TwoWinnersOfOneEpochIsAViolation) {
  VoteLedger l;
  l.ElectionStarted("r1", 7);
  l.ElectionStarted("r2", 7);
  for (const char* v : {"m1", "m2", "m3"}) l.Granted(v, 7, FakeId("r1"), true);
  for (const char* v : {"m4", "m5", "m6"}) l.Granted(v, 7, FakeId("r2"), true);
  EXPECT_EQ(l.Promoted("r1", FakeId("r1"), 5), "");
  EXPECT_NE(l.Promoted("r2", FakeId("r2"), 5).find("both won the election of epoch 7"),
            std::string::npos);
}

// 7.0.15: an ACK of the previous epoch that arrives after the next election
// was scheduled counts toward it.
TEST(VoteLedger, LateVoteOfThePreviousEpochIsCountedNotReported) {
  VoteLedger l;
  l.ElectionStarted("r1", 13);
  l.Granted("m2", 13, FakeId("r1"), true);  // delivered late
  l.ElectionStarted("r1", 14);
  l.Granted("m4", 14, FakeId("r1"), true);
  l.Granted("m5", 14, FakeId("r1"), true);
  EXPECT_EQ(l.Promoted("r1", FakeId("r1"), 5), "");
  EXPECT_EQ(l.stale_vote_wins(), 1);
  // Votes count once per voter.
  l.ElectionStarted("r2", 15);
  l.Granted("m1", 14, FakeId("r2"), true);
  l.Granted("m1", 15, FakeId("r2"), true);
  l.Granted("m3", 15, FakeId("r2"), true);
  EXPECT_NE(l.Promoted("r2", FakeId("r2"), 5).find("with 2 vote(s) granted, quorum 3"),
            std::string::npos);
}

TEST(VoteLedger, WinWithoutQuorumOrElectionIsAViolation) {
  VoteLedger l;
  l.ElectionStarted("r1", 7);
  l.Granted("m2", 7, FakeId("r1"), true);
  EXPECT_NE(l.Promoted("r1", FakeId("r1"), 3).find("with 1 vote(s) granted, quorum 2"),
            std::string::npos);
  EXPECT_NE(l.Promoted("r2", FakeId("r2"), 3).find("without starting an election"),
            std::string::npos);
}

// ---------------------------------------------------------------- on a world

TEST(VotesWorld, CrashRestartAndManualFailoversVoteOnce) {
  Harness h(Harness::Options(3, 1, 1000, /*seed=*/31));
  VotesChecker checker;
  h.Add(&checker);
  ASSERT_TRUE(h.FormCluster(3, 1));
  ASSERT_TRUE(h.world().Crash("m1"));
  h.RunFor(Duration::Seconds(5));
  ASSERT_TRUE(h.world().node("r1")->is_master());
  // Voters crash and come back from their nodes.conf.
  ASSERT_TRUE(h.world().Crash("m2", sim::CrashKind::kPowerLoss));
  ASSERT_TRUE(h.world().Restart("m2"));
  ASSERT_TRUE(h.world().Restart("m1"));
  h.RunFor(Duration::Seconds(5));
  ASSERT_FALSE(h.Command("r3", {"CLUSTER", "FAILOVER"}).is_error());
  h.RunFor(Duration::Seconds(3));
  ASSERT_FALSE(h.Command("m3", {"CLUSTER", "FAILOVER", "TAKEOVER"}).is_error());
  h.RunFor(Duration::Seconds(3));
  ASSERT_TRUE(h.Heal());
  h.Finish();
  EXPECT_TRUE(checker.ok()) << checker.violations()[0].message;
  EXPECT_GE(checker.ledger().elections_won(), 2);
  EXPECT_GE(checker.ledger().grants(), 4);
}

}  // namespace
}  // namespace slotsim::props
