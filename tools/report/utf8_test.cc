#include "tools/report/utf8.h"

#include <string>

#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"

namespace slotsim::tools {
namespace {

TEST(Utf8Test, SequenceLengths) {
  EXPECT_EQ(Utf8SequenceLength("a", 0), 1u);
  EXPECT_EQ(Utf8SequenceLength("\xC3\xB6", 0), 2u);
  EXPECT_EQ(Utf8SequenceLength("\xE2\x86\x92", 0), 3u);
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9F\x98\x80", 0), 4u);
  EXPECT_EQ(Utf8SequenceLength("\xC3", 0), 0u);              // Truncated.
  EXPECT_EQ(Utf8SequenceLength("\xC0\xAF", 0), 0u);          // Overlong.
  EXPECT_EQ(Utf8SequenceLength("\xE0\x80\xAF", 0), 0u);      // Overlong.
  EXPECT_EQ(Utf8SequenceLength("\xED\xA0\x80", 0), 0u);      // Surrogate.
  EXPECT_EQ(Utf8SequenceLength("\xF4\x90\x80\x80", 0), 0u);  // > U+10FFFF.
  EXPECT_EQ(Utf8SequenceLength("\x80", 0), 0u);              // Continuation.
}

TEST(Utf8Test, SanitizeAndLength) {
  EXPECT_EQ(SanitizeUtf8("ok \xC3\xB6"), "ok \xC3\xB6");
  EXPECT_EQ(SanitizeUtf8("a\xFF"
                         "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Utf8Length("n\xC3\xB6"
                       "de"),
            4u);
  EXPECT_EQ(Utf8Length("\xFF\xFE"), 2u);
}

RC_GTEST_PROP(Utf8Property, SanitizedTextIsValidAndStable, (std::string bytes)) {
  std::string clean = SanitizeUtf8(bytes);
  RC_ASSERT(SanitizeUtf8(clean) == clean);
  RC_ASSERT(Utf8Length(clean) == Utf8Length(bytes));
}

}  // namespace
}  // namespace slotsim::tools
