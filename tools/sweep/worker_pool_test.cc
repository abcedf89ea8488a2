#include "tools/sweep/worker_pool.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <map>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace slotsim::tools::sweep {
namespace {

std::map<int64_t, TaskResult> RunAll(const std::vector<int64_t>& tasks, int jobs, const TaskFn& fn,
                                  absl::Status* status = nullptr,
                                  const std::function<bool()>& stop = nullptr) {
  std::map<int64_t, TaskResult> out;
  const absl::Status st = RunTasks(
      tasks, jobs, fn,
      [&](int64_t t, const TaskResult& r) {
        EXPECT_EQ(out.count(t), 0u) << "task " << t << " reported twice";
        out[t] = r;
      },
      stop);
  if (status != nullptr) *status = st;
  return out;
}

TEST(WorkerPoolTest, EveryTaskRunsOnceInAWorkerAndResultsDoNotDependOnJobs) {
  const pid_t parent = getpid();
  const TaskFn fn = [parent](int64_t t) {
    return absl::StrCat(t * t, getpid() == parent ? " in parent" : "");
  };
  std::vector<int64_t> tasks;
  for (int64_t i = 0; i < 40; ++i) tasks.push_back(i);
  const auto one = RunAll(tasks, 1, fn);
  const auto three = RunAll(tasks, 3, fn);
  ASSERT_EQ(one.size(), 40u);
  for (int64_t i = 0; i < 40; ++i) {
    EXPECT_TRUE(one.at(i).ok);
    EXPECT_EQ(one.at(i).output, absl::StrCat(i * i)) << "ran in a worker process";
    EXPECT_EQ(three.at(i).output, one.at(i).output);
  }
}

TEST(WorkerPoolTest, ACrashedWorkerFailsOnlyItsTaskAndIsReplaced) {
  const TaskFn fn = [](int64_t t) -> std::string {
    if (t == 3) abort();
    if (t == 5) _exit(7);
    return std::string(100000, static_cast<char>('a' + t));  // larger than a pipe buffer
  };
  absl::Status st;
  const auto r = RunAll({0, 1, 2, 3, 4, 5, 6, 7}, 2, fn, &st);
  EXPECT_TRUE(st.ok()) << st;
  ASSERT_EQ(r.size(), 8u);
  EXPECT_FALSE(r.at(3).ok);
  EXPECT_NE(r.at(3).error.find("signal 6"), std::string::npos) << r.at(3).error;
  EXPECT_FALSE(r.at(5).ok);
  EXPECT_NE(r.at(5).error.find("status 7"), std::string::npos) << r.at(5).error;
  for (int64_t t : {0, 1, 2, 4, 6, 7}) {
    ASSERT_TRUE(r.at(t).ok) << t;
    EXPECT_EQ(r.at(t).output.size(), 100000u);
  }
}

TEST(WorkerPoolTest, StopCancelsAndKillsTheWorkers) {
  int finished = 0;
  std::vector<int64_t> tasks(100, 0);
  for (int64_t i = 0; i < 100; ++i) tasks[static_cast<size_t>(i)] = i;
  const absl::Status st = RunTasks(
      tasks, 2,
      [](int64_t t) {
        if (t >= 4) pause();  // would block forever
        return std::string("x");
      },
      [&](int64_t, const TaskResult&) { ++finished; }, [&] { return finished >= 4; });
  EXPECT_TRUE(absl::IsCancelled(st)) << st;
  EXPECT_EQ(finished, 4);
}

TEST(WorkerPoolTest, NoTasksIsDone) {
  EXPECT_TRUE(RunTasks({}, 4, [](int64_t) { return std::string(); },
                       [](int64_t, const TaskResult&) {})
                  .ok());
}

}  // namespace
}  // namespace slotsim::tools::sweep
