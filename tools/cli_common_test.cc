// The reproduce line printed after a failure is one the named command
// accepts; times parse with their units.

#include "tools/cli_common.h"

#include <gtest/gtest.h>

namespace slotsim::tools {
namespace {

TEST(ReproduceLine, RunCarriesSeedAndQuotedOverrides) {
  EXPECT_EQ(ReproduceLine("run", "scenarios/library/smoke.textproto", 7,
                          {"knobs.cluster_node_timeout=5000", "name=a b"}),
            "slotsim run scenarios/library/smoke.textproto --seed 7 --set "
            "knobs.cluster_node_timeout=5000 --set 'name=a b'");
}

TEST(ReproduceLine, ReplayTakesOnlyTheSeedFile) {
  // `slotsim replay` refuses --seed and --set (exit 2); the seed is in the file.
  EXPECT_EQ(ReproduceLine("replay", "/tmp/out/seed 1.textproto", 42, {}),
            "slotsim replay '/tmp/out/seed 1.textproto'");
}

TEST(ParseTimeMs, UnitsAndBareMilliseconds) {
  EXPECT_EQ(*ParseTimeMs("1500ms"), 1500);
  EXPECT_EQ(*ParseTimeMs("12.5s"), 12500);
  EXPECT_EQ(*ParseTimeMs("2m"), 120000);
  EXPECT_EQ(*ParseTimeMs("250"), 250);
  EXPECT_FALSE(ParseTimeMs("soon").ok());
  EXPECT_FALSE(ParseTimeMs("-5s").ok());
}

}  // namespace
}  // namespace slotsim::tools
