#include "tools/sweep/manifest.h"

#include "gtest/gtest.h"

namespace slotsim::tools::sweep {
namespace {

Manifest Sample() {
  Manifest m;
  m.name = "nt";
  m.build = "slotsim-0.1.0+abc";
  m.fingerprint = 0xfedcba9876543210ULL;
  m.axes = {AxisInfo{"nt", "knobs.cluster_node_timeout", {"500", "1000"}}};
  m.main_axis = "nt";
  m.points = 2;
  m.seeds_per_point = 3;
  m.first_seed = 1;
  m.runs = 6;
  m.columns = {"run", "point", "nt", "seed", "promoted_ms"};
  m.outcomes = {"promoted_ms"};
  m.shard = Shard{1, 2};
  return m;
}

TEST(ManifestTest, JsonRoundTrips) {
  const Manifest m = Sample();
  absl::StatusOr<Manifest> back = ParseManifest(m.ToJson());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->ToJson(), m.ToJson());
  EXPECT_EQ(back->Mismatch(m), "");
  EXPECT_EQ(back->shard.ToString(), "1/2");
  EXPECT_EQ(back->fingerprint, m.fingerprint);
}

TEST(ManifestTest, MismatchNamesTheFirstDifferenceButIgnoresTheShard) {
  const Manifest m = Sample();
  Manifest other = m;
  other.shard = Shard{0, 2};
  EXPECT_EQ(m.Mismatch(other), "");
  other.build = "another";
  EXPECT_EQ(m.Mismatch(other), "build");
  other = m;
  other.fingerprint ^= 1;
  EXPECT_NE(m.Mismatch(other).find("fingerprint"), std::string::npos);
  other = m;
  other.axes[0].values.push_back("2000");
  EXPECT_EQ(m.Mismatch(other), "axes");
}

TEST(ManifestTest, RejectsOtherFormatsAndMissingFields) {
  EXPECT_FALSE(ParseManifest("{}").ok());
  EXPECT_FALSE(ParseManifest("not json").ok());
  std::string text = Sample().ToJson();
  text.replace(text.find("slotsim-sweep/1"), 15, "slotsim-sweep/9");
  EXPECT_FALSE(ParseManifest(text).ok());
}

}  // namespace
}  // namespace slotsim::tools::sweep
