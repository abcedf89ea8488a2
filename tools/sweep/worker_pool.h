// RunTasks: runs tasks in forked worker processes, one task at a time per
// worker, and hands each task's output to the parent as it arrives.
//
// Why processes: a run is single-threaded and CPU-bound, and a worker that
// crashes (a CHECK in the model on some odd parameter) loses only its current
// task, which is reported as failed; the pool forks a replacement and goes on.
// Workers are forked from the caller, so they share everything the caller
// built (the loaded scenarios) copy-on-write.
//
// Order: tasks are handed out in the given order to whichever worker is idle,
// so completion order varies with timing; callers that need determinism key
// results by task id (the sweep sorts rows by run index).
//
// Protocol: the parent writes a task id (8 bytes) to a worker's pipe; the
// worker answers on its own pipe with the id, the output's length (8 bytes
// each) and the output. Workers end with _exit, never running the parent's
// destructors or atexit handlers, and ignore SIGINT (the parent decides what
// an interrupt means). SIGPIPE is ignored while the pool runs.
//
// Stopping: `stop` is polled at least every 200 ms; when it returns true the
// workers are killed, their unfinished tasks dropped, and Cancelled returned.

#ifndef SLOTSIM_TOOLS_SWEEP_WORKER_POOL_H_
#define SLOTSIM_TOOLS_SWEEP_WORKER_POOL_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace slotsim::tools::sweep {

struct TaskResult {
  bool ok = true;
  std::string output;  // what the task returned (ok)
  std::string error;   // why the worker died (not ok), e.g. "killed by signal 6"
};

// Runs in a worker.
using TaskFn = std::function<std::string(int64_t task)>;
// Runs in the parent, once per task, in completion order.
using DoneFn = std::function<void(int64_t task, const TaskResult& result)>;

// REQUIRES: jobs >= 1. Returns OK when every task is done, Cancelled if `stop`
// asked to stop, Internal if processes or pipes could not be made.
absl::Status RunTasks(const std::vector<int64_t>& tasks, int jobs, const TaskFn& fn,
                      const DoneFn& done, const std::function<bool()>& stop = nullptr);

}  // namespace slotsim::tools::sweep

#endif  // SLOTSIM_TOOLS_SWEEP_WORKER_POOL_H_
