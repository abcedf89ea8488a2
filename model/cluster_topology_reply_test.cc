#include "model/cluster_topology_reply.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "model/cluster_state_builder.h"
#include "model/measured_cluster_testdata.h"
#include "model/real_redis_formats_testdata.h"
#include "model/redis_cli_text.h"

namespace slotsim::model {
namespace {

using testdata::MeasuredState;
using testdata::Snapshot;

constexpr char kN1[] = "1111111111111111111111111111111111111111";
constexpr char kN2[] = "2222222222222222222222222222222222222222";
constexpr char kN3[] = "3333333333333333333333333333333333333333";

// redis-cli's output split into shards (each starts at a line "slots"),
// sorted, so that shard order (Redis: dict order) does not matter.
std::vector<std::string> ShardBlocks(std::string_view cli_text) {
  EXPECT_EQ(cli_text.back(), '\n');
  cli_text.remove_suffix(1);  // redis-cli's final delimiter
  std::vector<std::string> blocks;
  for (absl::string_view line : absl::StrSplit(std::string(cli_text), '\n')) {
    if (line == "slots" || blocks.empty()) blocks.emplace_back();
    absl::StrAppend(&blocks.back(), line, "\n");
  }
  std::sort(blocks.begin(), blocks.end());
  return blocks;
}

std::vector<std::string> OurShardBlocks(const Reply& shards) {
  std::vector<std::string> blocks;
  for (size_t i = 0; i < shards.items().size(); ++i) {
    // Every shard but the last is followed by the array delimiter "\n"; the
    // last by redis-cli's command delimiter "\n".
    blocks.push_back(RedisCliRaw(shards.items()[i]) + "\n");
  }
  std::sort(blocks.begin(), blocks.end());
  return blocks;
}

// Python's json.dumps(value, indent=1), the form of cluster-shards.json.
std::string Json(const Reply& r, int level) {
  switch (r.kind()) {
    case Reply::Kind::kInteger:
      return std::to_string(r.integer());
    case Reply::Kind::kNil:
      return "null";
    case Reply::Kind::kArray: {
      if (r.items().empty()) return "[]";
      std::string out = "[\n";
      for (size_t i = 0; i < r.items().size(); ++i) {
        if (i > 0) out += ",\n";
        out += std::string(level + 1, ' ') + Json(r.items()[i], level + 1);
      }
      return out + "\n" + std::string(level, ' ') + "]";
    }
    default:
      return "\"" + r.str() + "\"";  // no escapes needed in these replies
  }
}

TEST(ClusterSlotsReplyTest, MeasuredSteadyStateByteForByte) {
  auto m = MeasuredState(Snapshot::kSteady);
  Reply slots = ClusterSlotsReply(m.state, EndpointType::kIp, m.my_repl_offset);
  EXPECT_EQ(RedisCliOutput(slots), testdata::kClusterSlotsRedisCli);
}

struct ShardsGolden {
  Snapshot snapshot;
  std::string_view measured;
};

class ClusterShardsGoldenTest : public testing::TestWithParam<ShardsGolden> {};

TEST_P(ClusterShardsGoldenTest, SameShardsAsRealRedis) {
  auto m = MeasuredState(GetParam().snapshot);
  Reply shards = ClusterShardsReply(m.state, EndpointType::kIp, m.my_repl_offset);
  EXPECT_EQ(OurShardBlocks(shards), ShardBlocks(GetParam().measured));
  EXPECT_EQ(RedisCliOutput(shards).size(), GetParam().measured.size());
}

INSTANTIATE_TEST_SUITE_P(
    Measured, ClusterShardsGoldenTest,
    testing::Values(ShardsGolden{Snapshot::kSteady, testdata::kClusterShardsRedisCli},
                    ShardsGolden{Snapshot::kFail, testdata::kClusterShardsFailRedisCli},
                    ShardsGolden{Snapshot::kAfterFailover,
                                 testdata::kClusterShardsAfterFailoverRedisCli},
                    ShardsGolden{Snapshot::kAfterRejoin,
                                 testdata::kClusterShardsAfterRejoinRedisCli}));

TEST(ClusterShardsReplyTest, TypesMatchTheMeasuredJson) {
  auto m = MeasuredState(Snapshot::kSteady);
  Reply shards = ClusterShardsReply(m.state, EndpointType::kIp, m.my_repl_offset);
  std::string_view json = testdata::kClusterShardsJson;
  size_t expected_size = std::string_view("[\n\n]\n").size();
  for (size_t i = 0; i < shards.items().size(); ++i) {
    std::string block = " " + Json(shards.items()[i], 1);
    EXPECT_NE(json.find(block), std::string_view::npos) << block;
    expected_size += block.size() + (i > 0 ? 2 : 0);
  }
  EXPECT_EQ(expected_size, json.size());
}

TEST(ClusterSlotsReplyTest, ListsOnlyReplicasThatAreUpAndHaveData) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kSlave, "127.0.0.1", 7000);
  b.Add(kN2, flags::kMaster, "127.0.0.1", 7001);
  b.Add(kN3, flags::kSlave | flags::kFail, "127.0.0.1", 7002).repl_offset = 9;
  b.ReplicaOf(kN1, kN2).ReplicaOf(kN3, kN2).Slots(kN2, 0, 16383);
  ClusterState state = b.Build();
  // myself's table offset is 0; only my_repl_offset counts for myself.
  Reply with_me = ClusterSlotsReply(state, EndpointType::kIp, 5);
  ASSERT_EQ(with_me.items().size(), 1u);
  ASSERT_EQ(with_me.items()[0].items().size(), 4u);
  EXPECT_EQ(with_me.items()[0].items()[3].items()[2].str(), kN1);
  Reply without = ClusterSlotsReply(state, EndpointType::kIp, 0);
  EXPECT_EQ(without.items()[0].items().size(), 3u);  // N3 is FAIL
}

