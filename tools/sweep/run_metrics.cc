#include "tools/sweep/run_metrics.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "model/wire_digest.h"
#include "scenarios/failover_tracker.h"
#include "tools/sweep/unavailability.h"

namespace slotsim::tools::sweep {
namespace {

using model::EventKind;
using sim::Time;

double Ms(sim::Duration d) { return static_cast<double>(d.micros()) / 1000.0; }

// The first time in `times` at or after `from`, or Max.
Time FirstAtOrAfter(const std::vector<Time>& times, Time from) {
  for (Time t : times) {
    if (t >= from) return t;
  }
  return Time::Max();
}

double Since(Time t, Time from) { return t == Time::Max() ? kNaN : Ms(t - from); }

bool IsFaultKind(const std::string& kind) {
  for (const char* k : {"crash", "crash-lose-unsynced", "pause", "partition", "block", "clog",
                        "delay", "clock-jump", "failover"}) {
    if (kind == k) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> MetricNames(const std::vector<std::string>& masters) {
  std::vector<std::string> names = {
      "fault_at_ms",      "pfail_ms",          "fail_ms",         "election_start_ms",
      "election_won_ms",  "promoted_ms",       "failovers",       "false_fails",
      "false_failovers",  "elections",         "elections_failed", "votes_requested",
      "votes_granted"};
  for (const std::string& m : masters) names.push_back("unavail_" + m + "_ms");
  for (const char* n : {"unavail_max_ms", "state_fail_ms", "writes_acked", "writes_lost",
                        "converge_ms", "bus_messages", "bus_bytes", "messages", "bytes"}) {
    names.push_back(n);
  }
  return names;
}

std::vector<double> MetricValues(const RunMetrics& m, const std::vector<std::string>& masters) {
  std::vector<double> v = {m.fault_at_ms,      m.pfail_ms,        m.fail_ms,
                           m.election_start_ms, m.election_won_ms, m.promoted_ms,
                           m.failovers,        m.false_fails,     m.false_failovers,
                           m.elections,        m.elections_failed, m.votes_requested,
                           m.votes_granted};
  for (const std::string& name : masters) {
    auto it = m.unavailable_ms.find(name);
    v.push_back(it == m.unavailable_ms.end() ? kNaN : it->second);
  }
  for (double x : {m.unavailable_max_ms, m.state_fail_ms, m.writes_acked, m.writes_lost,
                   m.converge_ms, m.bus_messages, m.bus_bytes, m.messages, m.bytes}) {
    v.push_back(x);
  }
  return v;
}

MetricsCollector::StateTrack& MetricsCollector::Track(const std::string& node) {
  return state_[node];  // a new node: running and failing since time zero
}

void MetricsCollector::OnNodeEvent(const scenarios::World& world,
                                   const scenarios::WorldEvent& e) {
  const model::NodeEvent& ev = e.event;
  switch (ev.kind) {
    case EventKind::kClusterState: {
      StateTrack& s = Track(e.node);
      const bool failing = ev.detail != "ok";
      if (!failing && s.first_ok == Time::Max()) s.first_ok = e.at;
      if (failing == s.failing) return;
      if (s.failing && s.running) s.fail.emplace_back(s.since, e.at);
      s.failing = failing;
      s.since = e.at;
      return;
    }
    case EventKind::kFlagsChanged: {
      const size_t arrow = ev.detail.find(" -> ");
      if (arrow == std::string::npos) return;
      const std::string_view before = std::string_view(ev.detail).substr(0, arrow);
      const std::string_view after = std::string_view(ev.detail).substr(arrow + 4);
      const std::string subject = world.NameOfId(ev.subject);
      if (subject.empty() || subject == e.node) return;
      if (scenarios::FlagsTextHas(after, "fail?") && !scenarios::FlagsTextHas(before, "fail?")) {
        pfail_at_[subject].push_back(e.at);
      }
      if (scenarios::FlagsTextHas(after, "fail") && !scenarios::FlagsTextHas(before, "fail")) {
        fail_at_[subject].push_back(e.at);
      }
      return;
    }
    case EventKind::kElectionStarted: {
      Election el;
      el.started = e.at;
      el.candidate = e.node;
      el.master = ev.peer.empty() ? "" : world.NameOfId(ev.peer);
      open_election_[e.node] = elections_.size();
      elections_.push_back(std::move(el));
      return;
    }
    case EventKind::kVoteReceived: {
      auto it = open_election_.find(e.node);
      if (it != open_election_.end()) elections_[it->second].last_vote = e.at;
      return;
    }
    case EventKind::kPromoted: {
      auto it = open_election_.find(e.node);
      if (it != open_election_.end()) {
        elections_[it->second].promoted = e.at;
        open_election_.erase(it);
      }
      return;
    }
    case EventKind::kVoteGranted:
      ++votes_granted_;
      return;
    case EventKind::kVoteRefused:
      ++votes_refused_;
      return;
    default:
      return;
  }
}

void MetricsCollector::OnFault(const scenarios::World& world, const scenarios::FaultEvent& f) {
  const bool crash = f.kind == "crash" || f.kind == "crash-power-loss";
  const bool restart = f.kind == "restart";
  if (!crash && !restart && f.kind != "pause") return;
  for (const std::string& node : f.nodes) {
    if (!restart) down_at_.emplace(node, f.at);
    if (crash) {
      StateTrack& s = Track(node);
      if (s.running && s.failing) s.fail.emplace_back(s.since, f.at);
      s.running = false;
    } else if (restart) {
      StateTrack& s = Track(node);
      s.running = true;
      s.failing = true;  // a restarted node starts in cluster_state:fail
      s.since = f.at;
    }
  }
}

double MetricsCollector::StateFailMs(Time from, Time to) const {
  if (from >= to) return kNaN;
  std::vector<std::pair<Time, Time>> spans;
  for (const auto& [node, s] : state_) {
    if (s.first_ok >= from) continue;  // not a member at the window's start
    std::vector<std::pair<Time, Time>> fail = s.fail;
    if (s.running && s.failing) fail.emplace_back(s.since, Time::Max());
    for (auto [a, b] : fail) {
      a = std::max(a, from);
      b = std::min(b, to);
      if (a < b) spans.emplace_back(a, b);
    }
  }
  std::sort(spans.begin(), spans.end());
  sim::Duration total = sim::Duration::Zero();
  Time end = Time::Zero();
  bool any = false;
  for (const auto& [a, b] : spans) {
    if (!any || a > end) {
      total += b - a;
      end = b;
      any = true;
    } else if (b > end) {
      total += b - end;
      end = b;
    }
  }
  return Ms(total);
}

RunMetrics MetricsCollector::Compute(const Inputs& in) const {
  const scenarios::RunRecord& rec = in.result->record;
  const Time safety_end = rec.safety_end == Time::Max() ? rec.end : rec.safety_end;
  RunMetrics m;

  // The fault and its target.
  Time fault = Time::Max();
  std::string target;
  for (const scenarios::FaultRecord& f : rec.faults) {
    if (f.at >= safety_end || !IsFaultKind(f.kind)) continue;
    fault = f.at;
    if (!f.nodes.empty()) target = f.nodes.front();
    break;
  }
  auto down_before = [&](const std::string& node, Time t) {
    auto it = down_at_.find(node);
    return it != down_at_.end() && it->second <= t;
  };

  if (fault != Time::Max()) {
    m.fault_at_ms = Ms(fault - rec.start);
    auto p = pfail_at_.find(target);
    if (p != pfail_at_.end()) m.pfail_ms = Since(FirstAtOrAfter(p->second, fault), fault);
    auto f = fail_at_.find(target);
    if (f != fail_at_.end()) m.fail_ms = Since(FirstAtOrAfter(f->second, fault), fault);
    for (const Election& el : elections_) {
      if (el.master != target || el.started < fault) continue;
      if (std::isnan(m.election_start_ms)) m.election_start_ms = Since(el.started, fault);
      if (el.promoted != Time::Max()) {
        m.election_won_ms = Since(el.last_vote, fault);
        m.promoted_ms = Since(el.promoted, fault);
        break;
      }
    }
    if (std::isnan(m.promoted_ms)) {  // a promotion without an election (TAKEOVER)
      for (const scenarios::FailoverRecord& fo : rec.failovers) {
        if (fo.failed_node == target && fo.promoted_at >= fault) {
          m.promoted_ms = Since(fo.promoted_at, fault);
          break;
        }
      }
    }
  }

  m.failovers = static_cast<double>(rec.failovers.size());
  for (const scenarios::FailEpisode& ep : in.result->fail_episodes) {
    if (ep.fail_at != Time::Max() && !down_before(ep.node, ep.fail_at)) ++m.false_fails;
  }
  for (const scenarios::FailoverRecord& fo : rec.failovers) {
    if (!fo.manual && !down_before(fo.failed_node, fo.promoted_at)) ++m.false_failovers;
  }
  m.elections = static_cast<double>(elections_.size());
  for (const Election& el : elections_) m.elections_failed += el.promoted == Time::Max();
  m.votes_granted = static_cast<double>(votes_granted_);
  m.votes_requested = static_cast<double>(votes_granted_ + votes_refused_);

  if (fault != Time::Max() && in.history != nullptr) {
    for (const MasterSlots& ms : in.masters) {
      const double u = WriteUnavailabilityMs(*in.history, ms.ranges, fault, safety_end);
      m.unavailable_ms[ms.name] = u;
      if (!std::isnan(u) && (std::isnan(m.unavailable_max_ms) || u > m.unavailable_max_ms)) {
        m.unavailable_max_ms = u;
      }
    }
  }

  Time window = fault;
  if (window == Time::Max()) {  // no fault: from the instant the cluster was up
    Time ready = Time::Zero();
    bool any = false;
    for (const auto& [node, s] : state_) {
      if (s.first_ok < safety_end) {
        ready = std::max(ready, s.first_ok);
        any = true;
      }
    }
    window = any ? ready : safety_end;
  }
  m.state_fail_ms = StateFailMs(window, safety_end);

  if (in.history != nullptr) m.writes_acked = static_cast<double>(in.history->acked_writes());
  m.writes_lost = static_cast<double>(in.writes_lost);
  if (rec.converged && rec.heal_start != Time::Max()) {
    m.converge_ms = Ms(rec.converged_at - rec.heal_start);
  }
  if (in.net != nullptr) {
    const sim::TrafficCounters all = in.net->total();
    m.messages = static_cast<double>(all.sent_messages);
    m.bytes = static_cast<double>(all.sent_bytes);
    for (uint32_t kind = 0; kind < static_cast<uint32_t>(model::kWireKindCommand); ++kind) {
      const sim::TrafficCounters c = in.net->kind(kind);
      m.bus_messages += static_cast<double>(c.sent_messages);
      m.bus_bytes += static_cast<double>(c.sent_bytes);
    }
  }
  return m;
}

}  // namespace slotsim::tools::sweep
