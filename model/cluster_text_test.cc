#include "model/cluster_text.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "model/bus_message.h"
#include "model/cluster_state_builder.h"
#include "model/measured_cluster_testdata.h"
#include "model/real_redis_formats_testdata.h"

namespace slotsim::model {
namespace {

using testdata::MeasuredState;
using testdata::Snapshot;

constexpr char kN1[] = "1111111111111111111111111111111111111111";
constexpr char kN2[] = "2222222222222222222222222222222222222222";
constexpr char kN3[] = "3333333333333333333333333333333333333333";

// The lines of `text` (which must end in "\n"), sorted.
std::vector<std::string> SortedLines(std::string_view text) {
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::vector<std::string> lines =
      absl::StrSplit(std::string(text.substr(0, text.size() - 1)), '\n');
  std::sort(lines.begin(), lines.end());
  return lines;
}

struct NodesGolden {
  Snapshot snapshot;
  std::string_view measured;
};

class ClusterNodesGoldenTest : public testing::TestWithParam<NodesGolden> {};

TEST_P(ClusterNodesGoldenTest, SameLinesAsRealRedis) {
  ClusterState state = MeasuredState(GetParam().snapshot).state;
  std::string text = ClusterNodesText(state);
  EXPECT_EQ(SortedLines(text), SortedLines(GetParam().measured)) << text;
  EXPECT_EQ(text.size(), GetParam().measured.size());
}

INSTANTIATE_TEST_SUITE_P(
    Measured, ClusterNodesGoldenTest,
    testing::Values(
        NodesGolden{Snapshot::kSteady, testdata::kClusterNodes},
        NodesGolden{Snapshot::kFromReplica, testdata::kClusterNodesFromReplica},
        NodesGolden{Snapshot::kPFail, testdata::kClusterNodesPfail},
        NodesGolden{Snapshot::kFail, testdata::kClusterNodesFail},
        NodesGolden{Snapshot::kAfterFailover, testdata::kClusterNodesAfterFailover},
        NodesGolden{Snapshot::kAfterFailoverSettled,
                    testdata::kClusterNodesAfterFailoverSettled},
        NodesGolden{Snapshot::kAfterRejoin, testdata::kClusterNodesAfterRejoin}));

class ClusterInfoGoldenTest : public testing::TestWithParam<NodesGolden> {};

TEST_P(ClusterInfoGoldenTest, ByteForByteAsRealRedis) {
  ClusterState state = MeasuredState(GetParam().snapshot).state;
  EXPECT_EQ(ClusterInfoText(state), GetParam().measured);
}

INSTANTIATE_TEST_SUITE_P(
    Measured, ClusterInfoGoldenTest,
    testing::Values(NodesGolden{Snapshot::kSteady, testdata::kClusterInfo},
                    NodesGolden{Snapshot::kPFail, testdata::kClusterInfoPfail},
                    NodesGolden{Snapshot::kFail, testdata::kClusterInfoFail},
                    NodesGolden{Snapshot::kAfterFailover,
                                testdata::kClusterInfoAfterFailover},
                    NodesGolden{Snapshot::kAfterFailoverSettled,
                                testdata::kClusterInfoAfterFailoverSettled}));

TEST(ClusterNodeLineTest, MatchesTheLineInClusterNodes) {
  ClusterState state = MeasuredState(Snapshot::kFail).state;
  std::string text = ClusterNodesText(state);
  for (const auto& n : state.nodes) {
    EXPECT_NE(text.find(ClusterNodeLine(state, *n) + "\n"), std::string::npos)
        << n->name.str();
  }
}

TEST(ClusterNodeLineTest, HostnameFollowsTheBusPort) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kMaster, "10.0.0.1", 7000, 17001).hostname =
      "node-1.example";
  ClusterState state = b.Build();
  EXPECT_EQ(ClusterNodeLine(state, *state.myself),
            std::string(kN1) +
                " 10.0.0.1:7000@17001,node-1.example myself,master - 0 0 0 "
                "connected");
}

TEST(ClusterNodeLineTest, SlotRunsSingleSlotsAndTheLastSlot) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kMaster, "127.0.0.1", 7000);
  b.Slots(kN1, 0, 0).Slots(kN1, 2, 5).Slots(kN1, 16383, 16383);
  ClusterState state = b.Build();
  std::string line = ClusterNodeLine(state, *state.myself);
  EXPECT_EQ(line.substr(line.find(" connected")), " connected 0 2-5 16383");
  EXPECT_EQ(ClusterNodesText(state), line + "\n");
}

