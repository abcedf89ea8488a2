#include "tools/report/atomic_file.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace slotsim::tools {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A fresh, empty directory per test under TEST_TMPDIR.
class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* base = std::getenv("TEST_TMPDIR");
    dir_ = std::string(base != nullptr ? base : "/tmp") + "/" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    ASSERT_EQ(mkdir(dir_.c_str(), 0755), 0) << dir_;
  }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  // Names in the directory, sorted.
  std::vector<std::string> Files() const {
    std::vector<std::string> names;
    DIR* dir = opendir(dir_.c_str());
    while (dirent* entry = readdir(dir)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
  }

  std::string Read(const std::string& name) const {
    absl::StatusOr<std::string> contents = ReadFileToString(Path(name));
    return contents.ok() ? *contents : "<" + contents.status().ToString() + ">";
  }

  std::string dir_;
};

TEST_F(AtomicFileTest, WriteFileAtomicallyReplacesAndLeavesNoTemp) {
  ASSERT_TRUE(WriteFileAtomically(Path("summary.json"), "{\"v\":1}\n").ok());
  EXPECT_EQ(Read("summary.json"), "{\"v\":1}\n");
  ASSERT_TRUE(WriteFileAtomically(Path("summary.json"), "{}").ok());
  EXPECT_EQ(Read("summary.json"), "{}");
  EXPECT_THAT(Files(), ElementsAre("summary.json"));
  struct stat info;
  ASSERT_EQ(stat(Path("summary.json").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);
}

TEST_F(AtomicFileTest, NothingVisibleUntilClose) {
  ASSERT_TRUE(WriteFileAtomically(Path("runs.csv"), "old\n").ok());
  absl::StatusOr<AtomicFileWriter> out = AtomicFileWriter::Open(Path("runs.csv"));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_TRUE(out->AppendLine("seed,ms").ok());
  ASSERT_TRUE(out->AppendLine(std::string(200000, 'x')).ok());  // Forces a flush.
  EXPECT_EQ(Read("runs.csv"), "old\n");
  EXPECT_EQ(Files().size(), 2u);  // The target and the temporary beside it.
  EXPECT_THAT(out->temp_path(), HasSubstr("/.runs.csv.tmp."));
  EXPECT_EQ(out->size(), 8u + 200001u);
  ASSERT_TRUE(out->Close().ok());
  EXPECT_EQ(Read("runs.csv"), "seed,ms\n" + std::string(200000, 'x') + "\n");
  EXPECT_THAT(Files(), ElementsAre("runs.csv"));
}

TEST_F(AtomicFileTest, DestroyWithoutCloseRemovesTheTemporary) {
  {
    absl::StatusOr<AtomicFileWriter> out = AtomicFileWriter::Open(Path("events.jsonl"));
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE(out->AppendLine("{\"half\":").ok());
    AtomicFileWriter moved = std::move(*out);  // Ownership moves; one cleanup.
    ASSERT_TRUE(moved.Append("more").ok());
  }
  EXPECT_TRUE(Files().empty());
}

TEST_F(AtomicFileTest, AppendModeKeepsExistingContents) {
  absl::StatusOr<AtomicFileWriter> fresh =
      AtomicFileWriter::Open(Path("runs.csv"), AtomicFileWriter::Mode::kAppend);
  ASSERT_TRUE(fresh.ok());  // A missing file is an empty start.
  ASSERT_TRUE(fresh->AppendLine("seed").ok());
  ASSERT_TRUE(fresh->Close().ok());
  absl::StatusOr<AtomicFileWriter> more =
      AtomicFileWriter::Open(Path("runs.csv"), AtomicFileWriter::Mode::kAppend);
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more->size(), 5u);
  ASSERT_TRUE(more->AppendLine("1").ok());
  ASSERT_TRUE(more->Close().ok());
  EXPECT_EQ(Read("runs.csv"), "seed\n1\n");
}

TEST_F(AtomicFileTest, CheckpointPublishesAPrefix) {
  {
    absl::StatusOr<AtomicFileWriter> out = AtomicFileWriter::Open(Path("runs.csv"));
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE(out->AppendLine("seed").ok());
    ASSERT_TRUE(out->AppendLine("1").ok());
    ASSERT_TRUE(out->Checkpoint().ok());
    EXPECT_EQ(Read("runs.csv"), "seed\n1\n");
    ASSERT_TRUE(out->AppendLine("2").ok());
    ASSERT_TRUE(out->Checkpoint().ok());
    ASSERT_TRUE(out->Append("3,partial").ok());
    // Killed here: destroyed without Close.
  }
  EXPECT_EQ(Read("runs.csv"), "seed\n1\n2\n");
  EXPECT_THAT(Files(), ElementsAre("runs.csv"));
}

TEST_F(AtomicFileTest, ErrorsNameThePath) {
  const std::string missing = Path("no/such/dir/out.json");
  absl::Status status = WriteFileAtomically(missing, "x");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr(missing));
  absl::StatusOr<std::string> read = ReadFileToString(Path("absent"));
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(read.status().message(), HasSubstr("open " + Path("absent")));
  // A directory where the file should go: rename fails, the temporary goes away.
  ASSERT_EQ(mkdir(Path("taken").c_str(), 0755), 0);
  status = WriteFileAtomically(Path("taken"), "x");
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("rename to " + Path("taken")));
  EXPECT_THAT(Files(), ElementsAre("taken"));
}

TEST_F(AtomicFileTest, UseAfterCloseIsAProgrammerError) {
  absl::StatusOr<AtomicFileWriter> out = AtomicFileWriter::Open(Path("a"));
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(out->Close().ok());
  EXPECT_DEATH(out->Append("x").IgnoreError(), "Append after Close");
}

}  // namespace
}  // namespace slotsim::tools
