#include "sim/disk.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace slotsim::sim {
namespace {

class DiskTest : public ::testing::Test {
 protected:
  DiskTest() : disk_(sim_), p_(sim_.AddProcess("p")), q_(sim_.AddProcess("q")) {}
  Simulator sim_;
  Disk disk_;
  ProcessId p_;
  ProcessId q_;
};

TEST_F(DiskTest, ReadsReturnTheLastWritePerProcess) {
  EXPECT_EQ(disk_.Read(p_, "nodes.conf"), std::nullopt);
  disk_.Write(p_, "nodes.conf", "v1", /*fsync=*/false);
  disk_.Write(p_, "nodes.conf", "v2", /*fsync=*/false);
  disk_.Write(q_, "nodes.conf", "q1", /*fsync=*/true);
  EXPECT_EQ(disk_.Read(p_, "nodes.conf"), "v2");
  EXPECT_EQ(disk_.Read(q_, "nodes.conf"), "q1");
  EXPECT_EQ(disk_.Read(p_, "other"), std::nullopt);
  EXPECT_EQ(disk_.counters().writes, 3u);
  EXPECT_EQ(disk_.counters().synced_writes, 1u);
  EXPECT_EQ(disk_.counters().bytes_written, 6u);
}

TEST_F(DiskTest, ProcessCrashKeepsEveryCompletedWrite) {
  disk_.Write(p_, "a", "synced", true);
  disk_.Write(p_, "a", "cached", false);
  disk_.Write(p_, "b", "never-synced", false);
  sim_.Crash(p_, CrashKind::kProcess);
  sim_.Restart(p_);
  EXPECT_EQ(disk_.Read(p_, "a"), "cached");
  EXPECT_EQ(disk_.Read(p_, "b"), "never-synced");
  EXPECT_EQ(disk_.counters().keys_lost, 0u);
}

TEST_F(DiskTest, PowerLossLosesWritesSinceTheLastFsync) {
  disk_.Write(p_, "a", "synced", true);
  disk_.Write(p_, "a", "cached", false);
  disk_.Write(p_, "b", "never-synced", false);
  disk_.Write(p_, "c", "c0", false);
  disk_.Sync(p_, "c");
  disk_.Write(q_, "a", "other-process", false);
  sim_.Crash(p_, CrashKind::kPowerLoss);
  EXPECT_EQ(disk_.Read(p_, "a"), "synced");
  EXPECT_EQ(disk_.Read(p_, "b"), std::nullopt);
  EXPECT_EQ(disk_.Read(p_, "c"), "c0");
  EXPECT_EQ(disk_.Read(q_, "a"), "other-process");
  EXPECT_EQ(disk_.counters().keys_lost, 2u);
  sim_.Restart(p_);
  EXPECT_EQ(disk_.Keys(p_), (std::vector<std::string>{"a", "c"}));
}

TEST_F(DiskTest, ASyncedWriteSurvivesPowerLoss) {
  disk_.Write(p_, "a", "v1", false);
  disk_.Write(p_, "a", "v2", true);
  sim_.Crash(p_, CrashKind::kPowerLoss);
  EXPECT_EQ(disk_.Read(p_, "a"), "v2");
}

TEST_F(DiskTest, DiskLossIsTraced) {
  VectorTraceSink sink;
  sim_.set_trace_sink(&sink);
  disk_.Write(p_, "nodes.conf", "x", false);
  sim_.Crash(p_, CrashKind::kPowerLoss);
  ASSERT_EQ(sink.records().size(), 2u);
  EXPECT_EQ(sink.records()[1].ToString(), "0.000000s p0 disk.lost key=nodes.conf");
}

TEST_F(DiskTest, WriteByCrashedProcessFails) {
  sim_.Crash(p_, CrashKind::kProcess);
  EXPECT_DEATH(disk_.Write(p_, "a", "x", false), "crashed process");
}

}  // namespace
}  // namespace slotsim::sim
