#include "model/keyspace.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "model/keyslot.h"
#include "rapidcheck/gtest.h"

namespace slotsim::model {
namespace {

using Strings = std::vector<std::string>;
using Ints = std::vector<int>;

TEST(KeyspaceTest, SetGetDelExists) {
  Keyspace db;
  EXPECT_EQ(db.Get("foo"), nullptr);
  EXPECT_TRUE(db.Set("foo", {"v1", 1}));
  ASSERT_NE(db.Get("foo"), nullptr);
  EXPECT_EQ(*db.Get("foo"), (Value{"v1", 1}));
  EXPECT_TRUE(db.Exists("foo"));
  EXPECT_EQ(db.size(), 1);

  EXPECT_FALSE(db.Set("foo", {"v2", 2}));  // overwrite
  EXPECT_EQ(*db.Get("foo"), (Value{"v2", 2}));
  EXPECT_EQ(db.size(), 1);

  EXPECT_TRUE(db.Del("foo"));
  EXPECT_FALSE(db.Del("foo"));
  EXPECT_FALSE(db.Exists("foo"));
  EXPECT_TRUE(db.empty());
  EXPECT_TRUE(db.SlotsWithKeys().empty());
}

TEST(KeyspaceTest, CountsAndListsBySlot) {
  Keyspace db;
  // Same hash tag -> slot of "user1000" (3443).
  db.Set("{user1000}.c", {"x", 1});
  db.Set("{user1000}.a", {"x", 2});
  db.Set("{user1000}.b", {"x", 3});
  db.Set("foo", {"x", 4});  // 12182
  EXPECT_EQ(db.CountKeysInSlot(3443), 3);
  EXPECT_EQ(db.CountKeysInSlot(12182), 1);
  EXPECT_EQ(db.CountKeysInSlot(0), 0);
  EXPECT_EQ(db.GetKeysInSlot(3443, 10),
            (Strings{"{user1000}.a", "{user1000}.b", "{user1000}.c"}));
  EXPECT_EQ(db.GetKeysInSlot(3443, 2), (Strings{"{user1000}.a", "{user1000}.b"}));
  EXPECT_TRUE(db.GetKeysInSlot(3443, 0).empty());
  EXPECT_TRUE(db.GetKeysInSlot(5, 10).empty());
  EXPECT_EQ(db.SlotsWithKeys(), (Ints{3443, 12182}));

  EXPECT_EQ(db.DelKeysInSlot(3443), 3);
  EXPECT_EQ(db.DelKeysInSlot(3443), 0);
  EXPECT_EQ(db.size(), 1);
  EXPECT_EQ(db.SlotsWithKeys(), (Ints{12182}));
  db.Clear();
  EXPECT_EQ(db.size(), 0);
  EXPECT_EQ(db.CountKeysInSlot(12182), 0);
}

TEST(KeyspaceTest, ForEachVisitsSlotThenKeyOrder) {
  Keyspace db;
  db.Set("foo", {"1", 1});     // 12182
  db.Set("bar", {"2", 2});     // 5061
  db.Set("{bar}z", {"3", 3});  // 5061
  db.Set("hello", {"4", 4});   // 866
  std::vector<std::pair<int, std::string>> seen;
  db.ForEach([&](int slot, std::string_view key, const Value&) {
    seen.emplace_back(slot, std::string(key));
  });
  const std::vector<std::pair<int, std::string>> expected = {
      {866, "hello"}, {5061, "bar"}, {5061, "{bar}z"}, {12182, "foo"}};
  EXPECT_EQ(seen, expected);
  std::vector<std::string> in_slot;
  db.ForEachInSlot(5061, [&](std::string_view key, const Value& v) {
    in_slot.push_back(std::string(key) + "=" + v.data);
  });
  EXPECT_EQ(in_slot, (Strings{"bar=2", "{bar}z=3"}));
}

TEST(KeyspaceTest, DigestDependsOnContentOnly) {
  Keyspace a, b;
  a.Set("x", {"1", 1});
  a.Set("y", {"2", 2});
  b.Set("y", {"2", 2});
  b.Set("x", {"1", 1});
  EXPECT_EQ(a.Digest(), b.Digest());
  EXPECT_EQ(a, b);

  b.Set("x", {"1", 7});  // same bytes, different write
  EXPECT_NE(a.Digest(), b.Digest());
  EXPECT_NE(a, b);

  b.Set("x", {"1", 1});
  b.Set("z", {"", 0});
  EXPECT_NE(a.Digest(), b.Digest());
  b.Del("z");
  EXPECT_EQ(a.Digest(), b.Digest());
  EXPECT_NE(Keyspace().Digest(), a.Digest());
}

TEST(KeyspaceTest, BinaryKeys) {
  Keyspace db;
  const std::string k1("a\0b", 3), k2("a\0c", 3);
  db.Set(k1, {"1", 1});
  db.Set(k2, {"2", 2});
  EXPECT_EQ(db.size(), 2);
  EXPECT_EQ(db.Get(k1)->data, "1");
  EXPECT_EQ(db.Get(k2)->data, "2");
  EXPECT_FALSE(db.Exists("a"));
}

// Random operations against a reference std::map: every query agrees.
RC_GTEST_PROP(KeyspaceProp, MatchesReferenceMap, ()) {
  Keyspace db;
  std::map<std::string, Value> ref;
  // A small alphabet with braces so keys collide and share tags.
  const auto key_gen =
      rc::gen::container<std::string>(rc::gen::element('a', 'b', '{', '}', 'x'));
  const int steps = *rc::gen::inRange(0, 200);
  for (int i = 0; i < steps; ++i) {
    const std::string key = *key_gen;
    const int op = *rc::gen::inRange(0, 4);
    if (op <= 1) {
      const bool fresh = ref.count(key) == 0;
      RC_ASSERT(db.Set(key, {key + "!", static_cast<uint64_t>(i)}) == fresh);
      ref[key] = {key + "!", static_cast<uint64_t>(i)};
    } else if (op == 2) {
      RC_ASSERT(db.Del(key) == (ref.erase(key) == 1));
    } else {
      const int slot = KeyHashSlot(key);
      int expected = 0;
      for (auto it = ref.begin(); it != ref.end();) {
        if (KeyHashSlot(it->first) == slot) {
          ++expected;
          it = ref.erase(it);
        } else {
          ++it;
        }
      }
      RC_ASSERT(db.DelKeysInSlot(slot) == expected);
    }
  }
  RC_ASSERT(db.size() == static_cast<int64_t>(ref.size()));
  std::map<int, std::vector<std::string>> by_slot;
  for (const auto& [k, v] : ref) {
    RC_ASSERT(db.Get(k) != nullptr);
    RC_ASSERT(*db.Get(k) == v);
    by_slot[KeyHashSlot(k)].push_back(k);  // std::map: ascending key order
  }
  std::vector<int> slots;
  for (const auto& [slot, keys] : by_slot) {
    slots.push_back(slot);
    RC_ASSERT(db.CountKeysInSlot(slot) == static_cast<int>(keys.size()));
    RC_ASSERT(db.GetKeysInSlot(slot, 1000) == keys);
  }
  RC_ASSERT(db.SlotsWithKeys() == slots);
}

}  // namespace
}  // namespace slotsim::model
