// RunOutput: the files `slotsim run --out DIR` writes, and the summary object
// `--json` prints.
//
//   events.jsonl  one JSON object per node event or applied action, in order:
//                 {"t_ms":..,"t_us":..,"node":"m2","kind":"flags","subject":"m1",
//                  "peer":"","value":0,"detail":"master -> master,fail?"}
//                 {"t_ms":..,"t_us":..,"kind":"fault","fault":"crash","nodes":["m1"],...}
//   trace.json    Chrome trace event format (Perfetto): one track per node plus
//                 a "faults" track; spans for downtime (crash..restart), pauses,
//                 network faults (until healed) and elections (start..promotion);
//                 instants for flag changes, votes, promotions, state changes.
//   summary.json  the summary object (SummaryJson).
// Every file is written under a temporary name and renamed when complete
// (tools/report/atomic_file.h): an interrupted run leaves no half file.

#ifndef SLOTSIM_TOOLS_RUN_OUTPUT_H_
#define SLOTSIM_TOOLS_RUN_OUTPUT_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/run_record.h"
#include "scenarios/runner.h"
#include "scenarios/world.h"
#include "tools/report/atomic_file.h"
#include "tools/report/chrome_trace.h"
#include "tools/report/json.h"

namespace slotsim::tools {

// What the summary needs beyond the RunResult.
struct SummaryInfo {
  std::string scenario;      // the scenario's name
  std::string file;          // the file it came from
  int64_t wall_ms = 0;
  std::map<std::string, bool> properties;  // name -> held
  int64_t writes_acked = 0;
  int64_t writes_lost = 0;
  std::string reproduce;     // the command line that reproduces the run
  std::string build;
};

// The summary object: seed, trace_hash, events, sim_time_ms, wall_ms,
// properties, expectations, failovers, faults, writes_acked, writes_lost, ...
Json SummaryJson(const scenarios::RunResult& result, const SummaryInfo& info);

class RunOutput {
 public:
  // Creates `dir` if needed and opens the streamed files.
  static absl::StatusOr<std::unique_ptr<RunOutput>> Open(const std::string& dir,
                                                          std::vector<std::string> nodes);
  void OnEvent(const scenarios::WorldEvent& e, const scenarios::World& world, sim::Time start);
  void OnFault(const scenarios::FaultRecord& f, sim::Time start);
  // Closes open spans at `end`, writes summary.json and renames every file.
  absl::Status Finish(sim::Time end, sim::Time start, const Json& summary);

 private:
  RunOutput(std::string dir, AtomicFileWriter events, AtomicFileWriter trace);
  TrackId Track(const std::string& node);
  void OpenSpan(const std::string& key, TrackId track, std::string name,
                std::string category, int64_t start_us);
  void CloseSpan(const std::string& key, int64_t end_us);

  struct OpenSpanInfo {
    TrackId track;
    std::string name;
    std::string category;
    int64_t start_us = 0;
  };

  std::string dir_;
  AtomicFileWriter events_;
  AtomicFileWriter trace_file_;
  std::unique_ptr<ChromeTraceWriter> trace_;
  absl::Status first_error_;
  int pid_ = 0;
  std::map<std::string, TrackId> tracks_;
  std::map<std::string, OpenSpanInfo> open_;
};

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_RUN_OUTPUT_H_
