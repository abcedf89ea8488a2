#include "scenarios/source_map.h"

#include "gtest/gtest.h"

namespace slotsim::scenarios {
namespace {

bool operator==(TextPos a, TextPos b) { return a.line == b.line && a.column == b.column; }

TEST(SourceMapTest, ConvertsTokenizerColumnsWithTabs) {
  // protobuf's tokenizer puts "x" of "\t\tx" at column 16; users count 3.
  SourceMap m("a: 1\n\t\tx: 2\n \ty\n");
  EXPECT_TRUE(m.FromTokenizer(0, 3) == (TextPos{1, 4}));
  EXPECT_TRUE(m.FromTokenizer(1, 16) == (TextPos{2, 3}));
  EXPECT_TRUE(m.FromTokenizer(2, 8) == (TextPos{3, 3}));
  EXPECT_TRUE(m.FromTokenizer(3, 0) == (TextPos{4, 1}));  // end of file
  EXPECT_EQ(m.Line(2), "\t\tx: 2");
  EXPECT_EQ(m.Line(9), "");
}

TEST(SourceMapTest, NameBeforeFindsWholeWordsUpToFourLinesBack) {
  SourceMap m(
      "knobs { node_timeout_x: 1 node_timeout : 2 }\nmode:\n  # c\n\n  DISCARD\n}");
  EXPECT_TRUE(m.NameBefore({1, 42}, "node_timeout") == (TextPos{1, 27}));
  EXPECT_TRUE(m.NameBefore({6, 1}, "DISCARD") == (TextPos{5, 3}));
  EXPECT_TRUE(m.NameBefore({1, 5}, "absent") == (TextPos{1, 5}));
}

TEST(SourceMapTest, ValueStartsOfSingleValuesAndLists) {
  SourceMap m(
      "nodes: \"a\"\n"
      "nodes: [\"b\", 'c',  # comment, with a comma\n"
      "  \"d\" \"e\", x]\n"
      "group: [{ nodes: [\"f\"] }, <g: 1>]\n"
      "empty: []\n");
  std::vector<TextPos> v = m.ValueStarts({1, 1});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_TRUE(v[0] == (TextPos{1, 1})) << "a single value reports the field name";
  v = m.ValueStarts({2, 1});
  ASSERT_EQ(v.size(), 4u);
  EXPECT_TRUE(v[0] == (TextPos{2, 9}));
  EXPECT_TRUE(v[1] == (TextPos{2, 14}));
  EXPECT_TRUE(v[2] == (TextPos{3, 3})) << "adjacent strings are one value";
  EXPECT_TRUE(v[3] == (TextPos{3, 12}));
  v = m.ValueStarts({4, 1});
  ASSERT_EQ(v.size(), 2u);
  EXPECT_TRUE(v[1] == (TextPos{4, 27}));
  v = m.ValueStarts({5, 1});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_TRUE(v[0] == (TextPos{5, 1}));
}

}  // namespace
}  // namespace slotsim::scenarios