TEST(ClusterNodeLineTest, OpenSlotsOnlyOnMyselfAndMigratingWins) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kMaster, "127.0.0.1", 7000);
  b.Add(kN2, flags::kMaster, "127.0.0.1", 7001);
  b.Add(kN3, flags::kMaster, "127.0.0.1", 7002);
  b.Slots(kN1, 0, 9).Slots(kN2, 10, 19);
  b.Migrating(3, kN2).Importing(12, kN2).Migrating(7, kN3).Importing(7, kN2);
  ClusterState state = b.Build();
  std::string mine = ClusterNodeLine(state, *state.myself);
  EXPECT_EQ(mine.substr(mine.find(" connected")), std::string(" connected 0-9 [3->-") +
                                                      kN2 + "] [7->-" + kN3 + "] [12-<-" +
                                                      kN2 + "]");
  std::string other = ClusterNodeLine(state, *state.Find(NodeName::FromString(kN2)));
  EXPECT_EQ(other.find('['), std::string::npos) << other;
}

TEST(ClusterNodeLineTest, ReplicaPrintsItsMastersEpochUnlessMasterUnknown) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kMaster, "127.0.0.1", 7000).config_epoch = Epoch(9);
  b.Add(kN2, flags::kSlave, "127.0.0.1", 7001).config_epoch = Epoch(4);
  b.Add(kN3, flags::kSlave, "127.0.0.1", 7002).config_epoch = Epoch(5);
  b.ReplicaOf(kN2, kN1);
  ClusterState state = b.Build();
  EXPECT_EQ(
      ClusterNodeLine(state, *state.Find(NodeName::FromString(kN2))),
      std::string(kN2) + " 127.0.0.1:7001@17001 slave " + kN1 + " 0 0 9 disconnected");
  EXPECT_EQ(ClusterNodeLine(state, *state.Find(NodeName::FromString(kN3))),
            std::string(kN3) + " 127.0.0.1:7002@17002 slave - 0 0 5 disconnected");
}

TEST(ClusterNodeLineTest, ConnectedMeansAnOutboundLinkExists) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kMaster, "127.0.0.1", 7000);
  b.Add(kN2, flags::kMaster, "127.0.0.1", 7001).inbound_link = LinkId(77);
  b.Add(kN3, flags::kMaster, "127.0.0.1", 7002);
  b.Connect(kN3);
  b.state().links[LinkId(1)].connected = false;  // still connecting
  ClusterState state = b.Build();
  auto line = [&](const char* n) {
    return ClusterNodeLine(state, *state.Find(NodeName::FromString(n)));
  };
  EXPECT_NE(line(kN2).find(" disconnected"), std::string::npos);
  EXPECT_NE(line(kN3).find(" connected"), std::string::npos);
}

TEST(ClusterNodesTextTest, HandshakeNodesAreListedUnlessExcluded) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kMaster, "127.0.0.1", 7000);
  b.Add(kN2, flags::kHandshake | flags::kMeet, "127.0.0.1", 7001);
  b.Add(kN3, 0, "", 0, 0).flags = flags::kNoAddr;
  ClusterState state = b.Build();
  std::string all = ClusterNodesText(state);
  EXPECT_NE(all.find(std::string(kN2) + " 127.0.0.1:7001@17001 handshake - "),
            std::string::npos)
      << all;
  EXPECT_NE(all.find(std::string(kN3) + " :0@10000 noaddr - "), std::string::npos) << all;
  std::string filtered = ClusterNodesText(state, flags::kHandshake);
  EXPECT_EQ(filtered.find(kN2), std::string::npos);
  EXPECT_EQ(std::count(filtered.begin(), filtered.end(), '\n'), 2);
}

TEST(ClusterNodesTextTest, NoflagsWhenNoPrintableFlag) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kMaster, "127.0.0.1", 7000);
  b.Add(kN2, flags::kMigrateTo, "127.0.0.1", 7001);
  ClusterState state = b.Build();
  EXPECT_NE(ClusterNodesText(state).find(" noflags - "), std::string::npos);
}

TEST(SlotRangesByNodeTest, IndexedLikeNodes) {
  ClusterStateBuilder b;
  b.Add(kN3, flags::kMyself | flags::kMaster, "127.0.0.1", 7000);
  b.Add(kN1, flags::kMaster, "127.0.0.1", 7001);
  b.Add(kN2, flags::kMaster, "127.0.0.1", 7002);
  b.Slots(kN3, 0, 1).Slots(kN1, 2, 2).Slots(kN3, 3, 3).Slots(kN1, 100, 16383);
  ClusterState state = b.Build();
  std::vector<SlotRanges> r = SlotRangesByNode(state);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0], (SlotRanges{{2, 2}, {100, 16383}}));  // kN1
  EXPECT_TRUE(r[1].empty());                            // kN2
  EXPECT_EQ(r[2], (SlotRanges{{0, 1}, {3, 3}}));        // kN3
}

