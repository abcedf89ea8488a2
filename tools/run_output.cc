#include "tools/run_output.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "model/node_io.h"

namespace slotsim::tools {
namespace {

int64_t MsOrNull(sim::Time t, sim::Time start) { return (t - start).millis(); }

Json TimeOrNull(sim::Time t, sim::Time start) {
  if (t == sim::Time::Max()) return Json();
  return Json(MsOrNull(t, start));
}

std::string NameOf(const scenarios::World& w, const model::NodeName& id) {
  if (id.empty()) return "";
  std::string n = w.NameOfId(id);
  return n.empty() ? std::string(id.short_name()) : n;
}

absl::Status MakeDirs(const std::string& dir) {
  std::string path;
  for (size_t i = 0; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') {
      if (!path.empty() && ::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
        return absl::InternalError(absl::StrCat("cannot create ", path, ": ",
                                                std::strerror(errno)));
      }
    }
    if (i < dir.size()) path += dir[i];
  }
  return absl::OkStatus();
}

}  // namespace

Json SummaryJson(const scenarios::RunResult& r, const SummaryInfo& info) {
  const sim::Time start = r.record.start;
  Json s = Json::Object();
  s.Set("scenario", info.scenario);
  s.Set("file", info.file);
  s.Set("build", info.build);
  s.Set("seed", r.seed);
  s.Set("trace_hash", absl::StrCat(r.trace_hash));
  s.Set("events", r.events);
  s.Set("sim_time_ms", r.sim_time_ms);
  s.Set("wall_ms", info.wall_ms);
  s.Set("ok", r.ok());
  if (!r.error.empty()) s.Set("error", r.error);
  Json props = Json::Object();
  for (const auto& [name, held] : info.properties) props.Set(name, held ? "pass" : "fail");
  s.Set("properties", std::move(props));
  Json violations = Json::Array();
  for (const scenarios::Violation& v : r.violations) {
    Json o = Json::Object();
    o.Set("property", v.property);
    o.Set("at_ms", MsOrNull(v.at, start));
    o.Set("message", v.message);
    violations.Append(std::move(o));
  }
  s.Set("violations", std::move(violations));
  Json expectations = Json::Array();
  for (const scenarios::ExpectationOutcome& e : r.expectations) {
    Json o = Json::Object();
    o.Set("expectation", e.description);
    o.Set("held", e.held);
    o.Set("observed", e.observed);
    o.Set("checked_at_ms", e.checked_at_ms);
    expectations.Append(std::move(o));
  }
  s.Set("expectations", std::move(expectations));
  Json failovers = Json::Array();
  for (const scenarios::FailoverRecord& f : r.record.failovers) {
    Json o = Json::Object();
    o.Set("failed_node", f.failed_node);
    o.Set("pfail_ms", TimeOrNull(f.pfail_at, start));
    o.Set("fail_ms", TimeOrNull(f.fail_at, start));
    o.Set("election_ms", TimeOrNull(f.election_started_at, start));
    o.Set("promoted_node", f.promoted_node);
    o.Set("promoted_ms", TimeOrNull(f.promoted_at, start));
    o.Set("config_epoch", f.config_epoch);
    o.Set("manual", f.manual);
    failovers.Append(std::move(o));
  }
  s.Set("failovers", std::move(failovers));
  Json faults = Json::Array();
  for (const scenarios::FaultRecord& f : r.record.faults) {
    Json o = Json::Object();
    o.Set("at_ms", MsOrNull(f.at, start));
    o.Set("kind", f.kind);
    Json nodes = Json::Array();
    for (const std::string& n : f.nodes) nodes.Append(n);
    o.Set("nodes", std::move(nodes));
    if (!f.detail.empty()) o.Set("detail", f.detail);
    if (!f.id.empty()) o.Set("id", f.id);
    faults.Append(std::move(o));
  }
  s.Set("faults", std::move(faults));
  s.Set("writes_acked", info.writes_acked);
  s.Set("writes_lost", info.writes_lost);
  Json conv = Json::Object();
  conv.Set("converged", r.record.converged);
  conv.Set("converged_ms", TimeOrNull(r.record.converged_at, start));
  conv.Set("bound_ms", r.record.converge_bound.millis());
  s.Set("convergence", std::move(conv));
  if (!info.reproduce.empty()) s.Set("reproduce", info.reproduce);
  return s;
}

absl::StatusOr<std::unique_ptr<RunOutput>> RunOutput::Open(const std::string& dir,
                                                            std::vector<std::string> nodes) {
  if (absl::Status st = MakeDirs(dir); !st.ok()) return st;
  auto events = AtomicFileWriter::Open(dir + "/events.jsonl", AtomicFileWriter::Mode::kTruncate);
  if (!events.ok()) return events.status();
  auto trace = AtomicFileWriter::Open(dir + "/trace.json", AtomicFileWriter::Mode::kTruncate);
  if (!trace.ok()) return trace.status();
  std::unique_ptr<RunOutput> out(
      new RunOutput(dir, std::move(events).value(), std::move(trace).value()));
  for (const std::string& n : nodes) out->Track(n);
  out->Track("faults");
  return out;
}

RunOutput::RunOutput(std::string dir, AtomicFileWriter events, AtomicFileWriter trace)
    : dir_(std::move(dir)), events_(std::move(events)), trace_file_(std::move(trace)) {
  trace_ = std::make_unique<ChromeTraceWriter>(
      [this](std::string_view text) {
        absl::Status st = trace_file_.Append(text);
        if (!st.ok() && first_error_.ok()) first_error_ = st;
      },
      ChromeTraceWriter::Mode::kStreaming);
  pid_ = trace_->AddProcess("slotsim run");
}

