#include "sim/check.h"

#include <string>

#include "gtest/gtest.h"

namespace slotsim::sim {
namespace {

TEST(CheckTest, PassingChecksDoNotAbortOrEvaluateTheMessage) {
  int evaluated = 0;
  auto message = [&] {
    ++evaluated;
    return std::string("never");
  };
  CHECK(1 + 1 == 2) << message();
  CHECK_EQ(2, 2) << message();
  CHECK_NE(1, 2);
  CHECK_LT(1, 2);
  CHECK_LE(2, 2);
  CHECK_GT(3, 2);
  CHECK_GE(3, 3);
  EXPECT_EQ(evaluated, 0);
}

TEST(CheckDeathTest, FailedCheckPrintsConditionLocationAndMessage) {
  EXPECT_DEATH(CHECK(1 > 2) << "extra " << 42,
               "check_test.cc:[0-9]+: CHECK failed: 1 > 2 extra 42");
}

TEST(CheckDeathTest, FailedComparisonPrintsOperands) {
  const int a = 3;
  const int b = 4;
  EXPECT_DEATH(CHECK_EQ(a, b), "CHECK failed: a == b .*\\(3 vs 4\\)");
  EXPECT_DEATH(CHECK_GT(a, b) << "why", "a > b .*\\(3 vs 4\\)why");
}

TEST(CheckDeathTest, ChecksStayOnInOptimisedBuilds) {
  // NDEBUG is set by --compilation_mode=opt; CHECK must not depend on it.
  EXPECT_DEATH(CHECK(false), "CHECK failed: false");
}

}  // namespace
}  // namespace slotsim::sim
