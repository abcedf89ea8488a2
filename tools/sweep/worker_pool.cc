#include "tools/sweep/worker_pool.h"

#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <optional>

#include "absl/strings/str_cat.h"
#include "sim/check.h"

namespace slotsim::tools::sweep {
namespace {

struct Worker {
  pid_t pid = -1;
  int to_child = -1;    // parent writes task ids
  int from_child = -1;  // parent reads results
  std::optional<int64_t> task;
};

bool WriteAll(int fd, const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Reads exactly n bytes; false on EOF or error.
bool ReadAll(int fd, void* data, size_t n) {
  char* p = static_cast<char*>(data);
  while (n > 0) {
    const ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

[[noreturn]] void WorkerLoop(int in, int out, const TaskFn& fn) {
  signal(SIGINT, SIG_IGN);
  for (;;) {
    int64_t task = -1;
    if (!ReadAll(in, &task, sizeof task) || task < 0) _exit(0);
    const std::string output = fn(task);
    const int64_t header[2] = {task, static_cast<int64_t>(output.size())};
    if (!WriteAll(out, header, sizeof header) || !WriteAll(out, output.data(), output.size())) {
      _exit(1);
    }
  }
}

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

std::string DescribeExit(int status) {
  if (WIFSIGNALED(status)) {
    return absl::StrCat("worker killed by signal ", WTERMSIG(status), " (",
                        strsignal(WTERMSIG(status)), ")");
  }
  if (WIFEXITED(status)) return absl::StrCat("worker exited with status ", WEXITSTATUS(status));
  return "worker ended";
}

class Pool {
 public:
  Pool(int jobs, const TaskFn& fn) : workers_(static_cast<size_t>(jobs)), fn_(fn) {}
  ~Pool() { KillAll(); }

  absl::Status Start(Worker& w) {
    int to[2], from[2];
    if (pipe(to) != 0) return absl::InternalError(absl::StrCat("pipe: ", strerror(errno)));
    if (pipe(from) != 0) {
      close(to[0]);
      close(to[1]);
      return absl::InternalError(absl::StrCat("pipe: ", strerror(errno)));
    }
    const pid_t pid = fork();
    if (pid < 0) {
      for (int fd : {to[0], to[1], from[0], from[1]}) close(fd);
      return absl::InternalError(absl::StrCat("fork: ", strerror(errno)));
    }
    if (pid == 0) {
      close(to[1]);
      close(from[0]);
      for (Worker& other : workers_) {  // other workers' pipe ends
        if (other.to_child >= 0) close(other.to_child);
        if (other.from_child >= 0) close(other.from_child);
      }
      WorkerLoop(to[0], from[1], fn_);
    }
    close(to[0]);
    close(from[1]);
    w.pid = pid;
    w.to_child = to[1];
    w.from_child = from[0];
    w.task.reset();
    return absl::OkStatus();
  }

  // Sends the worker its next task, if any; false if the worker is gone.
  bool Feed(Worker& w, std::deque<int64_t>& queue) {
    if (queue.empty()) return true;
    const int64_t task = queue.front();
    if (!WriteAll(w.to_child, &task, sizeof task)) return false;
    queue.pop_front();
    w.task = task;
    return true;
  }

  // Reaps a dead worker; returns why it died.
  std::string Reap(Worker& w) {
    CloseFd(&w.to_child);
    CloseFd(&w.from_child);
    int status = 0;
    std::string why = "worker ended";
    if (w.pid > 0 && waitpid(w.pid, &status, 0) == w.pid) why = DescribeExit(status);
    w.pid = -1;
    return why;
  }

  void KillAll() {
    for (Worker& w : workers_) {
      if (w.pid > 0) kill(w.pid, SIGKILL);
      Reap(w);
    }
  }

  void StopAll() {
    for (Worker& w : workers_) {
      if (w.pid <= 0) continue;
      const int64_t quit = -1;
      WriteAll(w.to_child, &quit, sizeof quit);
      Reap(w);
    }
  }

  std::vector<Worker>& workers() { return workers_; }

 private:
  std::vector<Worker> workers_;
  const TaskFn& fn_;
};

}  // namespace

absl::Status RunTasks(const std::vector<int64_t>& tasks, int jobs, const TaskFn& fn,
                      const DoneFn& done, const std::function<bool()>& stop) {
  CHECK_GE(jobs, 1);
  if (tasks.empty()) return absl::OkStatus();
  struct SigpipeGuard {
    struct sigaction old {};
    SigpipeGuard() {
      struct sigaction ign {};
      ign.sa_handler = SIG_IGN;
      sigaction(SIGPIPE, &ign, &old);
    }
    ~SigpipeGuard() { sigaction(SIGPIPE, &old, nullptr); }
  } sigpipe_guard;

  std::deque<int64_t> queue(tasks.begin(), tasks.end());
  const size_t n = std::min(static_cast<size_t>(jobs), tasks.size());
  Pool pool(static_cast<int>(n), fn);
  size_t remaining = tasks.size();
  std::fflush(nullptr);  // nothing buffered is written twice by a worker
  for (Worker& w : pool.workers()) {
    if (absl::Status st = pool.Start(w); !st.ok()) return st;
  }

  auto fail_task = [&](Worker& w, const std::string& why) {
    const std::optional<int64_t> lost = w.task;
    w.task.reset();
    if (lost.has_value()) {
      TaskResult r;
      r.ok = false;
      r.error = why;
      --remaining;
      done(*lost, r);
    }
  };

  while (remaining > 0) {
    if (stop && stop()) {
      pool.KillAll();
      return absl::CancelledError("stopped");
    }
    // Give idle workers work; restart dead ones while work is left.
    for (Worker& w : pool.workers()) {
      if (w.task.has_value() || queue.empty()) continue;
      if (w.pid <= 0) {
        if (absl::Status st = pool.Start(w); !st.ok()) return st;
      }
      if (!pool.Feed(w, queue)) fail_task(w, pool.Reap(w));
    }
    std::vector<pollfd> fds;
    std::vector<Worker*> busy;
    for (Worker& w : pool.workers()) {
      if (!w.task.has_value()) continue;
      fds.push_back(pollfd{w.from_child, POLLIN, 0});
      busy.push_back(&w);
    }
    if (fds.empty()) continue;
    const int ready = poll(fds.data(), fds.size(), 200);
    if (ready < 0 && errno != EINTR) {
      return absl::InternalError(absl::StrCat("poll: ", strerror(errno)));
    }
    if (ready <= 0) continue;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      Worker& w = *busy[i];
      int64_t header[2] = {0, 0};
      std::string output;
      bool ok = ReadAll(w.from_child, header, sizeof header) && header[0] == *w.task &&
                header[1] >= 0;
      if (ok) {
        output.resize(static_cast<size_t>(header[1]));
        ok = ReadAll(w.from_child, output.data(), output.size());
      }
      if (!ok) {
        fail_task(w, pool.Reap(w));
        continue;
      }
      const int64_t task = *w.task;
      w.task.reset();
      --remaining;
      TaskResult r;
      r.output = std::move(output);
      done(task, r);
    }
  }
  pool.StopAll();
  return absl::OkStatus();
}

}  // namespace slotsim::tools::sweep
