#include "sim/trace.h"

#include "gtest/gtest.h"

namespace slotsim::sim {
namespace {

TEST(TraceHashTest, AbsorbEventIsTheDocumentedWordSequence) {
  TraceHash th;
  th.AbsorbEvent(Time::FromMicros(1500), ProcessId(2), EventTag{7, 11, 13});
  th.AbsorbEvent(Time::FromMicros(1600), ProcessId(), EventTag{8, 0, 1});
  Hasher expected;
  expected.AddI64(1500).AddU64((uint64_t{3} << 32) | 7).AddU64(11).AddU64(13);
  expected.AddI64(1600).AddU64(8).AddU64(0).AddU64(1);
  EXPECT_EQ(th.value(), expected.digest());
}

TEST(TraceHashTest, EveryFieldMatters) {
  auto hash_of = [](Time t, ProcessId p, EventTag tag) {
    TraceHash th;
    th.AbsorbEvent(t, p, tag);
    return th.value();
  };
  const uint64_t base = hash_of(Time::FromMicros(1), ProcessId(0), {1, 2, 3});
  EXPECT_NE(base, hash_of(Time::FromMicros(2), ProcessId(0), {1, 2, 3}));
  EXPECT_NE(base, hash_of(Time::FromMicros(1), ProcessId(1), {1, 2, 3}));
  EXPECT_NE(base, hash_of(Time::FromMicros(1), ProcessId(), {1, 2, 3}));
  EXPECT_NE(base, hash_of(Time::FromMicros(1), ProcessId(0), {9, 2, 3}));
  EXPECT_NE(base, hash_of(Time::FromMicros(1), ProcessId(0), {1, 9, 3}));
  EXPECT_NE(base, hash_of(Time::FromMicros(1), ProcessId(0), {1, 2, 9}));
  TraceHash extra;
  extra.AbsorbEvent(Time::FromMicros(1), ProcessId(0), {1, 2, 3});
  extra.AbsorbWord(0);
  EXPECT_NE(base, extra.value());
}

TEST(TraceRecordTest, FormatsFieldsCanonically) {
  TraceRecord r{Time::FromMicros(1234567),
                ProcessId(3),
                "net.deliver",
                {TraceField("conn", uint64_t{42}), TraceField("bytes", -5),
                 TraceField("at", Time::FromMillis(2)), TraceField("why", "x y")}};
  EXPECT_EQ(r.ToString(),
            "1.234567s p3 net.deliver conn=42 bytes=-5 at=0.002000s why=x y");
  EXPECT_EQ(r.Field("bytes"), "-5");
  EXPECT_EQ(r.Field("missing"), "");
  TraceRecord kernel{Time(), ProcessId(), "net.heal", {}};
  EXPECT_EQ(kernel.ToString(), "0.000000s - net.heal");
}

TEST(VectorTraceSinkTest, KeepsRecordsInOrder) {
  VectorTraceSink sink;
  TraceSink& as_sink = sink;
  as_sink.Emit(TraceRecord{Time(), ProcessId(0), "a", {}});
  as_sink.Emit(TraceRecord{Time(), ProcessId(1), "b", {}});
  ASSERT_EQ(sink.records().size(), 2u);
  EXPECT_EQ(sink.records()[0].kind, "a");
  EXPECT_EQ(sink.records()[1].kind, "b");
  sink.Clear();
  EXPECT_TRUE(sink.records().empty());
}

}  // namespace
}  // namespace slotsim::sim
