#include "props/registry.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace slotsim::props {
namespace {

TEST(Registry, EveryNameMakesItsChecker) {
  ASSERT_EQ(AllPropertyNames().size(), 10u);
  for (const std::string& name : AllPropertyNames()) {
    auto c = MakeChecker(name);
    ASSERT_TRUE(c.ok()) << name;
    EXPECT_EQ((*c)->name(), name);
    EXPECT_TRUE((*c)->ok());
  }
}

TEST(Registry, DefaultSetIsAllButTheStrictMeasurement) {
  const auto& d = DefaultPropertyNames();
  EXPECT_EQ(d.size(), AllPropertyNames().size() - 1);
  EXPECT_EQ(std::count(d.begin(), d.end(), "single_writer_strict"), 0);
  EXPECT_EQ(std::count(d.begin(), d.end(), "single_writer"), 1);
  auto all = MakeCheckers({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), d.size());
}

TEST(Registry, UnknownAndRepeatedNamesAreErrors) {
  auto unknown = MakeChecker("single_writter");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("known: single_writer,"), std::string::npos);
  EXPECT_FALSE(MakeCheckers({"votes", "votes"}).ok());
  EXPECT_FALSE(MakeCheckers({"votes", "nope"}).ok());
  auto two = MakeCheckers({"roles", "single_writer_strict"});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ((*two)[1]->name(), "single_writer_strict");
}

}  // namespace
}  // namespace slotsim::props
