#include "model/cli_node.h"

#include "gtest/gtest.h"

namespace slotsim::model {
namespace {

const NodeName kMaster = NodeName::FromString("039c3316a0a4e59085300b8e86827a175af3e4f1");
const NodeName kReplica =
    NodeName::FromString("b2a59c52e9b79d821ec8fd45a6bbb8a0c10e7600");

TEST(CliSlotsStringTest, RangesAndSingles) {
  SlotBitmap s;
  EXPECT_EQ(CliSlotsString(s), "");
  s.SetRange(0, 5460);
  EXPECT_EQ(CliSlotsString(s), "[0-5460]");
  s.Set(5462);
  s.Set(16383);
  EXPECT_EQ(CliSlotsString(s), "[0-5460],[5462],[16383]");
}

// Lines as in the measured `redis-cli --cluster check` of a 6-node cluster.
TEST(CliNodeInfoTest, MatchesMeasuredCheckOutput) {
  SlotBitmap slots;
  slots.SetRange(0, 5460);
  CliNode master = MakeCliMaster(kMaster, "127.0.0.1", 11001, slots);
  master.flags = {"myself", "master"};
  master.replicas_count = 1;
  EXPECT_EQ(CliNodeInfo(master, 0),
            "M: 039c3316a0a4e59085300b8e86827a175af3e4f1 127.0.0.1:11001\n"
            "   slots:[0-5460] (5461 slots) master\n"
            "   1 additional replica(s)");
  CliNode replica = MakeCliReplica(kReplica, "127.0.0.1", 11004, kMaster);
  EXPECT_EQ(CliNodeInfo(replica, 0),
            "S: b2a59c52e9b79d821ec8fd45a6bbb8a0c10e7600 127.0.0.1:11004\n"
            "   slots: (0 slots) slave\n"
            "   replicates 039c3316a0a4e59085300b8e86827a175af3e4f1");
  EXPECT_EQ(CliShowNodes({master, replica}),
            CliNodeInfo(master, 0) + "\n" + CliNodeInfo(replica, 0) + "\n");
}

TEST(CliNodeInfoTest, DirtyReplicaAndIndent) {
  CliNode replica = MakeCliReplica(kReplica, "127.0.0.1", 11004, kMaster);
  replica.dirty = true;
  EXPECT_EQ(CliNodeInfo(replica, 4),
            "    S: b2a59c52e9b79d821ec8fd45a6bbb8a0c10e7600 127.0.0.1:11004\n"
            "       replicates 039c3316a0a4e59085300b8e86827a175af3e4f1");
  SlotBitmap slots;
  slots.Set(7);
  CliNode master = MakeCliMaster(kMaster, "10.0.0.1", 7000, slots);
  EXPECT_EQ(CliNodeInfo(master, 4),
            "    M: 039c3316a0a4e59085300b8e86827a175af3e4f1 10.0.0.1:7000\n"
            "       slots:[7] (1 slots) master");
}

TEST(CliNodeTest, OpenSlotLookups) {
  CliNode n;
  n.migrating = {{5, kReplica}};
  n.importing = {{9, kMaster}};
  EXPECT_EQ(n.MigratingTo(5), kReplica);
  EXPECT_FALSE(n.MigratingTo(9).has_value());
  EXPECT_EQ(n.ImportingFrom(9), kMaster);
  EXPECT_FALSE(n.ImportingFrom(5).has_value());
  EXPECT_TRUE(n.IsPlainMaster());
  n.replicate = kMaster;
  EXPECT_FALSE(n.IsPlainMaster());
}

}  // namespace
}  // namespace slotsim::model
