#include "tools/report/chrome_trace.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "sim/check.h"
#include "tools/report/json.h"
#include "tools/report/utf8.h"

namespace slotsim::tools {
namespace {

// Names and categories as plain UTF-8 without control characters, so the JSON
// holds no \u escapes (see the file comment in the header).
std::string TraceText(std::string_view text) {
  std::string clean = SanitizeUtf8(text);
  for (char& c : clean) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return clean;
}

}  // namespace

ChromeTraceWriter::ChromeTraceWriter(Sink sink, Mode mode, Json other_data)
    : sink_(std::move(sink)), mode_(mode), other_data_(std::move(other_data)) {
  CHECK(sink_ != nullptr);
  CHECK(other_data_.is_object());
  // Streaming writes the header now, so the first event can follow at once.
  if (mode_ == Mode::kStreaming) sink_(HeaderText());
}

// {"displayTimeUnit":"ms","otherData":{...},"traceEvents":[ -- the events array
// comes last so that it can be streamed.
std::string ChromeTraceWriter::HeaderText() const {
  Json header = Json::Object();
  header.Set("displayTimeUnit", "ms").Set("otherData", other_data_);
  std::string text = header.Dump();
  text.pop_back();  // Reopen the object.
  text.append(",\"traceEvents\":[");
  return text;
}

ChromeTraceWriter::Sink ChromeTraceWriter::StringSink(std::string* out) {
  CHECK(out != nullptr);
  return [out](std::string_view piece) { out->append(piece); };
}

Json ChromeTraceWriter::Metadata(std::string_view what, int pid, int tid,
                                 std::string_view key, Json value) {
  Json args = Json::Object();
  args.Set(key, std::move(value));
  Json event = Json::Object();
  event.Set("name", what).Set("ph", "M").Set("pid", pid);
  if (tid > 0) event.Set("tid", tid);
  event.Set("args", std::move(args));
  return event;
}

int ChromeTraceWriter::AddProcess(std::string_view name) {
  const int pid = ++processes_;
  tracks_per_process_.push_back(0);
  Emit(true, 0, Metadata("process_name", pid, 0, "name", TraceText(name)));
  Emit(true, 0, Metadata("process_sort_index", pid, 0, "sort_index", pid));
  return pid;
}

TrackId ChromeTraceWriter::AddTrack(int pid, std::string_view name) {
  CHECK(pid >= 1 && pid <= processes_) << "unknown pid " << pid;
  const int tid = next_tid_++;
  const int sort_index = tracks_per_process_[pid - 1]++;
  track_owner_.emplace_back(pid, sort_index);
  Emit(true, 0, Metadata("thread_name", pid, tid, "name", TraceText(name)));
  Emit(true, 0, Metadata("thread_sort_index", pid, tid, "sort_index", sort_index));
  return TrackId{pid, tid};
}

void ChromeTraceWriter::CheckTrack(TrackId track) const {
  CHECK(track.tid >= 1 && track.tid < next_tid_) << "unknown tid " << track.tid;
  CHECK_EQ(track_owner_[track.tid - 1].first, track.pid);
}

void ChromeTraceWriter::Span(TrackId track, std::string_view name,
                             std::string_view category, int64_t start_us,
                             int64_t duration_us, const Json& args) {
  CheckTrack(track);
  CHECK_GE(duration_us, 0) << "span " << name;
  Json event = Json::Object();
  event.Set("name", TraceText(name)).Set("cat", TraceText(category)).Set("ph", "X");
  event.Set("ts", start_us).Set("dur", duration_us);
  event.Set("pid", track.pid).Set("tid", track.tid);
  if (!args.is_null()) event.Set("args", args);
  Emit(false, start_us, event);
}

void ChromeTraceWriter::Instant(TrackId track, std::string_view name,
                                std::string_view category, int64_t ts_us,
                                const Json& args) {
  CheckTrack(track);
  Json event = Json::Object();
  event.Set("name", TraceText(name)).Set("cat", TraceText(category));
  event.Set("ph", "i").Set("s", "t");
  event.Set("ts", ts_us).Set("pid", track.pid).Set("tid", track.tid);
  if (!args.is_null()) event.Set("args", args);
  Emit(false, ts_us, event);
}

void ChromeTraceWriter::Counter(int pid, std::string_view name, int64_t ts_us,
                                const Json& values) {
  CHECK(pid >= 1 && pid <= processes_) << "unknown pid " << pid;
  CHECK(values.is_object());
  for (const Json::Member& member : values.members()) {
    CHECK(member.second.is_number()) << "counter " << name << " series " << member.first;
  }
  Json event = Json::Object();
  event.Set("name", TraceText(name)).Set("ph", "C").Set("ts", ts_us).Set("pid", pid);
  event.Set("args", values);
  Emit(false, ts_us, event);
}

void ChromeTraceWriter::Emit(bool is_metadata, int64_t ts_us, const Json& event) {
  CHECK(!finished_) << "event after Finish()";
  ++event_count_;
  std::string text = event.Dump();
  if (mode_ == Mode::kStreaming) {
    WriteEvent(text);
  } else if (is_metadata) {
    pending_metadata_.push_back(std::move(text));
  } else {
    pending_events_.push_back(Pending{ts_us, std::move(text)});
  }
}

void ChromeTraceWriter::WriteEvent(const std::string& text) {
  sink_(first_event_ ? "\n" : ",\n");
  sink_(text);
  first_event_ = false;
}

void ChromeTraceWriter::Finish() {
  CHECK(!finished_) << "Finish() twice";
  if (mode_ == Mode::kWholeFile) {
    sink_(HeaderText());
    for (const std::string& metadata : pending_metadata_) WriteEvent(metadata);
    std::stable_sort(
        pending_events_.begin(), pending_events_.end(),
        [](const Pending& a, const Pending& b) { return a.ts_us < b.ts_us; });
    for (const Pending& event : pending_events_) WriteEvent(event.text);
    pending_metadata_.clear();
    pending_events_.clear();
  }
  sink_("\n]}\n");
  finished_ = true;
}

}  // namespace slotsim::tools
