#include "props/slot_claims.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <string>
#include <utility>

#include "props/testing/fake_cluster.h"

namespace slotsim::props {
namespace {

using testing::FakeCluster;

// The pair table recomputed from scratch.
std::map<std::pair<int, int>, int> Brute(const ClusterView& view) {
  std::map<std::pair<int, int>, int> out;
  const int n = static_cast<int>(view.nodes.size());
  for (int j = 0; j < model::kClusterSlots; ++j) {
    for (int a = 0; a < n; ++a) {
      if (!view.nodes[static_cast<size_t>(a)].SelfOwns(j)) continue;
      for (int b = a + 1; b < n; ++b) {
        if (view.nodes[static_cast<size_t>(b)].SelfOwns(j)) ++out[{a, b}];
      }
    }
  }
  return out;
}

TEST(SlotClaims, FormedClusterHasNoSharedClaims) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  SlotClaims claims(static_cast<int>(c.view().nodes.size()));
  claims.UpdateAll(c.view());
  EXPECT_TRUE(claims.shared().empty());
  EXPECT_EQ(claims.claim_count(0), 5461);
  EXPECT_EQ(claims.claimants(0), std::vector<int>{0});
}

TEST(SlotClaims, DoubleClaimIsCountedAndUndone) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  SlotClaims claims(static_cast<int>(c.view().nodes.size()));
  claims.UpdateAll(c.view());
  const int r1 = c.view().IndexOf("r1");
  c.SetRole("r1", "r1", "");
  c.Bind("r1", 0, 99, "r1");
  EXPECT_TRUE(claims.Update(r1, c.node("r1")));
  ASSERT_EQ(claims.shared().size(), 1u);
  EXPECT_EQ(claims.shared().begin()->first, std::make_pair(0, r1));
  EXPECT_EQ(claims.shared().begin()->second, 100);
  EXPECT_EQ(claims.FirstShared(0, r1), 0);
  EXPECT_FALSE(claims.Update(r1, c.node("r1")));  // unchanged
  c.Down("r1");
  EXPECT_TRUE(claims.Update(r1, c.node("r1")));
  EXPECT_TRUE(claims.shared().empty());
}

RC_GTEST_PROP(SlotClaims, IncrementalEqualsRecomputed, ()) {
  FakeCluster c = FakeCluster::Standard(3, 1);
  const int n = static_cast<int>(c.view().nodes.size());
  SlotClaims claims(n);
  claims.UpdateAll(c.view());
  const auto steps =
      *rc::gen::container<std::vector<std::tuple<int, int, int, bool>>>(rc::gen::tuple(
          rc::gen::inRange(0, n), rc::gen::inRange(0, model::kClusterSlots - 64),
          rc::gen::inRange(0, 64), rc::gen::arbitrary<bool>()));
  for (const auto& [who, first, len, claim] : steps) {
    const std::string name = c.view().nodes[static_cast<size_t>(who)].name;
    c.Bind(name, first, first + len, claim ? name : "");
    claims.Update(who, c.node(name));
  }
  RC_ASSERT(claims.shared() == Brute(c.view()));
  for (int i = 0; i < n; ++i) {
    int count = 0;
    for (int j = 0; j < model::kClusterSlots; ++j)
      count += c.node(c.view().nodes[i].name).SelfOwns(j);
    RC_ASSERT(claims.claim_count(i) == count);
  }
}

}  // namespace
}  // namespace slotsim::props
