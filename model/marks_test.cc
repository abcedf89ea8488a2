#include "model/marks.h"

#include "gtest/gtest.h"

namespace slotsim::model {
namespace {

void HitTwice() {
  for (int i = 0; i < 2; ++i) MARK("marks_test: loop");
}

TEST(MarksTest, CountsHitsAndResets) {
  marks::Reset();
  EXPECT_EQ(marks::Count("marks_test: loop"), 0u);
  HitTwice();
  EXPECT_EQ(marks::Count("marks_test: loop"), 2u);
  EXPECT_EQ(marks::Snapshot().at("marks_test: loop"), 2u);
  marks::Reset();
  EXPECT_EQ(marks::Count("marks_test: loop"), 0u);
  EXPECT_EQ(marks::Snapshot().count("marks_test: loop"), 0u);
  HitTwice();
  EXPECT_EQ(marks::Count("marks_test: loop"), 2u);
}

TEST(MarksTest, UnknownNameIsZero) {
  EXPECT_EQ(marks::Count("marks_test: never hit"), 0u);
}

}  // namespace
}  // namespace slotsim::model
