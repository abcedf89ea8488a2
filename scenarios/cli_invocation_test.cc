#include "scenarios/cli_invocation.h"

#include <gtest/gtest.h>

#include <memory>

#include "scenarios/cluster_setup.h"

namespace slotsim::scenarios {
namespace {

class CliInvocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WorldOptions o;
    o.nodes = ClusterSpecs(3, 0, 1, model::NodeConfig());
    world_ = std::make_unique<World>(o);
    sim::Rng ids(3);
    ASSERT_TRUE(StartFormedCluster(*world_, DefaultLayout(3, 0), ids).ok());
  }
  std::string Id(const char* n) { return world_->node(n)->name().str(); }
  absl::StatusOr<CliInvocation> Convert(const Action& a) {
    return CliInvocationFromAction(a, *world_, 1, {"m1", "m2", "m3"});
  }
  std::unique_ptr<World> world_;
};

TEST_F(CliInvocationTest, Create) {
  Action a;
  a.mutable_create();
  auto inv = Convert(a);
  ASSERT_TRUE(inv.ok()) << inv.status();
  const auto& c = std::get<CliCreate>(inv->command);
  ASSERT_EQ(c.nodes.size(), 3u);
  EXPECT_EQ(c.nodes[2], (NodeAddress{"127.0.0.1", 7002}));
  EXPECT_EQ(c.replicas, 1);
  a.mutable_create()->add_nodes("s1");
  a.mutable_create()->set_replicas(0);
  inv = Convert(a);
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(std::get<CliCreate>(inv->command).nodes,
            (std::vector<NodeAddress>{{"127.0.0.1", 7003}}));
  EXPECT_EQ(std::get<CliCreate>(inv->command).replicas, 0);
  EXPECT_TRUE(IsCliAction(a));
}

TEST_F(CliInvocationTest, ReshardResolvesIdsAndOptions) {
  Action a;
  Reshard* r = a.mutable_reshard();
  r->add_from("m1");
  r->add_from("m3");
  r->set_to("m2");
  r->set_slots(100);
  r->set_batch_keys(4);
  r->set_via("m3");
  auto inv = Convert(a);
  ASSERT_TRUE(inv.ok()) << inv.status();
  const auto& c = std::get<CliReshard>(inv->command);
  EXPECT_EQ(c.from, Id("m1") + "," + Id("m3"));
  EXPECT_EQ(c.to, Id("m2"));
  EXPECT_EQ(c.slots, 100);
  EXPECT_EQ(c.via, (NodeAddress{"127.0.0.1", 7002}));
  EXPECT_EQ(inv->options.pipeline, 4);
  EXPECT_EQ(inv->options.migrate_timeout_ms, 60000);
  r->clear_from();
  r->clear_via();
  inv = Convert(a);
  EXPECT_EQ(std::get<CliReshard>(inv->command).from, "all");
  EXPECT_EQ(std::get<CliReshard>(inv->command).via, (NodeAddress{"127.0.0.1", 7000}));
}

TEST_F(CliInvocationTest, RebalanceAddDelFix) {
  Action a;
  Weight* w = a.mutable_rebalance()->add_weight();
  w->set_node("m2");
  w->set_weight(2.5);
  a.mutable_rebalance()->set_use_empty_masters(true);
  auto inv = Convert(a);
  ASSERT_TRUE(inv.ok()) << inv.status();
  const auto& rb = std::get<CliRebalance>(inv->command);
  EXPECT_EQ(rb.weights, (std::vector<std::string>{Id("m2") + "=2.5"}));
  EXPECT_TRUE(rb.use_empty_masters);
  EXPECT_FLOAT_EQ(rb.threshold, 2.0f);

  Action add;
  add.mutable_add_node()->set_node("s1");
  add.mutable_add_node()->set_replica(true);
  add.mutable_add_node()->set_master("m3");
  inv = Convert(add);
  ASSERT_TRUE(inv.ok()) << inv.status();
  const auto& an = std::get<CliAddNode>(inv->command);
  EXPECT_EQ(an.new_node, (NodeAddress{"127.0.0.1", 7003}));
  EXPECT_EQ(an.existing, (NodeAddress{"127.0.0.1", 7000}));
  EXPECT_TRUE(an.slave);
  EXPECT_EQ(an.master_id, Id("m3"));

  Action del;
  del.mutable_del_node()->set_node("s1");
  inv = Convert(del);
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(std::get<CliDelNode>(inv->command).node_id, Id("s1"));

  Action fix;
  fix.mutable_fix()->set_fix_with_unreachable_masters(true);
  inv = Convert(fix);
  ASSERT_TRUE(inv.ok());
  EXPECT_TRUE(std::get<CliFix>(inv->command).fix_with_unreachable_masters);
}

TEST_F(CliInvocationTest, Errors) {
  Action a;
  a.mutable_reshard()->set_to("m9");
  a.mutable_reshard()->set_slots(1);
  EXPECT_EQ(Convert(a).status().message(), "unknown node m9");
  // A crashed node is still named by the ID its peers know.
  const std::string m2_id = Id("m2");
  ASSERT_TRUE(world_->Crash("m2"));
  a.mutable_reshard()->set_to("m2");
  auto inv = Convert(a);
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(std::get<CliReshard>(inv->command).to, m2_id);
  Action crash;
  crash.mutable_crash()->set_node("m1");
  EXPECT_FALSE(IsCliAction(crash));
  EXPECT_FALSE(Convert(crash).ok());
}

TEST_F(CliInvocationTest, ConvertedReshardRuns) {
  Action a;
  a.mutable_reshard()->set_to("m3");
  a.mutable_reshard()->set_slots(10);
  auto inv = Convert(a);
  ASSERT_TRUE(inv.ok());
  bool done = false;
  ClusterManagerResult result;
  world_->AddActor("redis-cli", "10.0.0.100",
                   std::make_unique<ClusterManager>(inv->command, inv->options,
                                                    [&](const ClusterManagerResult& r) {
                                                      done = true;
                                                      result = r;
                                                    }));
  world_->RunUntil([&] { return done; }, world_->now() + sim::Duration::Seconds(60));
  ASSERT_TRUE(done);
  EXPECT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.step, "reshard: move slot 3");  // m2 gives 5461-5466, then m1 0-3
}

}  // namespace
}  // namespace slotsim::scenarios
