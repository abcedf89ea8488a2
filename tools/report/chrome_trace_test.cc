#include "tools/report/chrome_trace.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/report/json.h"

namespace slotsim::tools {
namespace {

using ::testing::HasSubstr;

// The traceEvents array of a finished document, which must parse.
std::vector<Json> Events(const std::string& text) {
  absl::StatusOr<Json> doc = ParseJson(text);
  EXPECT_TRUE(doc.ok()) << doc.status() << "\n" << text;
  if (!doc.ok()) return {};
  EXPECT_EQ(doc->Find("displayTimeUnit")->as_string(), "ms");
  return doc->Find("traceEvents")->elements();
}

TEST(ChromeTraceTest, ExactSmallTrace) {
  std::string text;
  Json other = Json::Object();
  other.Set("seed", 42);
  ChromeTraceWriter trace(ChromeTraceWriter::StringSink(&text),
                          ChromeTraceWriter::Mode::kStreaming, other);
  int run = trace.AddProcess("seed 42");
  TrackId n1 = trace.AddTrack(run, "node n1");
  trace.Span(n1, "paused", "fault", 1000000, 250000);
  trace.Instant(n1, "PFAIL n2", "fd", 1800000);
  trace.Finish();
  EXPECT_EQ(
      text,
      "{\"displayTimeUnit\":\"ms\",\"otherData\":{\"seed\":42},\"traceEvents\":[\n"
      "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":{\"name\":\"seed "
      "42\"}},\n"
      "{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":1,\"args\":{\"sort_index\":"
      "1}},\n"
      "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":"
      "\"node "
      "n1\"}},\n"
      "{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"sort_"
      "index\":0}},\n"
      "{\"name\":\"paused\",\"cat\":\"fault\",\"ph\":\"X\",\"ts\":1000000,\"dur\":250000,"
      "\"pid\":1,\"tid\":1},\n"
      "{\"name\":\"PFAIL "
      "n2\",\"cat\":\"fd\",\"ph\":\"i\",\"s\":\"t\",\"ts\":1800000,\"pid\":1,"
      "\"tid\":1}\n"
      "]}\n");
  EXPECT_EQ(trace.event_count(), 6u);
}

TEST(ChromeTraceTest, StreamsEventsBeforeFinish) {
  std::vector<std::string> pieces;
  ChromeTraceWriter trace([&](std::string_view piece) { pieces.emplace_back(piece); });
  EXPECT_EQ(pieces.size(), 1u);  // The header.
  int run = trace.AddProcess("run");
  TrackId net = trace.AddTrack(run, "network");
  const size_t before = pieces.size();
  trace.Instant(net, "partition", "fault", 5);
  EXPECT_GT(pieces.size(), before);
  EXPECT_THAT(pieces.back(), HasSubstr("\"partition\""));
  EXPECT_FALSE(trace.finished());
  trace.Finish();
  EXPECT_TRUE(trace.finished());
}

TEST(ChromeTraceTest, TracksAreUniqueAndOrderedPerProcess) {
  std::string text;
  ChromeTraceWriter trace(ChromeTraceWriter::StringSink(&text));
  int a = trace.AddProcess("run a");
  int b = trace.AddProcess("run b");
  TrackId a1 = trace.AddTrack(a, "n1");
  TrackId b1 = trace.AddTrack(b, "n1");
  TrackId a2 = trace.AddTrack(a, "n2");
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 2);
  EXPECT_EQ(a1.tid, 1);
  EXPECT_EQ(b1.tid, 2);
  EXPECT_EQ(a2.tid, 3);
  trace.Finish();
  int sort_index_of_a2 = -1;
  for (const Json& event : Events(text)) {
    if (event.Find("name")->as_string() == "thread_sort_index" &&
        event.Find("tid")->as_int() == a2.tid) {
      sort_index_of_a2 =
          static_cast<int>(event.Find("args")->Find("sort_index")->as_int());
    }
  }
  EXPECT_EQ(sort_index_of_a2, 1);  // Second track of process a.
}

TEST(ChromeTraceTest, WholeFileSortsByTimeAfterMetadata) {
  std::string text;
  ChromeTraceWriter trace(ChromeTraceWriter::StringSink(&text),
                          ChromeTraceWriter::Mode::kWholeFile);
  int run = trace.AddProcess("run");
  TrackId n1 = trace.AddTrack(run, "n1");
  trace.Span(n1, "downtime", "fault", 300, 100);
  trace.Instant(n1, "FAIL", "fd", 100);
  TrackId n2 = trace.AddTrack(run, "n2");  // Metadata after events still goes first.
  trace.Instant(n2, "vote", "election", 200);
  trace.Instant(n2, "tie-second", "election", 100);
  Json values = Json::Object();
  values.Set("masters", 3);
  trace.Counter(run, "cluster", 0, values);
  EXPECT_TRUE(text.empty());  // Nothing before Finish().
  trace.Finish();
  std::vector<Json> events = Events(text);
  ASSERT_EQ(events.size(), 6u + 5u);  // 2 process + 2 x 2 track metadata; 5 events.
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(events[i].Find("ph")->as_string(), "M");
  std::vector<std::string> order;
  for (size_t i = 6; i < events.size(); ++i) {
    order.push_back(events[i].Find("name")->as_string());
  }
  EXPECT_THAT(
      order, ::testing::ElementsAre("cluster", "FAIL", "tie-second", "vote", "downtime"));
}

TEST(ChromeTraceTest, ArgsAndEscaping) {
  std::string text;
  ChromeTraceWriter trace(ChromeTraceWriter::StringSink(&text));
  TrackId n = trace.AddTrack(trace.AddProcess("run \"1\""), "node\tx");
  Json args = Json::Object();
  args.Set("epoch", 7).Set("from", "n3");
  trace.Instant(n, "vote\n", "election", 9, args);
  trace.Instant(n, "bad\xFF", "c\x01", 10);
  trace.Finish();
  std::vector<Json> events = Events(text);
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[0].Find("args")->Find("name")->as_string(), "run \"1\"");
  EXPECT_EQ(events[2].Find("args")->Find("name")->as_string(), "node x");
  EXPECT_EQ(events[4].Find("name")->as_string(), "vote ");
  EXPECT_EQ(events[4].Find("args")->Find("epoch")->as_int(), 7);
  EXPECT_EQ(events.back().Find("name")->as_string(), "bad\xEF\xBF\xBD");
  EXPECT_EQ(events.back().Find("cat")->as_string(), "c ");
  EXPECT_EQ(text.find("\\u"), std::string::npos);  // No \u escapes anywhere.
}

TEST(ChromeTraceTest, EmptyTraceIsValid) {
  std::string text;
  ChromeTraceWriter trace(ChromeTraceWriter::StringSink(&text));
  trace.Finish();
  EXPECT_TRUE(Events(text).empty());
  EXPECT_THAT(text, HasSubstr("\"traceEvents\":["));
}

TEST(ChromeTraceTest, ProgrammerErrors) {
  std::string text;
  ChromeTraceWriter trace(ChromeTraceWriter::StringSink(&text));
  int run = trace.AddProcess("run");
  TrackId n = trace.AddTrack(run, "n");
  EXPECT_DEATH(trace.Span(n, "s", "c", 10, -1), "span s");
  EXPECT_DEATH(trace.AddTrack(7, "x"), "unknown pid 7");
  EXPECT_DEATH(trace.Instant(TrackId{1, 9}, "x", "c", 0), "unknown tid 9");
  trace.Finish();
  EXPECT_DEATH(trace.Instant(n, "late", "c", 0), "event after Finish");
}

}  // namespace
}  // namespace slotsim::tools
