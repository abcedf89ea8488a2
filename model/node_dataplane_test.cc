// The node's data plane on client links: per-client ASKING / READONLY,
// getNodeByQuery's importing / migrating rules, DUMP / RESTORE[-ASKING],
// blocking MIGRATE (success, NOKEY, target errors, IOERR on a dead or
// partitioned target, inputs held in order), MULTI/EXEC/DISCARD, DEBUG
// DIGEST-VALUE, FUNCTION on an empty library, WAIT, and the full sync's cost.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/keyslot.h"
#include "model/marks.h"
#include "model/node.h"
#include "model/testing/test_cluster.h"

namespace slotsim::model {
namespace {

using sim::Duration;
using testing::TestCluster;

// A key whose slot is `owner`'s (0 or 1) in a Create(2 or 3, ...) cluster
// (node 0 owns slots 0..5460 in both, node 1 8192..10922 in both), with a
// hash tag so several keys can share the slot.
// `nth` picks another slot.
std::string KeyOf(int owner, const std::string& name, int nth = 0) {
  for (int i = 0;; ++i) {
    const std::string t = std::to_string(i);
    const int slot = KeyHashSlot("{" + t + "}");
    const bool fits = owner == 0 ? slot < 5461 : (slot >= 8192 && slot < 10923);
    if (fits && nth-- == 0) return "{" + t + "}" + name;
  }
}

class DataplaneTest : public ::testing::Test {
 protected:
  void Form(int masters, int replicas) {
    ASSERT_TRUE(tc_.Create(masters, replicas));
    tc_.RunFor(Duration::Seconds(2));  // replicas synced
  }
  std::string Id(int i) { return tc_.node(i).name().str(); }
  // Opens slot `slot` from node `src` to node `dst`.
  void OpenSlot(int slot, int src, int dst) {
    ASSERT_EQ(tc_.Command(dst, {"CLUSTER", "SETSLOT", std::to_string(slot), "IMPORTING",
                                Id(src)}),
              Reply::Ok());
    ASSERT_EQ(tc_.Command(src, {"CLUSTER", "SETSLOT", std::to_string(slot), "MIGRATING",
                                Id(dst)}),
              Reply::Ok());
  }
  // Sends argv on client c and waits for its reply.
  Reply Call(int c, std::vector<std::string> argv, Duration limit = Duration::Seconds(5)) {
    const size_t n = tc_.ClientReplies(c).size();
    tc_.ClientSend(c, std::move(argv));
    EXPECT_TRUE(tc_.WaitReplies(c, n + 1, limit));
    return tc_.ClientReplies(c).size() > n ? tc_.ClientReplies(c)[n] : Reply::Nil();
  }
  static std::string Ask(int slot) { return "ASK " + std::to_string(slot) + " 10.0.0.2:7000"; }
  static std::string Moved(int slot, int node) {
    return "MOVED " + std::to_string(slot) + " 10.0.0." + std::to_string(node + 1) + ":7000";
  }
  TestCluster tc_{17};
};

TEST_F(DataplaneTest, AskingIsOneShotAndServesAnImportingSlot) {
  Form(2, 0);
  const std::string key = KeyOf(0, "k");
  const int slot = KeyHashSlot(key);
  OpenSlot(slot, 0, 1);
  const int c = tc_.OpenClient(1);
  EXPECT_EQ(Call(c, {"GET", key}).str(), Moved(slot, 0));
  EXPECT_EQ(Call(c, {"ASKING"}), Reply::Ok());
  EXPECT_EQ(Call(c, {"SET", key, "v"}), Reply::Ok());
  EXPECT_EQ(Call(c, {"GET", key}).str(), Moved(slot, 0));  // ASKING was used up
  EXPECT_EQ(Call(c, {"ASKING"}), Reply::Ok());
  EXPECT_EQ(Call(c, {"PING"}).str(), "PONG");  // any command clears it
  EXPECT_EQ(Call(c, {"GET", key}).str(), Moved(slot, 0));
  EXPECT_EQ(tc_.node(1).keyspace().Get(key)->data, "v");
}

TEST_F(DataplaneTest, MigratingSlotAsksForMissingKeysAndTryAgainForAMix) {
  Form(2, 0);
  const std::string a = KeyOf(0, "a", 0);
  const std::string b = KeyOf(0, "b", 0);
  const int slot = KeyHashSlot(a);
  ASSERT_EQ(tc_.Command(0, {"SET", a, "1"}), Reply::Ok());
  OpenSlot(slot, 0, 1);
  const int c = tc_.OpenClient(0);
  EXPECT_EQ(Call(c, {"GET", a}).str(), "1");
  EXPECT_EQ(Call(c, {"GET", b}).str(), Ask(slot));
  EXPECT_EQ(Call(c, {"EXISTS", a, b}).str(), "TRYAGAIN Multiple keys request during rehashing of slot");
  // On the importing side, with ASKING: all keys there, or a single key,
  // are served; several keys with some missing get TRYAGAIN.
  const int t = tc_.OpenClient(1);
  EXPECT_EQ(Call(t, {"ASKING"}), Reply::Ok());
  EXPECT_EQ(Call(t, {"EXISTS", a, b}).str(), "TRYAGAIN Multiple keys request during rehashing of slot");
  EXPECT_EQ(Call(t, {"ASKING"}), Reply::Ok());
  EXPECT_EQ(Call(t, {"EXISTS", a, a}).integer(), 0);  // one distinct key: served
}

TEST_F(DataplaneTest, ReadonlyClientReadsFromAReplica) {
  Form(2, 1);
  const std::string key = KeyOf(0, "r");
  ASSERT_EQ(tc_.Command(0, {"SET", key, "x"}), Reply::Ok());
  tc_.RunFor(Duration::Millis(100));
  const int replica = 2;  // replica of master 0
  const int c = tc_.OpenClient(replica);
  EXPECT_EQ(Call(c, {"GET", key}).str(), Moved(KeyHashSlot(key), 0));
  EXPECT_EQ(Call(c, {"READONLY"}), Reply::Ok());
  EXPECT_EQ(Call(c, {"GET", key}).str(), "x");
  EXPECT_EQ(Call(c, {"SET", key, "y"}).str(), Moved(KeyHashSlot(key), 0));
  EXPECT_EQ(Call(c, {"READWRITE"}), Reply::Ok());
  EXPECT_EQ(Call(c, {"GET", key}).str(), Moved(KeyHashSlot(key), 0));
}

TEST_F(DataplaneTest, DumpAndRestore) {
  Form(2, 0);
  const std::string key = KeyOf(0, "d");
  ASSERT_EQ(tc_.Command(0, {"SET", key, "payload"}), Reply::Ok());
  const Reply dump = tc_.Command(0, {"DUMP", key});
  ASSERT_EQ(dump.kind(), Reply::Kind::kBulk);
  EXPECT_EQ(tc_.Command(0, {"DUMP", KeyOf(0, "nokey")}), Reply::Nil());
  EXPECT_EQ(tc_.Command(0, {"RESTORE", key, "0", dump.str()}).str(),
            "BUSYKEY Target key name already exists.");
  EXPECT_EQ(tc_.Command(0, {"RESTORE", key, "0", dump.str(), "REPLACE"}), Reply::Ok());
  const std::string other = KeyOf(0, "d2");
  EXPECT_EQ(tc_.Command(0, {"RESTORE", other, "0", dump.str()}), Reply::Ok());
  EXPECT_EQ(tc_.Command(0, {"GET", other}).str(), "payload");
  std::string bad = dump.str();
  bad[3] ^= 1;
  EXPECT_EQ(tc_.Command(0, {"RESTORE", KeyOf(0, "d3"), "0", bad}).str(),
            "ERR DUMP payload version or checksum are wrong");
  EXPECT_EQ(tc_.Command(0, {"RESTORE", KeyOf(0, "d3"), "-1", dump.str()}).str(),
            "ERR Invalid TTL value, must be >= 0");
  // RESTORE-ASKING is served in an importing slot without ASKING.
  const std::string imported = KeyOf(0, "imp");
  OpenSlot(KeyHashSlot(imported), 0, 1);
  const int c = tc_.OpenClient(1);
  EXPECT_EQ(Call(c, {"RESTORE", imported, "0", dump.str()}).str(),
            Moved(KeyHashSlot(imported), 0));
  EXPECT_EQ(Call(c, {"RESTORE-ASKING", imported, "0", dump.str()}), Reply::Ok());
  EXPECT_EQ(tc_.node(1).keyspace().Get(imported)->data, "payload");
}

TEST_F(DataplaneTest, MigrateMovesKeysAndReplicatesBothSides) {
  Form(2, 1);  // replicas: 2 of 0, 3 of 1
  const std::string a = KeyOf(0, "a", 0);
  const std::string b = KeyOf(0, "b", 0);
  const std::string missing = KeyOf(0, "z", 0);
  const std::string both = KeyOf(0, "both", 0);
  ASSERT_EQ(tc_.Command(0, {"SET", a, "1"}), Reply::Ok());
  ASSERT_EQ(tc_.Command(0, {"SET", b, "2"}), Reply::Ok());
  ASSERT_EQ(tc_.Command(0, {"SET", both, "source"}), Reply::Ok());
  OpenSlot(KeyHashSlot(a), 0, 1);
  const int t = tc_.OpenClient(1);
  EXPECT_EQ(Call(t, {"ASKING"}), Reply::Ok());
  EXPECT_EQ(Call(t, {"SET", both, "target"}), Reply::Ok());
  tc_.RunFor(Duration::Millis(100));
  ASSERT_TRUE(tc_.node(2).keyspace().Exists(a));
  const int c = tc_.OpenClient(0);
  EXPECT_EQ(Call(c, {"MIGRATE", "10.0.0.2", "7000", "", "0", "5000", "KEYS", a, b, missing}),
            Reply::Ok());
  EXPECT_FALSE(tc_.node(0).keyspace().Exists(a));
  EXPECT_FALSE(tc_.node(0).keyspace().Exists(b));
  EXPECT_EQ(tc_.node(1).keyspace().Get(a)->data, "1");
  EXPECT_EQ(tc_.node(1).keyspace().Get(b)->data, "2");
  tc_.RunFor(Duration::Millis(100));
  EXPECT_FALSE(tc_.node(2).keyspace().Exists(a));  // the DEL was propagated
  EXPECT_EQ(tc_.node(3).keyspace().Get(b)->data, "2");  // RESTORE-ASKING too
  // Nothing left: NOKEY. A key already on the target: the target's error.
  EXPECT_EQ(Call(c, {"MIGRATE", "10.0.0.2", "7000", a, "0", "5000"}), Reply::Status("NOKEY"));
  EXPECT_EQ(Call(c, {"MIGRATE", "10.0.0.2", "7000", both, "0", "5000"}).str(),
            "Target instance replied with error: BUSYKEY Target key name already exists.");
  EXPECT_TRUE(tc_.node(0).keyspace().Exists(both));
  EXPECT_EQ(Call(c, {"MIGRATE", "10.0.0.2", "7000", both, "0", "5000", "COPY", "REPLACE"}),
            Reply::Ok());
  EXPECT_EQ(tc_.node(1).keyspace().Get(both)->data, "source");
  EXPECT_TRUE(tc_.node(0).keyspace().Exists(both));  // COPY keeps it
  EXPECT_EQ(Call(c, {"MIGRATE", "10.0.0.2", "7000", a, "0", "5000", "KEYS", a}).str(),
            "ERR When using MIGRATE KEYS option, the key argument must be set to the "
            "empty string");
}

TEST_F(DataplaneTest, MigrateToACrashedTargetFailsToConnect) {
  Form(2, 0);
  const std::string a = KeyOf(0, "a");
  ASSERT_EQ(tc_.Command(0, {"SET", a, "1"}), Reply::Ok());
  tc_.Crash(1);
  const int c = tc_.OpenClient(0);
  EXPECT_EQ(Call(c, {"MIGRATE", "10.0.0.2", "7000", a, "0", "1000"}).str(),
            "IOERR error or timeout connecting to the client");
  EXPECT_TRUE(tc_.node(0).keyspace().Exists(a));
  EXPECT_FALSE(tc_.node(0).blocked_in_migrate());
}

TEST_F(DataplaneTest, MigrateCutByAPartitionTimesOutAndHoldsOtherInputsInOrder) {
  Form(2, 0);
  const std::string a = KeyOf(0, "a");
  const std::string b = KeyOf(0, "b", 1);  // another slot
  ASSERT_EQ(tc_.Command(0, {"SET", a, "1"}), Reply::Ok());
  OpenSlot(KeyHashSlot(a), 0, 1);
  const int c = tc_.OpenClient(0);
  // A first MIGRATE caches the link to the target.
  ASSERT_EQ(Call(c, {"MIGRATE", "10.0.0.2", "7000", a, "0", "1000", "COPY"}), Reply::Ok());
  tc_.Partition({0}, {1});
  const int other = tc_.OpenClient(0);
  tc_.RunFor(Duration::Millis(10));
  marks::Reset();
  const sim::Time start = tc_.now();
  tc_.ClientSend(c, {"MIGRATE", "10.0.0.2", "7000", a, "0", "1000", "REPLACE"});
  tc_.RunFor(Duration::Millis(5));
  ASSERT_TRUE(tc_.node(0).blocked_in_migrate());
  tc_.ClientSend(other, {"SET", b, "x"});
  tc_.ClientSend(other, {"GET", b});
  tc_.RunFor(Duration::Millis(300));
  EXPECT_TRUE(tc_.ClientReplies(other).empty());  // held
  EXPECT_GT(tc_.node(0).held_inputs(), 0u);
  EXPECT_FALSE(tc_.node(0).keyspace().Exists(b));
  ASSERT_TRUE(tc_.WaitReplies(c, 2, Duration::Seconds(3)));
  EXPECT_EQ(tc_.ClientReplies(c)[1].str(),
            "IOERR error or timeout reading to target instance");
  EXPECT_GE(tc_.now() - start, Duration::Millis(1000));
  EXPECT_TRUE(tc_.node(0).keyspace().Exists(a));  // the key stays
  ASSERT_TRUE(tc_.WaitReplies(other, 2, Duration::Seconds(1)));
  EXPECT_EQ(tc_.ClientReplies(other)[0], Reply::Ok());
  EXPECT_EQ(tc_.ClientReplies(other)[1].str(), "x");
  EXPECT_GT(marks::Count("migrate: input held while blocked"), 0u);
  EXPECT_EQ(tc_.node(0).held_inputs(), 0u);
}

TEST_F(DataplaneTest, MigrateCutByATargetCrashRetriesThenFails) {
  Form(2, 0);
  const std::string a = KeyOf(0, "a");
  ASSERT_EQ(tc_.Command(0, {"SET", a, "1"}), Reply::Ok());
  OpenSlot(KeyHashSlot(a), 0, 1);
  const int c = tc_.OpenClient(0);
  ASSERT_EQ(Call(c, {"MIGRATE", "10.0.0.2", "7000", a, "0", "1000", "COPY"}).str(), "OK");
  // The target restarts: the cached link is closed; the next MIGRATE opens
  // a new one and succeeds.
  tc_.Crash(1);
  tc_.Restart(1);
  ASSERT_TRUE(tc_.RunUntil(
      [&] { return tc_.node(1).cluster().state == ClusterHealth::kOk; }, Duration::Seconds(10)));
  EXPECT_EQ(Call(c, {"MIGRATE", "10.0.0.2", "7000", a, "0", "1000", "COPY", "REPLACE"}).str(),
            "OK");
  // The target crashes during the MIGRATE: IOERR, the key stays.
  tc_.ClientSend(c, {"MIGRATE", "10.0.0.2", "7000", a, "0", "1000", "REPLACE"});
  tc_.RunFor(Duration::Millis(1));
  tc_.Crash(1);
  ASSERT_TRUE(tc_.WaitReplies(c, 3, Duration::Seconds(3)));
  EXPECT_TRUE(tc_.ClientReplies(c)[2].is_error());
  EXPECT_EQ(tc_.ClientReplies(c)[2].str().substr(0, 5), "IOERR");
  EXPECT_TRUE(tc_.node(0).keyspace().Exists(a));
  EXPECT_FALSE(tc_.node(0).blocked_in_migrate());
}

TEST_F(DataplaneTest, MigrateReusesItsLinkAndClosesItAfterTenIdleSeconds) {
  Form(2, 0);
  const std::string a = KeyOf(0, "a");
  ASSERT_EQ(tc_.Command(0, {"SET", a, "1"}), Reply::Ok());
  OpenSlot(KeyHashSlot(a), 0, 1);
  const int c = tc_.OpenClient(0);
  marks::Reset();
  ASSERT_EQ(Call(c, {"MIGRATE", "10.0.0.2", "7000", a, "0", "1000", "COPY"}).str(), "OK");
  ASSERT_EQ(Call(c, {"MIGRATE", "10.0.0.2", "7000", a, "0", "1000", "COPY", "REPLACE"}).str(),
            "OK");
  EXPECT_EQ(marks::Count("migrate: cached link reused"), 1u);
  tc_.RunFor(Duration::Seconds(12));
  EXPECT_EQ(marks::Count("migrate: idle cached link closed"), 1u);
  ASSERT_EQ(Call(c, {"MIGRATE", "10.0.0.2", "7000", a, "0", "1000", "COPY", "REPLACE"}).str(),
            "OK");
  EXPECT_EQ(marks::Count("migrate: cached link reused"), 1u);  // a new link
}

TEST_F(DataplaneTest, MultiExecDiscard) {
  Form(2, 0);
  const std::string a = KeyOf(0, "a");
  const std::string elsewhere = KeyOf(1, "e");
  const int c = tc_.OpenClient(0);
  EXPECT_EQ(Call(c, {"EXEC"}).str(), "ERR EXEC without MULTI");
  EXPECT_EQ(Call(c, {"MULTI"}), Reply::Ok());
  EXPECT_EQ(Call(c, {"MULTI"}).str(), "ERR MULTI calls can not be nested");
  EXPECT_EQ(Call(c, {"SET", a, "1"}), Reply::Status("QUEUED"));
  EXPECT_EQ(Call(c, {"GET", a}), Reply::Status("QUEUED"));
  EXPECT_FALSE(tc_.node(0).keyspace().Exists(a));
  EXPECT_EQ(Call(c, {"EXEC"}), Reply::Array({Reply::Ok(), Reply::Bulk("1")}));
  // A redirected command flags the transaction.
  EXPECT_EQ(Call(c, {"MULTI"}), Reply::Ok());
  EXPECT_EQ(Call(c, {"GET", elsewhere}).str(), Moved(KeyHashSlot(elsewhere), 1));
  EXPECT_EQ(Call(c, {"SET", a, "2"}), Reply::Status("QUEUED"));
  EXPECT_EQ(Call(c, {"EXEC"}).str(),
            "EXECABORT Transaction discarded because of previous errors.");
  EXPECT_EQ(tc_.node(0).keyspace().Get(a)->data, "1");
  // So does an unknown command; DISCARD drops the queue.
  EXPECT_EQ(Call(c, {"MULTI"}), Reply::Ok());
  EXPECT_TRUE(Call(c, {"NOPE"}).is_error());
  EXPECT_EQ(Call(c, {"DISCARD"}), Reply::Ok());
  EXPECT_EQ(Call(c, {"DISCARD"}).str(), "ERR DISCARD without MULTI");
  // CLUSTER commands run inside a transaction (redis-cli's fix does this).
  EXPECT_EQ(Call(c, {"MULTI"}), Reply::Ok());
  EXPECT_EQ(Call(c, {"CLUSTER", "BUMPEPOCH"}), Reply::Status("QUEUED"));
  const Reply r = Call(c, {"EXEC"});
  ASSERT_EQ(r.items().size(), 1u);
  EXPECT_FALSE(r.items()[0].is_error()) << r.ToText();
}

TEST_F(DataplaneTest, ExecPropagatesSeveralWritesInsideMultiExec) {
  Form(2, 1);  // replica 2 of master 0
  const std::string a = KeyOf(0, "a");
  const std::string b = KeyOf(0, "b");
  ASSERT_EQ(tc_.Command(0, {"SET", a, "0"}), Reply::Ok());  // SELECT goes first
  const int64_t before = tc_.node(0).replication().master_repl_offset();
  const int c = tc_.OpenClient(0);
  EXPECT_EQ(Call(c, {"MULTI"}), Reply::Ok());
  EXPECT_EQ(Call(c, {"SET", a, "1"}), Reply::Status("QUEUED"));
  EXPECT_EQ(Call(c, {"SET", b, "2"}), Reply::Status("QUEUED"));
  EXPECT_EQ(Call(c, {"EXEC"}), Reply::Array({Reply::Ok(), Reply::Ok()}));
  const int64_t bytes = static_cast<int64_t>(
      EncodeCommand({"MULTI"}).size() + EncodeCommand({"SET", a, "1"}).size() +
      EncodeCommand({"SET", b, "2"}).size() + EncodeCommand({"EXEC"}).size());
  EXPECT_EQ(tc_.node(0).replication().master_repl_offset() - before, bytes);
  tc_.RunFor(Duration::Millis(50));
  EXPECT_EQ(tc_.node(2).keyspace().Get(b)->data, "2");
  EXPECT_EQ(tc_.node(2).replication().SlaveOffset(),
            tc_.node(0).replication().master_repl_offset());
}

TEST_F(DataplaneTest, DigestValueAndEmptyFunctionLibrary) {
  Form(2, 0);
  const std::string a = KeyOf(0, "a");
  const std::string b = KeyOf(0, "b");
  ASSERT_EQ(tc_.Command(0, {"SET", a, "same"}), Reply::Ok());
  ASSERT_EQ(tc_.Command(0, {"SET", b, "same"}), Reply::Ok());
  const Reply d = tc_.Command(0, {"DEBUG", "DIGEST-VALUE", a, b, "missing"});
  ASSERT_EQ(d.items().size(), 3u);
  EXPECT_EQ(d.items()[0].str().size(), 40u);
  EXPECT_EQ(d.items()[0], d.items()[1]);
  EXPECT_EQ(d.items()[2].str(), std::string(40, '0'));
  ASSERT_EQ(tc_.Command(0, {"SET", b, "other"}), Reply::Ok());
  EXPECT_FALSE(tc_.Command(0, {"DEBUG", "DIGEST-VALUE", b}).items()[0] == d.items()[0]);
  const Reply dump = tc_.Command(0, {"FUNCTION", "DUMP"});
  ASSERT_EQ(dump.kind(), Reply::Kind::kBulk);
  EXPECT_EQ(dump.str().size(), 10u);  // RDB version + checksum, no functions
  EXPECT_EQ(tc_.Command(1, {"FUNCTION", "LIST"}), Reply::Array({}));
  EXPECT_EQ(tc_.Command(1, {"FUNCTION", "RESTORE", dump.str()}), Reply::Ok());
  EXPECT_EQ(tc_.Command(1, {"FUNCTION", "RESTORE", "garbage"}).str(),
            "ERR payload version or checksum are wrong");
}

TEST_F(DataplaneTest, WaitCountsReplicaAcksOrTimesOut) {
  Form(2, 1);
  const std::string a = KeyOf(0, "a");
  const int c = tc_.OpenClient(0);
  EXPECT_EQ(Call(c, {"SET", a, "1"}), Reply::Ok());
  EXPECT_EQ(Call(c, {"WAIT", "1", "1000"}).integer(), 1);
  const sim::Time start = tc_.now();
  EXPECT_EQ(Call(c, {"WAIT", "2", "500"}).integer(), 1);  // only one replica
  EXPECT_GE(tc_.now() - start, Duration::Millis(500));
  EXPECT_LT(tc_.now() - start, Duration::Millis(700));
  // A replica refuses WAIT; commands sent behind a blocked WAIT wait too.
  const int r = tc_.OpenClient(2);
  EXPECT_TRUE(Call(r, {"WAIT", "0", "0"}).str().find("ERR WAIT cannot be used with replica") == 0);
  tc_.ClientSend(c, {"SET", a, "2"});
  tc_.ClientSend(c, {"WAIT", "2", "300"});
  tc_.ClientSend(c, {"GET", a});
  ASSERT_TRUE(tc_.WaitReplies(c, 6, Duration::Seconds(2)));
  EXPECT_EQ(tc_.ClientReplies(c)[4].integer(), 1);
  EXPECT_EQ(tc_.ClientReplies(c)[5].str(), "2");
  EXPECT_EQ(tc_.Command(0, {"WAIT", "5", "0"}).integer(), 1);  // admin: never blocks
}

TEST_F(DataplaneTest, MinReplicasToWriteRefusesWritesWithoutFreshReplicaAcks) {
  tc_.default_tweak = [](NodeConfig& c) {
    c.min_replicas_to_write = 1;
    c.min_replicas_max_lag_s = 2;
  };
  Form(2, 1);  // node 2 replicates node 0
  const std::string a = KeyOf(0, "a");
  const int c0 = tc_.OpenClient(0);
  constexpr char kNoReplicas[] = "NOREPLICAS Not enough good replicas to write.";
  EXPECT_EQ(Call(c0, {"SET", a, "1"}), Reply::Ok());
  // A transaction queued while the replica acks, executed after its acks
  // went stale, is aborted with the reason.
  EXPECT_EQ(Call(c0, {"MULTI"}), Reply::Ok());
  EXPECT_EQ(Call(c0, {"SET", a, "2"}).str(), "QUEUED");
  tc_.Crash(2);
  tc_.RunFor(Duration::Seconds(4));
  EXPECT_EQ(Call(c0, {"EXEC"}).str(),
            std::string("EXECABORT Transaction discarded because of: ") + kNoReplicas);
  EXPECT_EQ(Call(c0, {"SET", a, "3"}).str(), kNoReplicas);
  EXPECT_EQ(Call(c0, {"GET", a}).str(), "1");  // reads are served
  // Refused inside MULTI: the transaction is flagged.
  EXPECT_EQ(Call(c0, {"MULTI"}), Reply::Ok());
  EXPECT_EQ(Call(c0, {"SET", a, "4"}).str(), kNoReplicas);
  EXPECT_EQ(Call(c0, {"EXEC"}).str(),
            "EXECABORT Transaction discarded because of previous errors.");
  EXPECT_EQ(Call(c0, {"GET", a}).str(), "1");
  EXPECT_EQ(tc_.node(0).keyspace().Get(a)->data, "1");
}

TEST_F(DataplaneTest, FullSyncTakesTimeProportionalToTheDataset) {
  tc_.default_tweak = [](NodeConfig& c) { c.repl_full_sync_bytes_per_ms = 10; };
  Form(2, 0);
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(tc_.Command(0, {"SET", KeyOf(0, "k" + std::to_string(i)), std::string(100, 'x')}),
              Reply::Ok());
  }
  const int r = tc_.AddNode();
  ASSERT_EQ(tc_.Command(r, {"CLUSTER", "MEET", TestCluster::Ip(0), "7000"}), Reply::Ok());
  ASSERT_TRUE(tc_.RunUntil([&] { return tc_.node(r).cluster().Find(tc_.node(0).name()) != nullptr &&
                                        !tc_.node(r).cluster().Find(tc_.node(0).name())->in_handshake(); },
                           Duration::Seconds(10)));
  marks::Reset();
  ASSERT_EQ(tc_.Command(r, {"CLUSTER", "REPLICATE", Id(0)}), Reply::Ok());
  ASSERT_TRUE(tc_.RunUntil([&] { return tc_.node(r).replication().state() == ReplState::kTransfer; },
                           Duration::Seconds(5)));
  const sim::Time start = tc_.now();
  // ~50 * 130 bytes at 10 bytes/ms: several hundred ms without a master link.
  tc_.RunFor(Duration::Millis(300));
  EXPECT_FALSE(tc_.node(r).replication().link_up());
  EXPECT_EQ(tc_.node(r).keyspace().size(), 0);
  EXPECT_EQ(tc_.node(r).replication().SlaveOffset(), 0);
  ASSERT_TRUE(tc_.RunUntil([&] { return tc_.node(r).replication().link_up(); },
                           Duration::Seconds(5)));
  EXPECT_GE(tc_.now() - start, Duration::Millis(500));
  EXPECT_EQ(tc_.node(r).keyspace(), tc_.node(0).keyspace());
  EXPECT_GT(marks::Count("replication: full sync takes time"), 0u);
}

TEST_F(DataplaneTest, OldMasterAheadOfTheNewMasterFullSyncsAndLosesItsExtraWrites) {
  Form(3, 1);  // replica 3 of master 0
  const std::string a = KeyOf(0, "a");
  ASSERT_EQ(tc_.Command(0, {"SET", a, "seen"}), Reply::Ok());
  tc_.RunFor(Duration::Millis(200));
  ASSERT_EQ(tc_.node(3).keyspace().Get(a)->data, "seen");
  // The replica is cut off; the master takes a write it never sees.
  tc_.Partition({0}, {3});
  const std::string lost = KeyOf(0, "lost");
  ASSERT_EQ(tc_.Command(0, {"SET", lost, "never-replicated"}), Reply::Ok());
  tc_.RunFor(Duration::Millis(100));
  ASSERT_EQ(tc_.Command(3, {"CLUSTER", "FAILOVER", "TAKEOVER"}), Reply::Ok());
  ASSERT_TRUE(tc_.RunUntil([&] { return tc_.node(0).cluster().myself->is_replica(); },
                           Duration::Seconds(20)));
  EXPECT_GT(tc_.node(0).replication().master_repl_offset(),
            tc_.node(3).replication().second_replid_offset() - 1);
  marks::Reset();
  tc_.HealAll();
  ASSERT_TRUE(tc_.RunUntil([&] { return tc_.node(0).replication().link_up(); },
                           Duration::Seconds(30)));
  EXPECT_GT(marks::Count("replication: full resync"), 0u);
  EXPECT_FALSE(tc_.node(0).keyspace().Exists(lost));
  EXPECT_EQ(tc_.node(0).keyspace().Get(a)->data, "seen");
  EXPECT_EQ(tc_.node(0).keyspace(), tc_.node(3).keyspace());
}

}  // namespace
}  // namespace slotsim::model
