// Scripted tests of the cluster manager's slot moves with keys: the test plays
// three nodes through a FakeActorContext and answers every command, so the
// MIGRATE paths (batches, BUSYKEY with DEBUG DIGEST-VALUE, REPLACE, errors)
// are checked against redis-cli's command order and messages without the
// node model's data plane.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scenarios/cluster_manager.h"
#include "scenarios/fake_actor_context.h"

namespace slotsim::scenarios {
namespace {

using model::Reply;
using sim::Duration;

const std::string kIdA(40, 'a');
const std::string kIdB(40, 'b');
const std::string kIdC(40, 'c');

// Three masters A (7000, 0-5460), B (7001, 5461-10922), C (7002, the rest).
class ScriptedCluster {
 public:
  // Extra answers, tried first: return true and set *r to answer.
  using Override = std::function<bool(const std::string& addr,
                                      const std::vector<std::string>& argv, Reply* r)>;

  Reply Answer(const std::string& addr, const std::vector<std::string>& argv) {
    log.push_back(addr + " " + absl::StrJoin(argv, " "));
    Reply r = Reply::Nil();
    if (override_ && override_(addr, argv, &r)) return r;
    const std::string cmd = argv[0] == "CLUSTER" ? "CLUSTER " + argv[1] : argv[0];
    if (cmd == "INFO") return Reply::Bulk("# Cluster\r\ncluster_enabled:1\r\n");
    if (cmd == "CLUSTER NODES") return Reply::Bulk(Nodes(addr));
    if (cmd == "CLUSTER SETSLOT") return Reply::Ok();
    if (cmd == "DBSIZE") return Reply::Integer(0);
    if (cmd == "CLUSTER GETKEYSINSLOT") {
      std::vector<std::string>& keys = keys_[addr + "/" + argv[2]];
      const size_t n = std::min(keys.size(), static_cast<size_t>(std::stoi(argv[3])));
      std::vector<Reply> out;
      for (size_t i = 0; i < n; ++i) out.push_back(Reply::Bulk(keys[i]));
      return Reply::Array(out);
    }
    if (cmd == "MIGRATE") {
      // Keys after "KEYS" leave the source.
      auto it = std::find(argv.begin(), argv.end(), "KEYS");
      std::vector<std::string>& keys = keys_[addr + "/" + std::to_string(slot_)];
      for (++it; it != argv.end(); ++it) {
        keys.erase(std::remove(keys.begin(), keys.end(), *it), keys.end());
      }
      return Reply::Ok();
    }
    return Reply::Error("ERR unscripted " + absl::StrJoin(argv, " "));
  }

  void SetKeys(const std::string& addr, int slot, std::vector<std::string> keys) {
    slot_ = slot;
    keys_[addr + "/" + std::to_string(slot)] = std::move(keys);
  }
  void SetOverride(Override o) { override_ = std::move(o); }

  std::vector<std::string> log;

 private:
  static std::string Nodes(const std::string& me) {
    auto line = [&me](const std::string& id, int port, int epoch,
                      const std::string& slots) {
      const std::string addr = "127.0.0.1:" + std::to_string(port);
      return absl::StrCat(id, " ", addr, "@", port + 10000, " ",
                          addr == me ? "myself,master" : "master", " - 0 0 ", epoch,
                          " connected ", slots, "\n");
    };
    return line(kIdA, 7000, 1, "0-5460") + line(kIdB, 7001, 2, "5461-10922") +
           line(kIdC, 7002, 3, "10923-16383");
  }

