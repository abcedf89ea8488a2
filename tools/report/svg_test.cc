#include "tools/report/svg.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace slotsim::tools {
namespace {

using ::testing::HasSubstr;

TEST(SvgEscapeTest, EscapesMarkupAndDropsControls) {
  EXPECT_EQ(SvgEscape("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
  EXPECT_EQ(SvgEscape(std::string("x\x01y\tz", 5)), "xy\tz");
  EXPECT_EQ(SvgEscape("bad\xFF"), "bad\xEF\xBF\xBD");
  EXPECT_EQ(SvgEscape("\xE2\x89\xA4"), "\xE2\x89\xA4");
}

TEST(SvgNumberTest, TwoDecimalsAtMost) {
  EXPECT_EQ(SvgNumber(12), "12");
  EXPECT_EQ(SvgNumber(12.345), "12.35");  // 12.345 is stored just above.
  EXPECT_EQ(SvgNumber(0.1), "0.1");
  EXPECT_EQ(SvgNumber(-0.001), "0");
}

TEST(SvgWriterTest, WritesNestedElements) {
  SvgWriter svg(100, 50.5, {{"font-family", "sans-serif"}});
  svg.Open("g", {{"class", "grid"}});
  svg.Element("line", {{"x1", "0"}, {"x2", "10"}});
  svg.Close();
  svg.Text(5, 6, "a<b", {{"text-anchor", "middle"}});
  svg.Comment("x -- y");
  std::string text = svg.Finish();
  EXPECT_EQ(text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"50.5\" "
            "viewBox=\"0 0 100 50.5\" font-family=\"sans-serif\">\n"
            "  <g class=\"grid\">\n"
            "    <line x1=\"0\" x2=\"10\"/>\n"
            "  </g>\n"
            "  <text x=\"5\" y=\"6\" text-anchor=\"middle\">a&lt;b</text>\n"
            "  <!-- x - - y -->\n"
            "</svg>\n");
}

TEST(SvgWriterTest, UnclosedGroupIsAProgrammerError) {
  EXPECT_DEATH(
      {
        SvgWriter svg(10, 10);
        svg.Open("g");
        svg.Finish();
      },
      "unclosed <g>");
  EXPECT_DEATH(
      {
        SvgWriter svg(10, 10);
        svg.Close();
      },
      "Close\\(\\) without Open\\(\\)");
}

}  // namespace
}  // namespace slotsim::tools
