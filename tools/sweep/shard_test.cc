#include "tools/sweep/shard.h"

#include <vector>

#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"

namespace slotsim::tools::sweep {
namespace {

TEST(ShardTest, ParsesZeroBasedIndexOverCount) {
  absl::StatusOr<Shard> s = ParseShard("2/4");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->index, 2);
  EXPECT_EQ(s->count, 4);
  EXPECT_EQ(s->ToString(), "2/4");
  EXPECT_EQ(s->Runs(11), (std::vector<int64_t>{2, 6, 10}));
  EXPECT_TRUE(ParseShard("0/1")->all());
}

TEST(ShardTest, RejectsOutOfRangeAndMalformed) {
  for (const char* bad : {"4/4", "-1/4", "1/0", "1", "a/b", "1/2/3", "", "0/2000000"}) {
    EXPECT_FALSE(ParseShard(bad).ok()) << bad;
  }
  EXPECT_NE(ParseShard("4/4").status().message().find("0-based"), std::string::npos);
}

RC_GTEST_PROP(ShardProperty, ShardsPartitionTheRunsExactly, ()) {
  const int64_t total = *rc::gen::inRange<int64_t>(0, 400);
  const int64_t n = *rc::gen::inRange<int64_t>(1, 25);
  std::vector<int> seen(static_cast<size_t>(total), 0);
  int64_t smallest = total, largest = 0;
  for (int64_t i = 0; i < n; ++i) {
    const Shard s{i, n};
    const std::vector<int64_t> runs = s.Runs(total);
    smallest = std::min<int64_t>(smallest, static_cast<int64_t>(runs.size()));
    largest = std::max<int64_t>(largest, static_cast<int64_t>(runs.size()));
    for (int64_t r : runs) {
      RC_ASSERT(s.Contains(r));
      ++seen[static_cast<size_t>(r)];
    }
    const Shard again{i, n};
    RC_ASSERT(again.Runs(total) == runs);  // deterministic
  }
  for (int count : seen) RC_ASSERT(count == 1);
  RC_ASSERT(largest - smallest <= 1);
}

}  // namespace
}  // namespace slotsim::tools::sweep