  std::map<std::string, std::vector<std::string>> keys_;
  int slot_ = 0;
  Override override_;
};

// Runs the manager against the script until it finishes.
void Drive(ClusterManager& m, FakeActorContext& ctx, ScriptedCluster& cluster) {
  ctx.set_actor(&m);
  for (int p = 7000; p <= 7002; ++p) ctx.Listen("127.0.0.1", p);
  m.OnStart(ctx);
  for (int i = 0; i < 100000 && !m.finished(); ++i) {
    std::vector<FakeActorContext::Sent> sent = ctx.TakeSent();
    if (sent.empty()) {
      ctx.RunFor(Duration::Millis(1));
      continue;
    }
    for (const auto& s : sent) ctx.Reply(s, cluster.Answer(s.addr, s.argv));
  }
  ASSERT_TRUE(m.finished());
}

CliReshard OneSlotFromAToB() {
  // A gives its lowest slot, 0, to B.
  return CliReshard{{"127.0.0.1", 7000}, kIdA, kIdB, 1};
}

std::vector<std::string> Matching(const std::vector<std::string>& log,
                                  const std::string& s) {
  std::vector<std::string> out;
  for (const std::string& l : log) {
    if (l.find(s) != std::string::npos) out.push_back(l);
  }
  return out;
}

TEST(ClusterManagerMove, MigratesKeysInBatches) {
  ScriptedCluster cluster;
  cluster.SetKeys("127.0.0.1:7000", 0, {"k1", "k2", "k3", "k4", "k5"});
  ClusterManagerOptions o;
  o.pipeline = 2;
  ClusterManager m(OneSlotFromAToB(), o);
  FakeActorContext ctx;
  Drive(m, ctx, cluster);
  ASSERT_TRUE(m.result().ok) << m.output();
  EXPECT_EQ(Matching(cluster.log, "MIGRATE"),
            (std::vector<std::string>{
                "127.0.0.1:7000 MIGRATE 127.0.0.1 7001  0 60000 KEYS k1 k2",
                "127.0.0.1:7000 MIGRATE 127.0.0.1 7001  0 60000 KEYS k3 k4",
                "127.0.0.1:7000 MIGRATE 127.0.0.1 7001  0 60000 KEYS k5",
            }));
  EXPECT_EQ(Matching(cluster.log, "GETKEYSINSLOT").size(), 4u);
  // One dot per key, then the end of the line.
  EXPECT_NE(
      m.output().find("Moving slot 0 from 127.0.0.1:7000 to 127.0.0.1:7001: .....\n"),
      std::string::npos)
      << m.output();
  // The slot's command order.
  const std::vector<std::string> setslot = Matching(cluster.log, "SETSLOT 0");
  EXPECT_EQ(setslot, (std::vector<std::string>{
                         "127.0.0.1:7001 CLUSTER SETSLOT 0 importing " + kIdA,
                         "127.0.0.1:7000 CLUSTER SETSLOT 0 migrating " + kIdB,
                         "127.0.0.1:7001 CLUSTER SETSLOT 0 node " + kIdB,
                         "127.0.0.1:7000 CLUSTER SETSLOT 0 node " + kIdB,
                         "127.0.0.1:7002 CLUSTER SETSLOT 0 node " + kIdB,
                     }));
}

TEST(ClusterManagerMove, BusyKeyWithEqualValuesIsReplaced) {
  ScriptedCluster cluster;
  cluster.SetKeys("127.0.0.1:7000", 0, {"k1", "k2"});
  bool busy_once = true;
  cluster.SetOverride(
      [&](const std::string&, const std::vector<std::string>& argv, Reply* r) {
        if (argv[0] == "MIGRATE" && busy_once) {
          busy_once = false;
          *r = Reply::Error("BUSYKEY Target key name already exists.");
          return true;
        }
        if (argv[0] == "DEBUG") {
          *r = Reply::Array(
              {Reply::Bulk(std::string(40, '1')), Reply::Bulk(std::string(40, '2'))});
          return true;
        }
        return false;
      });
  ClusterManager m(OneSlotFromAToB());
  FakeActorContext ctx;
  Drive(m, ctx, cluster);
  ASSERT_TRUE(m.result().ok) << m.output();
  EXPECT_NE(m.output().find("Moving slot 0 from 127.0.0.1:7000 to 127.0.0.1:7001: \n"
                            "*** Target key exists\n"
                            "*** Checking key values on both nodes...\n"
                            "*** Replacing target keys...\n"
                            "..\n"),
            std::string::npos)
      << m.output();
  EXPECT_EQ(Matching(cluster.log, "DEBUG DIGEST-VALUE k1 k2").size(), 2u);
  EXPECT_EQ(Matching(cluster.log, "MIGRATE"),
            (std::vector<std::string>{
                "127.0.0.1:7000 MIGRATE 127.0.0.1 7001  0 60000 KEYS k1 k2",
                "127.0.0.1:7000 MIGRATE 127.0.0.1 7001  0 60000 REPLACE KEYS k1 k2",
            }));
}

TEST(ClusterManagerMove, BusyKeyWithDifferentValuesStops) {
  ScriptedCluster cluster;
  cluster.SetKeys("127.0.0.1:7000", 0, {"k1", "k2"});
  cluster.SetOverride(
      [&](const std::string& addr, const std::vector<std::string>& argv, Reply* r) {
        if (argv[0] == "MIGRATE") {
          *r = Reply::Error("BUSYKEY Target key name already exists.");
          return true;
        }
        if (argv[0] == "DEBUG") {
          // k2 differs; k1 is missing on the target (all zeros), so it is not compared.
          const bool source = addr == "127.0.0.1:7000";
          *r = Reply::Array(
              {Reply::Bulk(source ? std::string(40, '1') : std::string(40, '0')),
               Reply::Bulk(source ? std::string(40, '2') : std::string(40, '3'))});
          return true;
        }
        return false;
      });
  ClusterManager m(OneSlotFromAToB());
  FakeActorContext ctx;
  Drive(m, ctx, cluster);
  EXPECT_FALSE(m.result().ok);
  EXPECT_NE(
      m.output().find("*** Found 1 key(s) in both source node and target node having "
                      "different values.\n"
                      "    Source node: 127.0.0.1:7000\n"
                      "    Target node: 127.0.0.1:7001\n"
                      "    Keys(s):\n"
                      "    - k2\n"
                      "Please fix the above key(s) manually and try again or relaunch "
                      "the command \nwith --cluster-replace option to force key "
                      "overriding.\n"),
      std::string::npos)
      << m.output();
  EXPECT_EQ(m.result().step, "reshard: move slot 0");
  // The slot stays open: no SETSLOT NODE was sent.
  EXPECT_TRUE(Matching(cluster.log, "SETSLOT 0 node").empty());
}

TEST(ClusterManagerMove, ReplaceOptionSkipsTheValueCheck) {
  ScriptedCluster cluster;
  cluster.SetKeys("127.0.0.1:7000", 0, {"k1"});
  bool busy_once = true;
  cluster.SetOverride(
      [&](const std::string&, const std::vector<std::string>& argv, Reply* r) {
        if (argv[0] == "MIGRATE" && busy_once) {
          busy_once = false;
          *r = Reply::Error("BUSYKEY Target key name already exists.");
          return true;
        }
        return false;
      });
  ClusterManagerOptions o;
  o.replace = true;
  ClusterManager m(OneSlotFromAToB(), o);
  FakeActorContext ctx;
  Drive(m, ctx, cluster);
  ASSERT_TRUE(m.result().ok) << m.output();
  EXPECT_TRUE(Matching(cluster.log, "DEBUG").empty());
  EXPECT_NE(m.output().find("*** Target key exists\n*** Replacing target keys...\n"),
            std::string::npos)
      << m.output();
}

TEST(ClusterManagerMove, MigrateErrorEndsTheReshard) {
  ScriptedCluster cluster;
  cluster.SetKeys("127.0.0.1:7000", 0, {"k1"});
  cluster.SetOverride(
      [&](const std::string&, const std::vector<std::string>& argv, Reply* r) {
        if (argv[0] == "MIGRATE") {
          *r = Reply::Error("IOERR error or timeout reading to target instance");
          return true;
        }
        if (argv[0] == "CLUSTER" && argv[1] == "SLOTS") {
          *r = Reply::Array(
              {Reply::Array({Reply::Integer(0), Reply::Integer(5460),
                             Reply::Array({Reply::Bulk("127.0.0.1"), Reply::Integer(7000),
                                           Reply::Bulk(kIdA)})})});
          return true;
        }
        return false;
      });
  ClusterManager m(OneSlotFromAToB());
  FakeActorContext ctx;
  Drive(m, ctx, cluster);
  EXPECT_FALSE(m.result().ok);
  // The slot is served, so the error is not handled: printed and returned.
  EXPECT_EQ(Matching(cluster.log, "CLUSTER SLOTS").size(), 1u);
  EXPECT_NE(
      m.output().find("Moving slot 0 from 127.0.0.1:7000 to 127.0.0.1:7001: \n"
                      "Node 127.0.0.1:7000 replied with error:\n"
                      "IOERR error or timeout reading to target instance\n"
                      "\n"
                      "clusterManagerMoveSlot failed: IOERR error or timeout reading to "
                      "target instance\n"),
      std::string::npos)
      << m.output();
  EXPECT_EQ(
      m.result().error,
      "clusterManagerMoveSlot failed: IOERR error or timeout reading to target instance");
}

TEST(ClusterManagerMove, SourceAlreadyDemotedIsTolerated) {
  ScriptedCluster cluster;
  cluster.SetOverride(
      [&](const std::string& addr, const std::vector<std::string>& argv, Reply* r) {
        if (addr == "127.0.0.1:7000" && argv.size() > 3 && argv[1] == "SETSLOT" &&
            argv[3] == "node") {
          *r = Reply::Error("ERR Please use SETSLOT only with masters.");
          return true;
        }
        return false;
      });
  ClusterManager m(OneSlotFromAToB());
  FakeActorContext ctx;
  Drive(m, ctx, cluster);
  EXPECT_TRUE(m.result().ok) << m.output();
  EXPECT_EQ(Matching(cluster.log, "127.0.0.1:7002 CLUSTER SETSLOT 0 node").size(), 1u);
}

}  // namespace
}  // namespace slotsim::scenarios