TrackId RunOutput::Track(const std::string& node) {
  auto it = tracks_.find(node);
  if (it != tracks_.end()) return it->second;
  TrackId t = trace_->AddTrack(pid_, node);
  tracks_.emplace(node, t);
  return t;
}

void RunOutput::OpenSpan(const std::string& key, TrackId track, std::string name,
                         std::string category, int64_t start_us) {
  CloseSpan(key, start_us);
  open_[key] = OpenSpanInfo{track, std::move(name), std::move(category), start_us};
}

void RunOutput::CloseSpan(const std::string& key, int64_t end_us) {
  auto it = open_.find(key);
  if (it == open_.end()) return;
  const OpenSpanInfo& s = it->second;
  trace_->Span(s.track, s.name, s.category, s.start_us, end_us - s.start_us);
  open_.erase(it);
}

void RunOutput::OnEvent(const scenarios::WorldEvent& we, const scenarios::World& world,
                        sim::Time start) {
  const model::NodeEvent& e = we.event;
  const int64_t t_us = (we.at - start).micros();
  const std::string subject = NameOf(world, e.subject);
  const std::string peer = NameOf(world, e.peer);
  Json line = Json::Object();
  line.Set("t_ms", (we.at - start).millis());
  line.Set("t_us", t_us);
  line.Set("node", we.node);
  line.Set("kind", model::EventKindName(e.kind));
  line.Set("subject", subject);
  line.Set("peer", peer);
  line.Set("value", e.value);
  line.Set("detail", e.detail);
  absl::Status st = events_.AppendLine(line.Dump());
  if (!st.ok() && first_error_.ok()) first_error_ = st;

  const TrackId track = Track(we.node);
  switch (e.kind) {
    case model::EventKind::kFlagsChanged:
      trace_->Instant(track, absl::StrCat(subject, ": ", e.detail), "flags", t_us);
      break;
    case model::EventKind::kElectionStarted:
      OpenSpan("election/" + we.node, track, absl::StrCat("election epoch ", e.value),
               "election", t_us);
      break;
    case model::EventKind::kPromoted:
      CloseSpan("election/" + we.node, t_us);
      trace_->Instant(track, absl::StrCat("promoted, configEpoch ", e.value), "failover", t_us);
      break;
    case model::EventKind::kVoteGranted:
      trace_->Instant(track, absl::StrCat("vote for ", peer, " epoch ", e.value), "vote", t_us);
      break;
    case model::EventKind::kVoteRefused:
      trace_->Instant(track, absl::StrCat("refuse ", peer, ": ", e.detail), "vote", t_us);
      break;
    case model::EventKind::kClusterState:
      trace_->Instant(track, "cluster_state " + e.detail, "state", t_us);
      break;
    case model::EventKind::kRoleChanged:
      if (subject == we.node) {
        trace_->Instant(track, e.detail == "master" ? "becomes master" : "replica of " + peer,
                        "role", t_us);
      }
      break;
    default:
      break;
  }
}

void RunOutput::OnFault(const scenarios::FaultRecord& f, sim::Time start) {
  const int64_t t_us = (f.at - start).micros();
  Json line = Json::Object();
  line.Set("t_ms", (f.at - start).millis());
  line.Set("t_us", t_us);
  line.Set("kind", "fault");
  line.Set("fault", f.kind);
  Json nodes = Json::Array();
  for (const std::string& n : f.nodes) nodes.Append(n);
  line.Set("nodes", std::move(nodes));
  line.Set("detail", f.detail);
  line.Set("id", f.id);
  absl::Status st = events_.AppendLine(line.Dump());
  if (!st.ok() && first_error_.ok()) first_error_ = st;

  const std::string label = absl::StrCat(f.kind, " ", absl::StrJoin(f.nodes, ","),
                                         f.detail.empty() ? "" : " " + f.detail);
  if (f.kind == "crash" || f.kind == "crash-lose-unsynced") {
    OpenSpan("down/" + f.nodes[0], Track(f.nodes[0]), "down (" + f.kind + ")", "fault", t_us);
  } else if (f.kind == "restart") {
    CloseSpan("down/" + f.nodes[0], t_us);
  } else if (f.kind == "pause") {
    OpenSpan("paused/" + f.nodes[0], Track(f.nodes[0]), "paused", "fault", t_us);
  } else if (f.kind == "resume") {
    CloseSpan("paused/" + f.nodes[0], t_us);
  } else if (f.kind == "partition" || f.kind == "block" || f.kind == "clog" ||
             f.kind == "delay") {
    OpenSpan("net/" + f.id, Track("faults"), label, "network", t_us);
  } else if (f.kind == "heal") {
    if (f.id.empty() || f.detail.find("all") != std::string::npos) {
      std::vector<std::string> keys;
      for (const auto& [k, v] : open_) {
        if (k.rfind("net/", 0) == 0) keys.push_back(k);
      }
      for (const std::string& k : keys) CloseSpan(k, t_us);
    } else {
      CloseSpan("net/" + f.id, t_us);
    }
  } else {
    trace_->Instant(Track(f.nodes.empty() ? "faults" : f.nodes[0]), label, "admin", t_us);
  }
}

absl::Status RunOutput::Finish(sim::Time end, sim::Time start, const Json& summary) {
  const int64_t end_us = (end - start).micros();
  std::vector<std::string> keys;
  for (const auto& [k, v] : open_) keys.push_back(k);
  for (const std::string& k : keys) CloseSpan(k, end_us);
  trace_->Finish();
  if (!first_error_.ok()) return first_error_;
  if (absl::Status st = events_.Close(); !st.ok()) return st;
  if (absl::Status st = trace_file_.Close(); !st.ok()) return st;
  return WriteFileAtomically(dir_ + "/summary.json", summary.Pretty() + "\n");
}

}  // namespace slotsim::tools
