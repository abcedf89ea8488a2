#include "tools/report/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim/check.h"
#include "tools/report/number_format.h"
#include "tools/report/utf8.h"

namespace slotsim::tools {
namespace {

constexpr char kEraseToEnd[] = "\x1b[K";

int64_t SteadyMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void WriteStderr(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

// The first code points of `text` that fit in `max_bytes`.
std::string CutUtf8(std::string_view text, size_t max_bytes) {
  const std::string clean = SanitizeUtf8(text);
  size_t end = 0;
  while (end < clean.size()) {
    const size_t next = end + Utf8SequenceLength(clean, end);
    if (next > max_bytes) break;
    end = next;
  }
  return clean.substr(0, end);
}

}  // namespace

ProgressLine::ProgressLine(std::string label, int64_t total)
    : ProgressLine(std::move(label), total,
                   isatty(STDERR_FILENO) ? Sink(WriteStderr) : Sink(), SteadyMicros) {}

ProgressLine::ProgressLine(std::string label, int64_t total, Sink sink, Clock clock)
    : label_(std::move(label)),
      total_(total),
      sink_(std::move(sink)),
      clock_(std::move(clock)) {
  CHECK(clock_ != nullptr);
  start_us_ = clock_();
}

ProgressLine::~ProgressLine() { Finish(); }

std::string ProgressLine::FormatDuration(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 60) return absl::StrCat(seconds, "s");
  if (seconds < 3600) return absl::StrFormat("%dm%02ds", seconds / 60, seconds % 60);
  return absl::StrFormat("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
}

std::string ProgressLine::FormatLine(std::string_view label, int64_t done, int64_t total,
                                     int64_t elapsed_us) {
  std::string counts = total > 0 ? absl::StrCat(done, "/", total) : absl::StrCat(done);
  if (total > 0) {
    const double percent = 100.0 * static_cast<double>(done) / static_cast<double>(total);
    absl::StrAppend(&counts, "  ", FormatFixed(percent, 1), "%");
  }
  std::string rate_text = "--/s";
  std::string eta = total > 0 ? "ETA --" : "";
  if (done > 0 && elapsed_us > 0) {
    const double rate = static_cast<double>(done) * 1e6 / static_cast<double>(elapsed_us);
    rate_text = FormatFixed(rate, rate >= 100 ? 0 : 1) + "/s";
    if (total > 0) {
      const double left_s = static_cast<double>(total - done) / rate;
      eta = "ETA " + FormatDuration(static_cast<int64_t>(left_s + 0.5));
    }
  }
  std::string tail = absl::StrCat("  ", counts, "  ", rate_text);
  if (!eta.empty()) absl::StrAppend(&tail, "  ", eta);
  const size_t room = tail.size() < kMaxWidth ? kMaxWidth - tail.size() : 0;
  return CutUtf8(label, room) + tail;
}

void ProgressLine::Update(int64_t done) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_ = done;
  MaybeDrawLocked();
}

void ProgressLine::Advance(int64_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_ += count;
  MaybeDrawLocked();
}

void ProgressLine::MaybeDrawLocked() {
  if (!sink_ || finished_) return;
  const int64_t now = clock_();
  if (drawn_ && now - last_draw_us_ < kMinRedrawIntervalUs) return;
  sink_(absl::StrCat("\r", FormatLine(label_, done_, total_, now - start_us_),
                     kEraseToEnd));
  last_draw_us_ = now;
  drawn_ = true;
}

void ProgressLine::ClearLocked() {
  if (!sink_ || !drawn_) return;
  sink_(absl::StrCat("\r", kEraseToEnd));
  drawn_ = false;
}

void ProgressLine::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  ClearLocked();
}

void ProgressLine::Finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  ClearLocked();
  finished_ = true;
}

}  // namespace slotsim::tools
