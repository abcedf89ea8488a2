#include "scenarios/cli_nodes.h"

#include <gtest/gtest.h>

#include <climits>
#include <string>

namespace slotsim::scenarios {
namespace {

const std::string kA(40, 'a');
const std::string kB(40, 'b');
const std::string kC(40, 'c');

TEST(ParseCliNodes, MyselfSlotsOpenSlotsAndReplicas) {
  const std::string text =
      kA + " 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5 9 [7->-" + kB +
      "] [8-<-" + kC + "]\n" + kB + " 127.0.0.1:7001@17001,host-b slave " + kA +
      " 0 1700000000000 1 connected\n" + kC +
      " 127.0.0.1:7002@17002 master,fail - 1 2 3 disconnected 10-20\n";
  std::string error;
  auto lines = ParseCliNodes(text, &error);
  ASSERT_TRUE(lines.has_value()) << error;
  ASSERT_EQ(lines->size(), 3u);
  const CliNodesLine& me = (*lines)[0];
  EXPECT_TRUE(me.myself);
  EXPECT_EQ(me.flags, (std::vector<std::string>{"myself", "master"}));
  EXPECT_EQ(me.ip, "127.0.0.1");
  EXPECT_EQ(me.port, 7000);
  EXPECT_EQ(me.bus_port, 17000);
  EXPECT_TRUE(me.has_slot_part);
  EXPECT_EQ(me.slots_count, 7);
  EXPECT_TRUE(me.slots.Test(0) && me.slots.Test(5) && me.slots.Test(9));
  EXPECT_FALSE(me.slots.Test(7));
  ASSERT_EQ(me.migrating.size(), 1u);
  EXPECT_EQ(me.migrating[0].first, 7);
  EXPECT_EQ(me.migrating[0].second.str(), kB);
  ASSERT_EQ(me.importing.size(), 1u);
  EXPECT_EQ(me.importing[0].first, 8);
  EXPECT_EQ(me.config_epoch, 1);
  EXPECT_EQ(me.link_state, "connected");
  const CliNodesLine& replica = (*lines)[1];
  EXPECT_FALSE(replica.myself);
  EXPECT_EQ(replica.bus_port, 17001);  // atoi stops at ",host-b"
  EXPECT_EQ(replica.replicate, kA);
  EXPECT_TRUE(replica.flag_bits & kCliFlagSlave);
  EXPECT_FALSE(replica.has_slot_part);
  EXPECT_EQ(replica.link_state, "connected");
  const CliNodesLine& failed = (*lines)[2];
  EXPECT_TRUE(failed.flag_bits & kCliFlagFail);
  EXPECT_EQ(failed.replicate, "");
  EXPECT_EQ(failed.link_state, "disconnected");
}

TEST(ParseCliNodes, BadRepliesFailTheLoad) {
  std::string error = "x";
  EXPECT_FALSE(ParseCliNodes(kA + " 127.0.0.1:7000\n", &error).has_value());
  EXPECT_EQ(error, "");
  EXPECT_FALSE(ParseCliNodes(kA + " nowhere myself,master - 0 0 0 connected\n", &error)
                   .has_value());
  EXPECT_EQ(error, "Error: invalid CLUSTER NODES reply");
  // An unterminated last line is not read.
  auto lines =
      ParseCliNodes(kA + " 127.0.0.1:7000@17000 myself,master - 0 0 0 connected", &error);
  ASSERT_TRUE(lines.has_value());
  EXPECT_TRUE(lines->empty());
}

TEST(InfoLongField, SubstringSearchAndMissing) {
  const std::string info =
      "# Cluster\r\ncluster_enabled:1\r\n# Keyspace\r\ndb0:keys=3,expires=0\r\n";
  EXPECT_EQ(InfoLongField(info, "cluster_enabled"), 1);
  EXPECT_EQ(InfoLongField(info, "db0"), 0);  // "keys=3" is not a number
  EXPECT_EQ(InfoLongField("cluster_known_nodes:6\r\n", "cluster_known_nodes"), 6);
  EXPECT_EQ(InfoLongField(info, "cluster_known_nodes"), INT64_MIN);
}

TEST(ParseCliAddress, IpPortBus) {
  std::string ip;
  int port = 0, bus = 0;
  ASSERT_TRUE(ParseCliAddress("10.0.0.1:7000@17000,name", &ip, &port, &bus));
  EXPECT_EQ(ip, "10.0.0.1");
  EXPECT_EQ(port, 7000);
  EXPECT_EQ(bus, 17000);
  ASSERT_TRUE(ParseCliAddress("::1:6379", &ip, &port, nullptr));
  EXPECT_EQ(ip, "::1");
  EXPECT_FALSE(ParseCliAddress("nohost", &ip, &port, &bus));
}

TEST(SlotOwnersFromClusterSlots, MatchingRanges) {
  using model::Reply;
  Reply r = Reply::Array({
      Reply::Array({Reply::Integer(0), Reply::Integer(99),
                    Reply::Array({Reply::Bulk("127.0.0.1"), Reply::Integer(7000),
                                  Reply::Bulk(kA)})}),
      Reply::Array({Reply::Integer(100), Reply::Integer(16383),
                    Reply::Array({Reply::Bulk("127.0.0.1"), Reply::Integer(7001)})}),
  });
  auto a = SlotOwnersFromClusterSlots(r, 5);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].id, kA);
  auto b = SlotOwnersFromClusterSlots(r, 100);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].id, "");
  EXPECT_EQ(b[0].port, 7001);
  EXPECT_TRUE(SlotOwnersFromClusterSlots(Reply::Array({}), 5).empty());
}

}  // namespace
}  // namespace slotsim::scenarios
