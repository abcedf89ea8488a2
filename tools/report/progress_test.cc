#include "tools/report/progress.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace slotsim::tools {
namespace {

using ::testing::ElementsAre;

// A progress line drawing into `writes`, timed by `now_us`.
class ProgressLineTest : public ::testing::Test {
 protected:
  ProgressLine::Sink Sink() {
    return [this](std::string_view text) { writes.emplace_back(text); };
  }
  ProgressLine::Clock Clock() {
    return [this] { return now_us; };
  }

  std::vector<std::string> writes;
  int64_t now_us = 1000000;
};

TEST(ProgressFormatTest, Durations) {
  EXPECT_EQ(ProgressLine::FormatDuration(0), "0s");
  EXPECT_EQ(ProgressLine::FormatDuration(59), "59s");
  EXPECT_EQ(ProgressLine::FormatDuration(197), "3m17s");
  EXPECT_EQ(ProgressLine::FormatDuration(7500), "2h05m");
  EXPECT_EQ(ProgressLine::FormatDuration(-3), "0s");
}

TEST(ProgressFormatTest, Lines) {
  EXPECT_EQ(ProgressLine::FormatLine("check", 1234, 20000, 14466000),
            "check  1234/20000  6.2%  85.3/s  ETA 3m40s");  // 18766 / 85.3 = 220 s
  EXPECT_EQ(ProgressLine::FormatLine("sweep", 0, 10, 0),
            "sweep  0/10  0.0%  --/s  ETA --");
  EXPECT_EQ(ProgressLine::FormatLine("runs", 500, 0, 2000000), "runs  500  250/s");
}

TEST(ProgressFormatTest, LongLabelsAreCutToFit) {
  std::string line = ProgressLine::FormatLine(std::string(200, 'x'), 1, 2, 1000000);
  EXPECT_EQ(line.size(), ProgressLine::kMaxWidth);
  EXPECT_THAT(line, ::testing::EndsWith("ETA 1s"));
  // Cutting never splits a multi-byte character.
  std::string wide;
  for (int i = 0; i < 60; ++i) wide += "\xE2\x86\x92";
  line = ProgressLine::FormatLine(wide, 1, 2, 1000000);
  EXPECT_LE(line.size(), ProgressLine::kMaxWidth);
  EXPECT_EQ(line.find("  1/2") % 3, 0u);
}

TEST_F(ProgressLineTest, ThrottlesToFourHertz) {
  ProgressLine progress("sweep", 100, Sink(), Clock());
  progress.Update(1);  // The first update draws at once.
  for (int i = 2; i <= 10; ++i) {
    now_us += 20000;  // 50 Hz of updates for 180 ms: nothing more to draw.
    progress.Update(i);
  }
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0], "\rsweep  1/100  1.0%  --/s  ETA --\x1b[K");
  now_us += 70000;  // 250 ms since the first draw.
  progress.Advance();
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[1], "\rsweep  11/100  11.0%  44.0/s  ETA 2s\x1b[K");
}

TEST_F(ProgressLineTest, ClearAndFinishEraseTheLine) {
  {
    ProgressLine progress("check", 0, Sink(), Clock());
    progress.Clear();  // Nothing drawn yet: nothing to erase.
    EXPECT_TRUE(writes.empty());
    progress.Advance(3);
    progress.Clear();
    now_us += 1000;
    progress.Advance();  // Redraws at once after a Clear.
    progress.Finish();
    progress.Advance();  // Ignored after Finish.
  }                      // The destructor finds nothing left to erase.
  EXPECT_THAT(writes, ElementsAre("\rcheck  3  --/s\x1b[K", "\r\x1b[K",
                                  "\rcheck  4  4000/s\x1b[K", "\r\x1b[K"));
}

TEST_F(ProgressLineTest, DestructorErasesAnUnfinishedLine) {
  {
    ProgressLine progress("x", 5, Sink(), Clock());
    progress.Update(2);
  }
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes.back(), "\r\x1b[K");
}

TEST(ProgressStderrTest, DisabledWhenStderrIsNotATerminal) {
  // Under bazel test, stderr goes to a log file.
  ProgressLine progress("x", 5);
  EXPECT_FALSE(progress.enabled());
  progress.Update(1);
  progress.Finish();
}

}  // namespace
}  // namespace slotsim::tools
