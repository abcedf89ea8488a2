#include "scenarios/suggest.h"

#include "gtest/gtest.h"

namespace slotsim::scenarios {
namespace {

TEST(EditDistanceTest, CountsInsertionsDeletionsSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0);
  EXPECT_EQ(EditDistance("abc", ""), 3);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("masters", "masters"), 0);
  EXPECT_EQ(EditDistance("mastrs", "masters"), 1);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
}

TEST(ClosestNamesTest, FindsTyposAndContainedWords) {
  const std::vector<std::string> fields = {"masters", "replicas_per_master", "spares",
                                           "cluster_node_timeout", "repl_timeout"};
  EXPECT_EQ(ClosestNames("mastrs", fields), std::vector<std::string>{"masters"});
  EXPECT_EQ(ClosestNames("node_timeout", fields),
            (std::vector<std::string>{"cluster_node_timeout", "repl_timeout"}));
  EXPECT_TRUE(ClosestNames("x", fields).empty());
  EXPECT_TRUE(ClosestNames("masters", fields).empty())
      << "the word itself is no suggestion";
}

TEST(ClosestNamesTest, ClosestFirstAndAtMostMax) {
  const std::vector<std::string> nodes = {"m1", "m2", "m3", "r1", "r2"};
  EXPECT_EQ(ClosestNames("m9", nodes, 2), (std::vector<std::string>{"m1", "m2"}));
  EXPECT_EQ(ClosestNames("r11", {"r1", "r111", "m11"}, 3),
            (std::vector<std::string>{"r1", "r111", "m11"}));
}

TEST(DidYouMeanTest, Phrases) {
  EXPECT_EQ(DidYouMean("mastrs", {"masters", "spares"}), "did you mean \"masters\"?");
  EXPECT_EQ(DidYouMean("m9", {"m1", "m2"}), "did you mean \"m1\" or \"m2\"?");
  EXPECT_EQ(DidYouMean("zzzzzz", {"m1"}), "");
  EXPECT_EQ(QuotedList({"a", "b"}), "\"a\", \"b\"");
}

}  // namespace
}  // namespace slotsim::scenarios
