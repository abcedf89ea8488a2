#include "model/cli_step.h"

#include "gtest/gtest.h"

namespace slotsim::model {
namespace {

TEST(CliStepTest, EqualityAndText) {
  EXPECT_EQ(CliStep::MoveSlot(1, 2, 3, kMoveVerbose),
            CliStep::MoveSlot(1, 2, 3, kMoveVerbose));
  EXPECT_FALSE(CliStep::MoveSlot(1, 2, 3, kMoveVerbose) ==
               CliStep::MoveSlot(1, 2, 3, kMoveCold));
  EXPECT_EQ(CliStep::SetSlotOwner(4, 5, true).ToString(), "owner 4 slot 5 clear");
  EXPECT_EQ(CliStep::DelSlot(4, 5, true).ToString(), "delslot 4 slot 5 ignore-failure");
  EXPECT_EQ(CliStep::MoveSlot(1, 2, 3, kMoveVerbose | kMoveCold | kMoveUpdate).ToString(),
            "move 1->2 slot 3 cold update");
  EXPECT_EQ(CliStep::Command(0, {"CLUSTER", "BUMPEPOCH"}).ToString(),
            "cmd 0 CLUSTER BUMPEPOCH");
  EXPECT_EQ(CliStepStrings({CliStep::Log("hi")}), std::vector<std::string>{"log hi"});
}

}  // namespace
}  // namespace slotsim::model
