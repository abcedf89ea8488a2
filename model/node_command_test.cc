// The command table and CLUSTER subcommands: replies and Redis 7.0.15's exact
// error strings (processCommand's lookup/arity checks, clusterCommand).

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/node.h"
#include "model/testing/test_cluster.h"

namespace slotsim::model {
namespace {

using sim::Duration;
using testing::TestCluster;

class NodeCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { tc_.AddNode(); }
  std::string Err(const std::vector<std::string>& argv) {
    Reply r = tc_.Command(0, argv);
    EXPECT_TRUE(r.is_error()) << r.ToText();
    return r.str();
  }
  TestCluster tc_{81};
};

TEST_F(NodeCommandTest, LookupAndArity) {
  EXPECT_EQ(Err({"FOO", "a", "b"}),
            "ERR unknown command 'FOO', with args beginning with: 'a' 'b' ");
  EXPECT_EQ(Err({"CLUSTER"}), "ERR wrong number of arguments for 'cluster' command");
  EXPECT_EQ(Err({"CLUSTER", "NOPE"}), "ERR unknown subcommand 'NOPE'. Try CLUSTER HELP.");
  EXPECT_EQ(Err({"CLUSTER", "MYID", "x"}),
            "ERR wrong number of arguments for 'cluster|myid' command");
  EXPECT_EQ(Err({"CLUSTER", "MEET", "1.2.3.4"}),
            "ERR wrong number of arguments for 'cluster|meet' command");
  EXPECT_EQ(Err({"CLUSTER", "MEET", "1.2.3.4", "1", "2", "3"}),
            "ERR unknown subcommand or wrong number of arguments for 'MEET'. Try CLUSTER "
            "HELP.");
  EXPECT_EQ(Err({"GET"}), "ERR wrong number of arguments for 'get' command");
  EXPECT_EQ(tc_.Command(0, {"PING"}).str(), "PONG");
  EXPECT_EQ(tc_.Command(0, {"CLUSTER", "MYID"}).str(), tc_.node(0).name().str());
  EXPECT_EQ(tc_.Command(0, {"CLUSTER", "KEYSLOT", "foo"}).integer(), 12182);
  EXPECT_GT(tc_.Command(0, {"CLUSTER", "HELP"}).items().size(), 50u);
}

TEST_F(NodeCommandTest, MeetValidatesTheAddress) {
  EXPECT_EQ(Err({"CLUSTER", "MEET", "1.2.3.4", "x"}),
            "ERR Invalid TCP base port specified: x");
  EXPECT_EQ(Err({"CLUSTER", "MEET", "1.2.3.4", "7000", "y"}),
            "ERR Invalid TCP bus port specified: y");
  EXPECT_EQ(Err({"CLUSTER", "MEET", "1.2.3", "7000"}),
            "ERR Invalid node address specified: 1.2.3:7000");
  EXPECT_EQ(Err({"CLUSTER", "MEET", "1.2.3.4", "70000"}),
            "ERR Invalid node address specified: 1.2.3.4:70000");
  EXPECT_EQ(tc_.Command(0, {"CLUSTER", "MEET", "1.2.3.4", "7000"}).str(), "OK");
}

TEST_F(NodeCommandTest, AddAndDelSlots) {
  EXPECT_EQ(Err({"CLUSTER", "ADDSLOTS", "16384"}), "ERR Invalid or out of range slot");
  EXPECT_EQ(Err({"CLUSTER", "ADDSLOTS", "1", "1"}), "ERR Slot 1 specified multiple times");
  EXPECT_EQ(tc_.Command(0, {"CLUSTER", "ADDSLOTS", "1", "2"}).str(), "OK");
  EXPECT_EQ(Err({"CLUSTER", "ADDSLOTS", "3", "2"}), "ERR Slot 2 is already busy");
  EXPECT_EQ(Err({"CLUSTER", "DELSLOTS", "5"}), "ERR Slot 5 is already unassigned");
  EXPECT_EQ(Err({"CLUSTER", "ADDSLOTSRANGE", "10", "5"}),
            "ERR start slot number 10 is greater than end slot number 5");
  EXPECT_EQ(Err({"CLUSTER", "ADDSLOTSRANGE", "10", "20", "30"}),
            "ERR wrong number of arguments for 'cluster|addslotsrange' command");
  EXPECT_EQ(Err({"CLUSTER", "ADDSLOTSRANGE", "0", "5"}), "ERR Slot 1 is already busy");
  EXPECT_EQ(tc_.Command(0, {"CLUSTER", "ADDSLOTSRANGE", "3", "10", "20", "30"}).str(), "OK");
  EXPECT_EQ(tc_.node(0).cluster().myself->num_slots, 2 + 8 + 11);
  EXPECT_EQ(tc_.Command(0, {"CLUSTER", "DELSLOTSRANGE", "20", "30"}).str(), "OK");
  EXPECT_EQ(tc_.node(0).cluster().myself->num_slots, 10);
  EXPECT_EQ(tc_.Command(0, {"CLUSTER", "FLUSHSLOTS"}).str(), "OK");
  EXPECT_EQ(tc_.node(0).cluster().myself->num_slots, 0);
}

TEST_F(NodeCommandTest, SetSlot) {
  const std::string me = tc_.node(0).name().str();
  const std::string unknown(40, 'a');
  EXPECT_EQ(Err({"CLUSTER", "SETSLOT", "x", "STABLE"}), "ERR Invalid or out of range slot");
  EXPECT_EQ(Err({"CLUSTER", "SETSLOT", "7", "MIGRATING", me}),
            "ERR I'm not the owner of hash slot 7");
  EXPECT_EQ(Err({"CLUSTER", "SETSLOT", "7", "IMPORTING", unknown}),
            "ERR I don't know about node " + unknown);
  EXPECT_EQ(Err({"CLUSTER", "SETSLOT", "7", "NODE", unknown}), "ERR Unknown node " + unknown);
  EXPECT_EQ(Err({"CLUSTER", "SETSLOT", "7", "SIDEWAYS"}),
            "ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP");
  EXPECT_EQ(tc_.Command(0, {"CLUSTER", "SETSLOT", "7", "NODE", me}).str(), "OK");
  EXPECT_EQ(Err({"CLUSTER", "SETSLOT", "7", "IMPORTING", me}),
            "ERR I'm already the owner of hash slot 7");
  EXPECT_EQ(tc_.Command(0, {"CLUSTER", "SETSLOT", "7", "MIGRATING", me}).str(), "OK");
  EXPECT_EQ(tc_.node(0).cluster().migrating_slots_to.count(7), 1u);
  EXPECT_EQ(tc_.Command(0, {"CLUSTER", "SETSLOT", "7", "STABLE"}).str(), "OK");
  EXPECT_EQ(tc_.node(0).cluster().migrating_slots_to.count(7), 0u);
}

TEST_F(NodeCommandTest, Epochs) {
  EXPECT_EQ(tc_.Command(0, {"CLUSTER", "BUMPEPOCH"}).str(), "BUMPED 1");
  EXPECT_EQ(tc_.Command(0, {"CLUSTER", "BUMPEPOCH"}).str(), "STILL 1");
  EXPECT_EQ(Err({"CLUSTER", "SET-CONFIG-EPOCH", "x"}),
            "ERR value is not an integer or out of range");
  EXPECT_EQ(Err({"CLUSTER", "SET-CONFIG-EPOCH", "-1"}),
            "ERR Invalid config epoch specified: -1");
  EXPECT_EQ(Err({"CLUSTER", "SET-CONFIG-EPOCH", "5"}),
            "ERR Node config epoch is already non-zero");
}

TEST_F(NodeCommandTest, NodeArgumentErrors) {
  const std::string unknown(40, 'b');
  const std::string me = tc_.node(0).name().str();
  EXPECT_EQ(Err({"CLUSTER", "FORGET", unknown}), "ERR Unknown node " + unknown);
  EXPECT_EQ(Err({"CLUSTER", "FORGET", me}), "ERR I tried hard but I can't forget myself...");
  EXPECT_EQ(Err({"CLUSTER", "REPLICATE", unknown}), "ERR Unknown node " + unknown);
  EXPECT_EQ(Err({"CLUSTER", "REPLICATE", me}), "ERR Can't replicate myself");
  EXPECT_EQ(Err({"CLUSTER", "REPLICAS", unknown}), "ERR Unknown node " + unknown);
  EXPECT_EQ(Err({"CLUSTER", "COUNT-FAILURE-REPORTS", unknown}), "ERR Unknown node " + unknown);
  EXPECT_EQ(tc_.Command(0, {"CLUSTER", "COUNT-FAILURE-REPORTS", me}).integer(), 0);
  EXPECT_EQ(Err({"CLUSTER", "COUNTKEYSINSLOT", "x"}),
            "ERR value is not an integer or out of range");
  EXPECT_EQ(Err({"CLUSTER", "COUNTKEYSINSLOT", "16384"}), "ERR Invalid slot");
  EXPECT_EQ(Err({"CLUSTER", "GETKEYSINSLOT", "1", "-1"}), "ERR Invalid slot or number of keys");
  EXPECT_EQ(Err({"CLUSTER", "RESET", "MEDIUM"}), "ERR syntax error");
}

TEST(NodeCommandClusterTest, RoleDependentErrors) {
  TestCluster tc(82);
  ASSERT_TRUE(tc.Create(3, 1));
  const std::string m0 = tc.node(0).name().str();
  const std::string r3 = tc.node(3).name().str();
  EXPECT_EQ(tc.Command(3, {"CLUSTER", "SETSLOT", "1", "STABLE"}).str(),
            "ERR Please use SETSLOT only with masters.");
  EXPECT_EQ(tc.Command(3, {"CLUSTER", "FORGET", m0}).str(), "ERR Can't forget my master!");
  EXPECT_EQ(tc.Command(1, {"CLUSTER", "REPLICATE", r3}).str(),
            "ERR I can only replicate a master, not a replica.");
  EXPECT_EQ(tc.Command(1, {"CLUSTER", "REPLICATE", m0}).str(),
            "ERR To set a master the node must be empty and without assigned slots.");
  EXPECT_EQ(tc.Command(1, {"CLUSTER", "SETSLOT", "1", "NODE", r3}).str(),
            "ERR Target node is not a master");
  EXPECT_EQ(tc.Command(1, {"CLUSTER", "SET-CONFIG-EPOCH", "9"}).str(),
            "ERR The user can assign a config epoch only when the node does not know any "
            "other node.");
  EXPECT_EQ(tc.Command(0, {"SET", "bar", "1"}).str(), "OK");
  EXPECT_EQ(tc.Command(0, {"CLUSTER", "RESET"}).str(),
            "ERR CLUSTER RESET can't be called with master nodes containing keys");
  EXPECT_EQ(tc.Command(0, {"CLUSTER", "SETSLOT", "5061", "NODE", tc.node(1).name().str()})
                .str(),
            "ERR Can't assign hashslot 5061 to a different node while I still hold keys "
            "for this hash slot.");
  EXPECT_EQ(tc.Command(0, {"CLUSTER", "FLUSHSLOTS"}).str(),
            "ERR DB must be empty to perform CLUSTER FLUSHSLOTS.");
  // Redirection of keyed commands.
  EXPECT_EQ(tc.Command(1, {"GET", "bar"}).str(), "MOVED 5061 10.0.0.1:7000");
  EXPECT_EQ(tc.Command(0, {"GET", "bar", "x"}).str(),
            "ERR wrong number of arguments for 'get' command");
  EXPECT_EQ(tc.Command(0, {"DEL", "bar", "foo"}).str(),
            "CROSSSLOT Keys in request don't hash to the same slot");
  EXPECT_EQ(tc.Command(0, {"GET", "bar"}).str(), "1");
  // Replica listing and node lines.
  Reply reps = tc.Command(0, {"CLUSTER", "REPLICAS", m0});
  ASSERT_EQ(reps.items().size(), 1u);
  EXPECT_EQ(reps.items()[0].str().substr(0, 40), r3);
  EXPECT_EQ(tc.Command(0, {"CLUSTER", "SLOTS"}).items().size(), 3u);
  EXPECT_NE(tc.Command(0, {"CLUSTER", "INFO"}).str().find("cluster_state:ok\r\n"),
            std::string::npos);
  const std::string info = tc.Command(3, {"INFO", "replication"}).str();
  EXPECT_NE(info.find("role:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:7000\r\n"
                      "master_link_status:up\r\n"),
            std::string::npos);
  EXPECT_NE(tc.Command(0, {"INFO"}).str().find("db0:keys=1,"), std::string::npos);
}

TEST(NodeCommandClusterTest, HardResetForgetsEverything) {
  TestCluster tc(83);
  ASSERT_TRUE(tc.Create(3, 1));
  const NodeName old = tc.node(3).name();
  EXPECT_EQ(tc.Command(3, {"CLUSTER", "RESET", "HARD"}).str(), "OK");
  const ClusterState& cs = tc.node(3).cluster();
  EXPECT_EQ(cs.nodes.size(), 1u);
  EXPECT_NE(cs.myself->name, old);
  EXPECT_TRUE(cs.myself->is_master());
  EXPECT_EQ(cs.current_epoch, Epoch(0));
  EXPECT_EQ(cs.myself->config_epoch, Epoch(0));
  EXPECT_FALSE(tc.node(3).replication().has_master());
  EXPECT_TRUE(tc.persisted_fsync(3));
}

}  // namespace
}  // namespace slotsim::model
