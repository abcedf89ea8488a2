// ChromeTraceWriter: writes the Chrome trace event format (JSON object form) that
// ui.perfetto.dev and chrome://tracing open.
//
// Layout of a slotsim trace: one process per run (AddProcess), one track per
// simulated node plus tracks for the network and faults (AddTrack). Each track
// is a "thread" with thread_name and thread_sort_index metadata, so tracks show
// with their names in creation order. Spans (partitions, pauses, elections,
// crash-to-restart downtime) are complete events ("ph":"X"); point events
// (PFAIL, FAIL, vote, promotion) are thread-scoped instant events ("ph":"i");
// counters ("ph":"C") plot numbers over time per process.
//
// Times are simulated microseconds (the format's unit), so "ts" and "dur" are
// integers and the output is exact; displayTimeUnit is "ms". Thread ids are
// unique across the whole trace (Perfetto keys threads by tid).
//
// Text: event, category, process and track names are written as UTF-8 with
// invalid bytes replaced by U+FFFD and control characters by spaces, so they
// need no \u escapes: Perfetto's JSON tokenizer scans the keys of each event up
// to "ts" itself and rejects \u escapes there. Keys come in the order name,
// cat, ph, ts, ..., args; values inside args are passed through unchanged.
//
// Modes:
//  - kStreaming: the header goes to the sink at construction and each event as
//    soon as it is added, so memory stays flat on long runs. Events appear in
//    call order (viewers sort by time themselves).
//  - kWholeFile: events are kept until Finish(), then written with metadata
//    first and the rest stably sorted by timestamp: a tidy file for diffing.
// Finish() writes the closing brackets; a writer destroyed without Finish()
// has written an incomplete document (pair it with AtomicFileWriter, which then
// discards the file). Output is a pure function of the calls made.
//
// Example:
//   std::string text;
//   ChromeTraceWriter trace(ChromeTraceWriter::StringSink(&text));
//   int run = trace.AddProcess("seed 42");
//   TrackId n1 = trace.AddTrack(run, "node n1");
//   trace.Span(n1, "paused", "fault", 1'000'000, 250'000);
//   trace.Instant(n1, "PFAIL n2", "failure-detection", 1'800'000);
//   trace.Finish();

#ifndef SLOTSIM_TOOLS_REPORT_CHROME_TRACE_H_
#define SLOTSIM_TOOLS_REPORT_CHROME_TRACE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tools/report/json.h"

namespace slotsim::tools {

struct TrackId {
  int pid = 0;
  int tid = 0;
};

class ChromeTraceWriter {
 public:
  // Receives the document text in order, in pieces.
  using Sink = std::function<void(std::string_view)>;
  enum class Mode { kStreaming, kWholeFile };

  // `other_data` (a JSON object, e.g. seed and build) goes to "otherData", which
  // Perfetto shows as trace metadata.
  explicit ChromeTraceWriter(Sink sink, Mode mode = Mode::kStreaming,
                             Json other_data = Json::Object());
  ChromeTraceWriter(const ChromeTraceWriter&) = delete;
  ChromeTraceWriter& operator=(const ChromeTraceWriter&) = delete;

  // A sink appending to *out (which must outlive the writer).
  static Sink StringSink(std::string* out);

  // A new process; pids count from 1 in call order.
  int AddProcess(std::string_view name);
  // A new track in process `pid` (REQUIRES: pid from AddProcess).
  TrackId AddTrack(int pid, std::string_view name);

  // A complete event [start_us, start_us + duration_us]. REQUIRES: duration_us >= 0.
  // `args` is null or an object shown in the viewer's details pane.
  void Span(TrackId track, std::string_view name, std::string_view category,
            int64_t start_us, int64_t duration_us, const Json& args = Json());
  // A thread-scoped instant event.
  void Instant(TrackId track, std::string_view name, std::string_view category,
               int64_t ts_us, const Json& args = Json());
  // A counter sample: `values` is an object of series name -> number.
  void Counter(int pid, std::string_view name, int64_t ts_us, const Json& values);

  // Closes the document. REQUIRES: not finished yet.
  void Finish();
  bool finished() const { return finished_; }
  // Events added so far, metadata included.
  size_t event_count() const { return event_count_; }

 private:
  struct Pending {
    int64_t ts_us;
    std::string text;
  };

  std::string HeaderText() const;
  void CheckTrack(TrackId track) const;
  void Emit(bool is_metadata, int64_t ts_us, const Json& event);
  void WriteEvent(const std::string& text);
  static Json Metadata(std::string_view what, int pid, int tid, std::string_view key,
                       Json value);

  Sink sink_;
  Mode mode_;
  Json other_data_;
  bool finished_ = false;
  bool first_event_ = true;
  size_t event_count_ = 0;
  int processes_ = 0;
  int next_tid_ = 1;
  std::vector<int> tracks_per_process_;           // index pid - 1
  std::vector<std::pair<int, int>> track_owner_;  // index tid - 1: (pid, sort index)
  std::vector<std::string> pending_metadata_;
  std::vector<Pending> pending_events_;
};

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_REPORT_CHROME_TRACE_H_
