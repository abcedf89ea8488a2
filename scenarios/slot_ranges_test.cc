#include "scenarios/slot_ranges.h"

#include "gtest/gtest.h"

namespace slotsim::scenarios {
namespace {

TEST(SlotRangeTest, ParsesRangesAndSingleSlots) {
  absl::StatusOr<SlotRange> r = ParseSlotRange("0-5460");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (SlotRange{0, 5460}));
  EXPECT_EQ(r->size(), 5461);
  r = ParseSlotRange("16383");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (SlotRange{16383, 16383}));
  EXPECT_EQ(r->ToString(), "16383");
  EXPECT_EQ((SlotRange{5461, 10922}).ToString(), "5461-10922");
}

TEST(SlotRangeTest, RejectsMalformedInput) {
  for (const char* bad : {"", "-", "1-", "-1", "a", "1-b", "16384", "0-16384", "1 -2",
                          "+5", "5-3", "99999999999", "1-2-3"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseSlotRange(bad).ok());
  }
  EXPECT_EQ(ParseSlotRange("5-3").status().message(),
            "bad slot range \"5-3\": first slot is after last slot");
  EXPECT_EQ(ParseSlotRange("16384").status().message(),
            "bad slot range \"16384\": slot 16384 is not in 0..16383");
}

TEST(SlotRangeTest, Overlaps) {
  EXPECT_TRUE((SlotRange{0, 10}).Overlaps({10, 20}));
  EXPECT_TRUE((SlotRange{5, 5}).Overlaps({0, 10}));
  EXPECT_FALSE((SlotRange{0, 9}).Overlaps({10, 20}));
}

}  // namespace
}  // namespace slotsim::scenarios
