#include "scenarios/sweep_loader.h"

#include "gtest/gtest.h"

namespace slotsim::scenarios {
namespace {

using Points = std::vector<std::vector<std::string>>;

TEST(SweepLoaderTest, LoadsAndResolvesBaseAgainstTheSweepFile) {
  absl::StatusOr<LoadedSweep> s = LoadSweepText(
      "base: '../examples/annotated.textproto'\n"
      "set: 'workload.clients=4'\n"
      "axis { path: 'knobs.cluster_node_timeout' values: ['5000', '15000'] }\n"
      "axis { path: 'network.delay.mean_us' label: 'delay' range { from: 100 to: 700 "
      "step: 300 } }\n"
      "seeds_per_point: 3\n",
      "scenarios/sweeps/nt.textproto");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->base_path, "scenarios/sweeps/../examples/annotated.textproto");
  EXPECT_EQ(SweepPoints(s->sweep),
            (Points{{"workload.clients=4", "knobs.cluster_node_timeout=5000",
                     "network.delay.mean_us=100"},
                    {"workload.clients=4", "knobs.cluster_node_timeout=5000",
                     "network.delay.mean_us=400"},
                    {"workload.clients=4", "knobs.cluster_node_timeout=5000",
                     "network.delay.mean_us=700"},
                    {"workload.clients=4", "knobs.cluster_node_timeout=15000",
                     "network.delay.mean_us=100"},
                    {"workload.clients=4", "knobs.cluster_node_timeout=15000",
                     "network.delay.mean_us=400"},
                    {"workload.clients=4", "knobs.cluster_node_timeout=15000",
                     "network.delay.mean_us=700"}}));
}

TEST(SweepLoaderTest, ZipPairsValuesAndRangesStopAtTo) {
  Sweep sw;
  sw.set_combine(Sweep::ZIP);
  Axis* a = sw.add_axis();
  a->set_path("duration_ms");
  a->mutable_range()->set_from(10);
  a->mutable_range()->set_to(20);
  a->mutable_range()->set_step(6);
  Axis* b = sw.add_axis();
  b->set_path("faults[0].at_ms");
  b->add_values("1");
  b->add_values("2");
  EXPECT_EQ(AxisValues(*a), (std::vector<std::string>{"10", "16"}));
  EXPECT_EQ(SweepPoints(sw), (Points{{"duration_ms=10", "faults[0].at_ms=1"},
                                     {"duration_ms=16", "faults[0].at_ms=2"}}));
  EXPECT_EQ(SweepPoints(Sweep()), Points{{}}) << "no axes: one point";
}

TEST(SweepLoaderTest, ReportsEveryProblemWithPositions) {
  absl::StatusOr<LoadedSweep> s = LoadSweepText(
      "set: 'knobs.cluster_node_timout=1'\n"
      "combine: ZIP\n"
      "axis { path: 'knobs.repl_timeout' values: ['1', 'x'] }\n"
      "axis { path: 'network.delay' values: ['1'] }\n"
      "axis { path: 'duration_ms' range { from: 5 to: 1 } }\n"
      "axis { path: 'seed' values: '1' range { from: 1 to: 2 } }\n"
      "axis { path: 'knobs.repl_timeout' range { from: 1 to: 3 } }\n"
      "seeds_per_point: 0\n",
      "s.textproto");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(
      std::string(s.status().message()),
      "s.textproto:1:1: base: base (the scenario file) is required\n"
      "s.textproto:1:1: set[0]: bad path \"knobs.cluster_node_timout\": no field "
      "\"cluster_node_timout\" in Knobs; did you mean \"cluster_node_timeout\"?\n"
      "s.textproto:3:49: axis[0].values[1]: bad value for knobs.repl_timeout: "
      "repl_timeout takes an integer (int32); got \"x\"\n"
      "s.textproto:4:8: axis[1].path: bad path \"network.delay\": \"delay\" is a message "
      "(Delay); name one of its fields: kind, mean_us, jitter_us, min_us, max_us\n"
      "s.textproto:5:44: axis[2].range.to: to (1) is below from (5)\n"
      "s.textproto:6:1: axis[3]: give exactly one of values and range\n"
      "s.textproto:7:1: axis[4]: has 3 values but axis[0] has 2; ZIP needs equal "
      "lengths\n"
      "s.textproto:7:8: axis[4].path: label \"knobs.repl_timeout\" is used by an earlier "
      "axis\n"
      "s.textproto:8:1: seeds_per_point: must be in 1..1000000, got 0");
}

TEST(SweepLoaderTest, HugeGridsAreRefused) {
  absl::StatusOr<LoadedSweep> s = LoadSweepText(
      "base: 'b'\n"
      "axis { path: 'duration_ms' range { from: 1 to: 1000 } }\n"
      "axis { path: 'seed' range { from: 1 to: 1000 } }\n",
      "s");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(std::string(s.status().message()),
            "s:2:1: axis[0]: the grid has more than 100000 points");
}

TEST(SweepLoaderTest, MissingFile) {
  EXPECT_EQ(LoadSweepFile("scenarios/no_such_sweep.textproto").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace slotsim::scenarios