TEST(ClusterSlotsReplyTest, EndpointTypesAndMetadata) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kMaster, "10.0.0.1", 7000).hostname = "h1";
  b.Add(kN2, flags::kMaster, "10.0.0.2", 7001);
  b.Slots(kN1, 0, 0).Slots(kN2, 1, 1);
  ClusterState state = b.Build();

  Reply ip = ClusterSlotsReply(state, EndpointType::kIp, 0);
  EXPECT_EQ(ip.items()[0].ToResp(),
            "*3\r\n:0\r\n:0\r\n*4\r\n$8\r\n10.0.0.1\r\n:7000\r\n$40\r\n" +
                std::string(kN1) + "\r\n*2\r\n$8\r\nhostname\r\n$2\r\nh1\r\n");

  Reply host = ClusterSlotsReply(state, EndpointType::kHostname, 0);
  EXPECT_EQ(RedisCliRaw(host.items()[0].items()[2]),
            absl::StrCat("h1\n7000\n", kN1, "\nip\n10.0.0.1"));
  EXPECT_EQ(RedisCliRaw(host.items()[1].items()[2]),
            absl::StrCat("?\n7001\n", kN2, "\nip\n10.0.0.2"));

  Reply unknown = ClusterSlotsReply(state, EndpointType::kUnknownEndpoint, 0);
  const Reply& node = unknown.items()[0].items()[2];
  EXPECT_EQ(node.items()[0].kind(), Reply::Kind::kNil);
  EXPECT_EQ(RedisCliRaw(node.items()[3]), "ip\n10.0.0.1\nhostname\nh1");
}

TEST(ClusterSlotsReplyTest, OneEntryPerRunOfTheSameOwner) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kMaster, "127.0.0.1", 7000);
  b.Add(kN2, flags::kMaster, "127.0.0.1", 7001);
  b.Slots(kN1, 0, 9).Slots(kN2, 10, 10).Slots(kN1, 11, 20).Slots(kN1, 16383, 16383);
  ClusterState state = b.Build();
  Reply r = ClusterSlotsReply(state, EndpointType::kIp, 0);
  std::vector<std::pair<int64_t, int64_t>> runs;
  for (const Reply& e : r.items()) {
    runs.emplace_back(e.items()[0].integer(), e.items()[1].integer());
  }
  EXPECT_EQ(runs, (std::vector<std::pair<int64_t, int64_t>>{
                      {0, 9}, {10, 10}, {11, 20}, {16383, 16383}}));
}

TEST(ClusterShardsReplyTest, HostnamePortHealthAndEmptyShards) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kMaster, "10.0.0.1", 7000).hostname = "h1";
  b.Add(kN2, flags::kSlave, "10.0.0.2", 0).repl_offset = 0;
  b.Add(kN3, flags::kMaster | flags::kFail, "10.0.0.3", 7002);
  b.ReplicaOf(kN2, kN1).Slots(kN1, 0, 5).Slots(kN1, 8, 8);
  ClusterState state = b.Build();
  Reply r = ClusterShardsReply(state, EndpointType::kHostname, 42);
  ASSERT_EQ(r.items().size(), 2u);  // N1's shard, N3's shard
  EXPECT_EQ(RedisCliRaw(r.items()[0]),
            absl::StrCat("slots\n0\n5\n8\n8\nnodes\n", "id\n", kN1,
                         "\nport\n7000\nip\n10.0.0.1\n",
                         "endpoint\nh1\nhostname\nh1\nrole\nmaster\n",
                         "replication-offset\n42\nhealth\nonline\n", "id\n", kN2,
                         "\nip\n10.0.0.2\nendpoint\n?\n",
                         "role\nreplica\nreplication-offset\n0\n", "health\nloading"));
  EXPECT_EQ(RedisCliRaw(r.items()[1]),
            absl::StrCat("slots\n\nnodes\nid\n", kN3,
                         "\nport\n7002\nip\n10.0.0.3\nendpoint\n?\n",
                         "role\nmaster\nreplication-offset\n0\nhealth\nfail"));
}

}  // namespace
}  // namespace slotsim::model
