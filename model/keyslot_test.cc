#include "model/keyslot.h"

#include <string>

#include "gtest/gtest.h"
#include "model/types.h"
#include "rapidcheck/gtest.h"

namespace slotsim::model {
namespace {

// Bit-at-a-time CRC-16/XMODEM, an independent reference for the table version.
uint16_t BitwiseCrc16(std::string_view data) {
  uint16_t crc = 0;
  for (char c : data) {
    crc ^= static_cast<uint16_t>(static_cast<uint8_t>(c) << 8);
    for (int i = 0; i < 8; ++i) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

TEST(Crc16Test, CheckValue) { EXPECT_EQ(Crc16("123456789"), 0x31C3); }

TEST(Crc16Test, EmptyIsZero) { EXPECT_EQ(Crc16(""), 0); }

TEST(Crc16Test, HandlesHighBytesAndNul) {
  const std::string bytes("\x00\xff\x80", 3);
  EXPECT_EQ(Crc16(bytes), BitwiseCrc16(bytes));
}

// Vectors published in the behaviour spec (section 2).
TEST(KeyHashSlotTest, PublishedVectors) {
  EXPECT_EQ(KeyHashSlot("foo"), 12182);
  EXPECT_EQ(KeyHashSlot("bar"), 5061);
  EXPECT_EQ(KeyHashSlot("hello"), 866);
  EXPECT_EQ(KeyHashSlot("key"), 12539);
  EXPECT_EQ(KeyHashSlot("a"), 15495);
  EXPECT_EQ(KeyHashSlot("{user1000}.following"), 3443);
  EXPECT_EQ(KeyHashSlot("{user1000}.followers"), 3443);
  EXPECT_EQ(KeyHashSlot("foo{}{bar}"), 8363);
  EXPECT_EQ(KeyHashSlot("foo{{bar}}zap"), 4015);
  EXPECT_EQ(KeyHashSlot("foo{bar}{zap}"), 5061);
}

TEST(KeyHashSlotTest, EdgeCases) {
  // Empty tag: whole key.
  EXPECT_EQ(HashTagOf("{}"), "{}");
  EXPECT_EQ(KeyHashSlot("{}"), 15257);
  // First '{' then first '}' after it: the tag is "{a".
  EXPECT_EQ(HashTagOf("{{a}}"), "{a");
  EXPECT_EQ(KeyHashSlot("{{a}}"), KeyHashSlot("{a"));
  EXPECT_EQ(KeyHashSlot("{{a}}"), 10276);
  // Only the first tag counts.
  EXPECT_EQ(HashTagOf("a{b}{c}"), "b");
  EXPECT_EQ(KeyHashSlot("a{b}{c}"), 3300);
  // Unclosed '{', lone '}', '}' before '{': whole key.
  EXPECT_EQ(HashTagOf("{"), "{");
  EXPECT_EQ(KeyHashSlot("{"), 4092);
  EXPECT_EQ(KeyHashSlot("}"), 12090);
  EXPECT_EQ(HashTagOf("a}b{"), "a}b{");
  EXPECT_EQ(KeyHashSlot("a}b{"), 6027);
  // Empty key hashes to slot 0.
  EXPECT_EQ(KeyHashSlot(""), 0);
  // "{a}" and "a" share a slot.
  EXPECT_EQ(KeyHashSlot("{a}"), KeyHashSlot("a"));
}

RC_GTEST_PROP(KeyHashSlotProp, TableMatchesBitwise, (const std::string& data)) {
  RC_ASSERT(Crc16(data) == BitwiseCrc16(data));
}

RC_GTEST_PROP(KeyHashSlotProp, InRange, (const std::string& key)) {
  const int slot = KeyHashSlot(key);
  RC_ASSERT(slot >= 0);
  RC_ASSERT(slot < kClusterSlots);
}

RC_GTEST_PROP(KeyHashSlotProp, NoBraceHashesWholeKey, (const std::string& key)) {
  RC_PRE(key.find('{') == std::string::npos);
  RC_ASSERT(KeyHashSlot(key) == (BitwiseCrc16(key) & 0x3FFF));
}

// Any prefix without '{', then "{tag}" with a non-empty tag free of '}', then
// any suffix: the key lands in the slot of the tag alone.
RC_GTEST_PROP(KeyHashSlotProp, TagDecidesSlot,
              (const std::string& prefix, const std::string& tag,
               const std::string& suffix)) {
  RC_PRE(prefix.find('{') == std::string::npos);
  RC_PRE(!tag.empty() && tag.find('}') == std::string::npos);
  const std::string key = prefix + "{" + tag + "}" + suffix;
  RC_ASSERT(KeyHashSlot(key) == KeyHashSlot(tag));
  RC_ASSERT(KeyHashSlot(key) == (BitwiseCrc16(tag) & 0x3FFF));
}

}  // namespace
}  // namespace slotsim::model
