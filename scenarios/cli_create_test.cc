// ClusterManager `create`: converged clusters with redis-cli's layout and
// output (compared with real redis-cli 7.0.15 output), and its refusals.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "scenarios/cluster_manager_testing.h"

namespace slotsim::scenarios {
namespace {

using cli_testing::Addrs;
using cli_testing::CountPrefix;
using cli_testing::CountSent;
using cli_testing::Dump;
using cli_testing::HasLine;
using cli_testing::Rig;
using sim::Duration;

// redis-cli's rules for a created layout: the masters are the first
// N/(R+1) nodes of the host-interleaved list with redis-cli's slot split,
// every other node replicates a master, and masters' replica counts differ by
// at most one.
void ExpectCreatedLayout(Rig& rig, const std::vector<std::string>& names, int replicas) {
  const int masters = static_cast<int>(names.size()) / (replicas + 1);
  const auto split = [masters](int i) {
    const float spn = 16384 / static_cast<float>(masters);
    float cursor = 0;
    int first = 0;
    std::pair<int, int> r;
    for (int m = 0; m <= i; ++m) {
      long last = std::lround(cursor + spn - 1);
      if (last > 16384 || m == masters - 1) last = 16383;
      r = {first, static_cast<int>(last)};
      first = static_cast<int>(last) + 1;
      cursor += spn;
    }
    return r;
  };
  std::map<std::string, int> replicas_of;
  for (int i = 0; i < masters; ++i) {
    const std::string& m = names[static_cast<size_t>(i)];
    EXPECT_TRUE(rig.w().node(m)->is_master()) << m;
    const auto [first, last] = split(i);
    for (const std::string& viewer : names) {
      EXPECT_EQ(rig.OwnerOf(viewer, first), m) << viewer;
      EXPECT_EQ(rig.OwnerOf(viewer, last), m) << viewer;
    }
    EXPECT_EQ(rig.SlotsOf(names[0], m), last - first + 1);
    replicas_of[m] = 0;
  }
  for (size_t i = static_cast<size_t>(masters); i < names.size(); ++i) {
    const std::string master = rig.MasterOf(names[i]);
    ASSERT_EQ(replicas_of.count(master), 1u) << names[i] << " replicates " << master;
    ++replicas_of[master];
  }
  for (const auto& [m, n] : replicas_of) EXPECT_EQ(n, replicas) << m;
  // Config epochs 1..N in argument order.
  for (size_t i = 0; i < names.size(); ++i) {
    const model::ClusterState& cs = rig.w().node(names[0])->cluster();
    const model::ClusterNode* n = cs.Find(rig.w().node(names[i])->name());
    ASSERT_NE(n, nullptr);
    if (rig.w().node(names[i])->is_master()) {
      EXPECT_EQ(n->config_epoch.value(), i + 1) << names[i];
    }
  }
}

// The measured output of real redis-cli, colour escapes removed and ports
// 11001.. renamed to 7000..
std::vector<std::string> MeasuredCreateLines(const std::string& file) {
  std::ifstream in("/work/shared/measurements/real-redis-7.0/formats/" + file);
  std::vector<std::string> out;
  std::string line;
  const std::regex colour("\x1b\\[[0-9;]*m");
  const std::regex port("127\\.0\\.0\\.1:110(\\d\\d)");
  while (std::getline(in, line)) {
    line = std::regex_replace(line, colour, "");
    std::smatch m;
    std::string fixed;
    std::string rest = line;
    while (std::regex_search(rest, m, port)) {
      fixed +=
          m.prefix().str() + "127.0.0.1:" + std::to_string(7000 + std::stoi(m[1]) - 1);
      rest = m.suffix().str();
    }
    out.push_back(fixed + rest);
  }
  return out;
}

TEST(ClusterManagerCreate, SixNodesConvergeWithRedisCliLayoutAndOutput) {
  Rig rig(3, 1, 0, /*formed=*/false);
  const std::vector<std::string> names = {"m1", "m2", "m3", "r1", "r2", "r3"};
  ClusterManager* m = rig.Run(CliCreate{Addrs(rig, names), 1});
  ASSERT_TRUE(m->finished());
  ASSERT_TRUE(m->result().ok) << Dump(m);
  EXPECT_TRUE(m->result().check_ok) << Dump(m);
  ASSERT_TRUE(WaitForConvergence(rig.w(), names, Duration::Seconds(30)));
  ExpectCreatedLayout(rig, names, 1);

  const std::vector<std::string> ours = m->OutputLines();
  const std::vector<std::string> real =
      MeasuredCreateLines("redis-cli-cluster-create-6.txt");
  ASSERT_GT(real.size(), 20u);
  // Planning lines up to the anti-affinity verdict are identical.
  for (size_t i = 0; i < 9; ++i) EXPECT_EQ(ours[i], real[i]) << i;
  // The >>> / [OK] / [WARNING] / Waiting lines come in the same order.
  auto skeleton = [](const std::vector<std::string>& lines) {
    std::vector<std::string> s;
    for (const std::string& l : lines) {
      if (l.rfind(">>>", 0) == 0 || l.rfind("[OK]", 0) == 0 ||
          l.rfind("[WARNING]", 0) == 0 || l.rfind("Waiting", 0) == 0) {
        s.push_back(l);
      }
    }
    return s;
  };
  EXPECT_EQ(skeleton(ours), skeleton(real));
  EXPECT_EQ(CountPrefix(m, "M: "), 6);  // 3 in the plan, 3 in the check
  EXPECT_EQ(CountPrefix(m, "S: "), 6);
  // The command order of clusterManagerCommandCreate.
  EXPECT_EQ(CountSent(m, "CLUSTER ADDSLOTS 0 1 2"), 1);
  EXPECT_EQ(CountSent(m, "CLUSTER SET-CONFIG-EPOCH"), 6);
  EXPECT_EQ(CountSent(m, "CLUSTER MEET 127.0.0.1 7000"), 5);
  EXPECT_GE(CountSent(m, "CLUSTER REPLICATE"), 6);  // once failing, once after the join
}

TEST(ClusterManagerCreate, TwelveNodes) {
  Rig rig(6, 1, 0, /*formed=*/false, 3);
  std::vector<std::string> names = {"m1", "m2", "m3", "m4", "m5", "m6",
                                    "r1", "r2", "r3", "r4", "r5", "r6"};
  ClusterManager* m = rig.Run(CliCreate{Addrs(rig, names), 1});
  ASSERT_TRUE(m->result().ok) << Dump(m);
  EXPECT_TRUE(m->result().check_ok) << Dump(m);
  ASSERT_TRUE(WaitForConvergence(rig.w(), names, Duration::Seconds(30)));
  ExpectCreatedLayout(rig, names, 1);
  const std::vector<std::string> real =
      MeasuredCreateLines("create-n12-redis-cli-output.txt");
  const std::vector<std::string> ours = m->OutputLines();
  for (size_t i = 0; i < 15; ++i) EXPECT_EQ(ours[i], real[i]) << i;
  EXPECT_TRUE(HasLine(m, "[OK] All 16384 slots covered."));
}

TEST(ClusterManagerCreate, ReplicasZero) {
  Rig rig(3, 0, 0, /*formed=*/false, 4);
  ClusterManager* m = rig.Run(CliCreate{Addrs(rig, {"m1", "m2", "m3"}), 0});
  ASSERT_TRUE(m->result().ok) << Dump(m);
  ASSERT_TRUE(WaitForConvergence(rig.w(), {"m1", "m2", "m3"}, Duration::Seconds(30)));
  ExpectCreatedLayout(rig, {"m1", "m2", "m3"}, 0);
}

TEST(ClusterManagerCreate, RefusesTooFewNodesForTheReplicas) {
  Rig rig(3, 1, 0, /*formed=*/false);
  ClusterManager* m = rig.Run(CliCreate{Addrs(rig, {"m1", "m2", "m3", "r1", "r2"}), 1});
  ASSERT_TRUE(m->finished());
  EXPECT_FALSE(m->result().ok);
  EXPECT_EQ(m->output(),
            "*** ERROR: Invalid configuration for cluster creation.\n"
            "*** Redis Cluster requires at least 3 master nodes.\n"
            "*** This is not possible with 5 nodes and 1 replicas per node.\n"
            "*** At least 6 nodes are required.\n");
  EXPECT_EQ(CountSent(m, "ADDSLOTS"), 0);
  EXPECT_EQ(m->result().step, "create: plan");
}

TEST(ClusterManagerCreate, RefusesFewerThanThreeMasters) {
  Rig rig(3, 0, 0, /*formed=*/false);
  ClusterManager* m = rig.Run(CliCreate{Addrs(rig, {"m1", "m2"}), 0});
  EXPECT_FALSE(m->result().ok);
  EXPECT_TRUE(
      HasLine(m, "*** This is not possible with 2 nodes and 0 replicas per node."))
      << Dump(m);
  EXPECT_TRUE(HasLine(m, "*** At least 3 nodes are required."));
}

TEST(ClusterManagerCreate, RefusesANodeThatKnowsOthers) {
  Rig rig(3, 0, 0, /*formed=*/false);
  ASSERT_FALSE(
      rig.w().Command("m2", {"CLUSTER", "MEET", "127.0.0.1", "7002"}).is_error());
  rig.w().RunFor(Duration::Seconds(2));
  ClusterManager* m = rig.Run(CliCreate{Addrs(rig, {"m1", "m2", "m3"}), 0});
  EXPECT_FALSE(m->result().ok);
  EXPECT_EQ(m->output(),
            "[ERR] Node 127.0.0.1:7001 is not empty. Either the node already knows other "
            "nodes (check with CLUSTER NODES) or contains some key in database 0.\n");
  EXPECT_EQ(m->result().step, "create: check node 127.0.0.1:7001");
}

TEST(ClusterManagerCreate, RefusesANodeWithKeys) {
  Rig rig(3, 0, 0, /*formed=*/false);
  // m3 alone serves every slot long enough to take a key, then gives them up.
  ASSERT_FALSE(
      rig.w().Command("m3", {"CLUSTER", "ADDSLOTSRANGE", "0", "16383"}).is_error());
  rig.w().RunFor(Duration::Seconds(3));
  ASSERT_EQ(rig.w().Command("m3", {"SET", "foo", "bar"}), model::Reply::Ok());
  ASSERT_FALSE(
      rig.w().Command("m3", {"CLUSTER", "DELSLOTSRANGE", "0", "16383"}).is_error());
  ClusterManager* m = rig.Run(CliCreate{Addrs(rig, {"m1", "m2", "m3"}), 0});
  EXPECT_FALSE(m->result().ok);
  EXPECT_EQ(m->output(),
            "[ERR] Node 127.0.0.1:7002 is not empty. Either the node already knows other "
            "nodes (check with CLUSTER NODES) or contains some key in database 0.\n");
}

TEST(ClusterManagerCreate, RefusesAnUnreachableNode) {
  Rig rig(3, 0, 0, /*formed=*/false);
  ASSERT_TRUE(rig.w().Crash("m2"));
  std::vector<NodeAddress> addrs = Addrs(rig, {"m1", "m2", "m3"});
  ClusterManager* m = rig.Run(CliCreate{addrs, 0});
  EXPECT_FALSE(m->result().ok);
  EXPECT_EQ(m->output(),
            "Could not connect to Redis at 127.0.0.1:7001: Connection refused\n");
  // Nobody listening at all.
  addrs[1] = {"127.0.0.1", 7999};
  ClusterManager* m2 = rig.Run(CliCreate{addrs, 0});
  EXPECT_EQ(m2->output(),
            "Could not connect to Redis at 127.0.0.1:7999: Connection refused\n");
}

TEST(ClusterManagerCreate, TimesOutOnAPartitionedNode) {
  Rig rig(3, 0, 0, /*formed=*/false);
  ClusterManager* m = rig.Start(CliCreate{Addrs(rig, {"m1", "m2", "m3"}), 0});
  rig.w().Partition({{"cli1"}, {"m3"}}, sim::FaultMode::kDrop);
  rig.w().RunUntil([m] { return m->finished(); }, rig.w().now() + Duration::Seconds(60));
  ASSERT_TRUE(m->finished());
  EXPECT_FALSE(m->result().ok);
  EXPECT_EQ(m->output(),
            "Could not connect to Redis at 127.0.0.1:7002: Connection timed out\n");
}

// redis-cli 7.0.15 does not look for an address given twice: the node is
// planned twice (here as two masters, so it gets two slot ranges). (The
// first node twice would make it MEET itself, which the kernel does not
// support: a process cannot connect to its own endpoint.)
TEST(ClusterManagerCreate, SameAddressTwiceIsPlannedTwiceAsRedisCliDoes) {
  Rig rig(3, 0, 0, /*formed=*/false);
  ClusterManager* m = rig.Run(CliCreate{Addrs(rig, {"m1", "m2", "m3", "m2"}), 0});
  ASSERT_TRUE(m->finished()) << Dump(m);
  EXPECT_TRUE(HasLine(m, "Master[3] -> Slots 12288 - 16383")) << Dump(m);
  EXPECT_EQ(CountSent(m, "127.0.0.1:7001 CLUSTER ADDSLOTS"), 2);
  EXPECT_EQ(CountSent(m, "127.0.0.1:7001 CLUSTER SET-CONFIG-EPOCH"), 2);
  ASSERT_TRUE(m->result().ok) << Dump(m);
  ASSERT_TRUE(WaitForConvergence(rig.w(), {"m1", "m2", "m3"}, Duration::Seconds(30)));
  EXPECT_EQ(rig.SlotsOf("m1", "m2"), 4096 * 2);
}

TEST(ClusterManager, SameSeedSameRun) {
  std::string outputs[2];
  uint64_t hashes[2];
  for (int run = 0; run < 2; ++run) {
    Rig rig(3, 1, 0, /*formed=*/false, 21);
    ClusterManager* m =
        rig.Run(CliCreate{Addrs(rig, {"m1", "m2", "m3", "r1", "r2", "r3"}), 1});
    ASSERT_TRUE(m->result().ok);
    outputs[run] = m->output();
    hashes[run] = rig.w().trace_hash();
  }
  EXPECT_EQ(outputs[0], outputs[1]);
  EXPECT_EQ(hashes[0], hashes[1]);
}

}  // namespace
}  // namespace slotsim::scenarios
