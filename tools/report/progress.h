// ProgressLine: a one-line progress display on stderr for long sweeps and checks,
// e.g. "check  1234/20000  6.2%  85.3/s  ETA 3m40s".
//
// It draws only when stderr is a terminal (isatty), so logs and CI output stay
// clean, and at most every 250 ms (4 Hz) however often Update() is called. Each
// draw rewrites the line in place ("\r", the text, then "\x1b[K" to erase the
// rest); Finish() (or the destructor) erases it, leaving the terminal as it was.
// Rate is the average since construction; time left = remaining / rate.
//
// The clock (monotonic microseconds) and the output are injectable, so tests are
// deterministic; the default constructor uses std::chrono::steady_clock, which
// is fine here: tools/ is outside the simulation (sim/ and model/ never read a
// wall clock). Thread-safe: workers may call Advance() concurrently.
//
// Example:
//   ProgressLine progress("sweep", total_runs);
//   for (...) { RunOne(); progress.Advance(); }
//   progress.Finish();
//   std::cerr << "done\n";

#ifndef SLOTSIM_TOOLS_REPORT_PROGRESS_H_
#define SLOTSIM_TOOLS_REPORT_PROGRESS_H_

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace slotsim::tools {

class ProgressLine {
 public:
  using Clock = std::function<int64_t()>;  // monotonic microseconds
  using Sink = std::function<void(std::string_view)>;

  static constexpr int64_t kMinRedrawIntervalUs = 250000;
  static constexpr size_t kMaxWidth = 79;

  // Draws on stderr if it is a terminal, else does nothing. `total` <= 0 means
  // unknown (no percentage or ETA).
  ProgressLine(std::string label, int64_t total);
  // Always draws, to `sink`, timed by `clock`.
  ProgressLine(std::string label, int64_t total, Sink sink, Clock clock);
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine();

  bool enabled() const { return static_cast<bool>(sink_); }

  // Sets the number of items done / adds to it; redraws if due.
  void Update(int64_t done);
  void Advance(int64_t count = 1);
  // Erases the line (e.g. before printing a message); the next update redraws
  // at once.
  void Clear();
  // Erases the line for good; later updates draw nothing. Idempotent.
  void Finish();

  // The text of one progress line (no control characters), at most kMaxWidth
  // bytes; the label is shortened if needed.
  static std::string FormatLine(std::string_view label, int64_t done, int64_t total,
                                int64_t elapsed_us);
  // "42s", "3m17s", "2h05m".
  static std::string FormatDuration(int64_t seconds);

 private:
  void MaybeDrawLocked();
  void ClearLocked();

  std::mutex mutex_;
  const std::string label_;
  const int64_t total_;
  Sink sink_;
  Clock clock_;
  int64_t start_us_ = 0;
  int64_t last_draw_us_ = 0;
  int64_t done_ = 0;
  bool drawn_ = false;  // A line is on screen (if not, the next update draws).
  bool finished_ = false;
};

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_REPORT_PROGRESS_H_