TEST(ClusterInfoTextTest, ReplicaReportsItsMastersEpochAndCountsAllNodes) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMaster, "127.0.0.1", 7000).config_epoch = Epoch(8);
  b.Add(kN2, flags::kMyself | flags::kSlave, "127.0.0.1", 7001).config_epoch = Epoch(3);
  b.Add(kN3, flags::kHandshake, "127.0.0.1", 7002);
  b.ReplicaOf(kN2, kN1).Slots(kN1, 0, 99);
  b.state().current_epoch = Epoch(11);
  b.state().stats_links_buffer_limit_exceeded = 2;
  ClusterState state = b.Build();
  EXPECT_EQ(ClusterInfoText(state),
            "cluster_state:fail\r\n"
            "cluster_slots_assigned:100\r\n"
            "cluster_slots_ok:100\r\n"
            "cluster_slots_pfail:0\r\n"
            "cluster_slots_fail:0\r\n"
            "cluster_known_nodes:3\r\n"
            "cluster_size:1\r\n"
            "cluster_current_epoch:11\r\n"
            "cluster_my_epoch:8\r\n"
            "cluster_stats_messages_sent:0\r\n"
            "cluster_stats_messages_received:0\r\n"
            "total_cluster_links_buffer_limit_exceeded:2\r\n");
}

TEST(ClusterInfoTextTest, CountersInTypeOrderUsingRedisNames) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kMaster, "127.0.0.1", 7000);
  b.state().stats_sent[static_cast<int>(MsgType::kPublishShard)] = 2;
  b.state().stats_sent[static_cast<int>(MsgType::kUpdate)] = 3;
  b.state().stats_received[static_cast<int>(MsgType::kMfStart)] = 1;
  ClusterState state = b.Build();
  std::string info = ClusterInfoText(state);
  EXPECT_NE(info.find("cluster_stats_messages_update_sent:3\r\n"
                      "cluster_stats_messages_publishshard_sent:2\r\n"
                      "cluster_stats_messages_sent:5\r\n"
                      "cluster_stats_messages_mfstart_received:1\r\n"
                      "cluster_stats_messages_received:1\r\n"),
            std::string::npos)
      << info;
}

// ClusterNodesText caches each line in the node (ClusterNode::line_cache);
// after any change of what a line shows, the text equals the uncached lines.
TEST(ClusterNodesTextTest, CachedLinesFollowEveryChange) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kMaster, "127.0.0.1", 7000).config_epoch = Epoch(1);
  b.Add(kN2, flags::kMaster, "127.0.0.1", 7001).config_epoch = Epoch(2);
  b.Add(kN3, flags::kSlave, "127.0.0.1", 7002);
  b.ReplicaOf(kN3, kN2);
  ClusterState state = b.Build();
  ClusterNode* n2 = state.Find(NodeName::FromString(kN2));
  ClusterNode* n3 = state.Find(NodeName::FromString(kN3));
  auto uncached = [&] {
    std::string out;
    for (const auto& n : state.nodes) out += ClusterNodeLine(state, *n) + "\n";
    return out;
  };
  int step = 0;
  auto check = [&] {
    ++step;
    EXPECT_EQ(ClusterNodesText(state), uncached()) << "after change " << step;
    EXPECT_EQ(ClusterNodesText(state), uncached()) << "again after change " << step;
  };
  check();
  n3->ip = "127.0.0.2";
  check();
  n3->ip = "10.1.1.1";
  check();
  n3->hostname = "h";
  check();
  n3->hostname = "h y";
  check();
  n3->hostname.clear();
  check();
  n3->port = 7102;
  check();
  n3->cport = 17102;
  check();
  n3->ping_sent_ms = 5;
  check();
  n3->pong_received_ms = 6;
  check();
  n2->config_epoch = Epoch(7);  // n3 prints its master's epoch
  check();
  n3->flags |= flags::kPFail;
  check();
  state.AddSlot(n2, 5);
  check();
  state.AddSlot(n2, 6);
  check();
  state.DelSlot(5);
  check();
  n2->link = LinkId(3);
  check();
  state.RemoveReplica(n2, n3);
  n3->replica_of = nullptr;
  check();
  state.AddReplica(n2, n3);
  n3->replica_of = n2;
  check();
}

}  // namespace
}  // namespace slotsim::model
