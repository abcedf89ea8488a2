#include "tools/timeline.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace slotsim::tools {
namespace {

using model::EventKind;

std::string Stamp(sim::Time at, sim::Time start) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%10s", (at - start).ToString().c_str());
  return buf;
}

std::string Who(const std::string& name) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%-5s", name.c_str());
  return buf;
}

std::string NameOf(const scenarios::World& w, const model::NodeName& id) {
  if (id.empty()) return "?";
  std::string n = w.NameOfId(id);
  return n.empty() ? std::string(id.short_name()) : n;
}

}  // namespace

std::string TimelineLine(const scenarios::WorldEvent& we, const scenarios::World& world,
                         sim::Time start) {
  const model::NodeEvent& e = we.event;
  const std::string subject = NameOf(world, e.subject);
  const std::string peer = NameOf(world, e.peer);
  const bool self = subject == we.node;
  std::string text;
  switch (e.kind) {
    case EventKind::kNodeAdded:
      text = self ? "starts as " + e.detail : "learns of " + subject +
                                                   (e.detail.empty() ? "" : " (" + e.detail + ")");
      break;
    case EventKind::kNodeRemoved: text = "forgets " + subject; break;
    case EventKind::kHandshakeDone: text = "handshake done with " + subject; break;
    case EventKind::kFlagsChanged:
      text = self ? "own flags: " + e.detail : "sees " + subject + ": " + e.detail;
      break;
    case EventKind::kRoleChanged:
      if (e.detail == "master") {
        text = self ? "becomes a master" : "sees " + subject + " become a master";
      } else if (e.detail == "replica") {
        // A master announced it is now a replica (its master, if known, is
        // the "replica of" event that follows).
        text = self ? "becomes a replica" : "sees " + subject + " step down to a replica";
      } else {
        text = self ? "becomes a replica of " + peer
                    : "sees " + subject + " replicate " + peer;
      }
      break;
    case EventKind::kCurrentEpoch: text = absl::StrCat("currentEpoch -> ", e.value); break;
    case EventKind::kConfigEpoch:
      text = self ? absl::StrCat("own configEpoch -> ", e.value)
                  : absl::StrCat("configEpoch of ", subject, " -> ", e.value);
      break;
    case EventKind::kSlotsChanged:
      text = absl::StrCat("slots ", e.detail, " -> ", self ? "itself" : subject);
      break;
    case EventKind::kClusterState: text = "cluster_state " + e.detail; break;
    case EventKind::kElectionScheduled:
      text = absl::StrCat("election scheduled, rank ", e.value, " (", e.detail, ")");
      break;
    case EventKind::kElectionStarted:
      text = absl::StrCat("election started for epoch ", e.value, " (replacing ", peer, ")",
                          e.detail.empty() ? "" : " [" + e.detail + "]");
      break;
    case EventKind::kVoteGranted:
      text = absl::StrCat("votes for ", peer, " in epoch ", e.value);
      break;
    case EventKind::kVoteRefused:
      text = absl::StrCat("refuses vote to ", peer, " in epoch ", e.value, ": ", e.detail);
      break;
    case EventKind::kVoteReceived: text = absl::StrCat("vote received (", e.value, " so far)"); break;
    case EventKind::kPromoted:
      text = absl::StrCat("PROMOTED: replaces ", peer, ", configEpoch ", e.value);
      break;
    case EventKind::kManualFailover: text = "manual failover: " + e.detail; break;
    case EventKind::kReplicaMigration: text = "migrates to orphaned master " + peer; break;
    case EventKind::kEpochCollision:
      text = absl::StrCat("configEpoch collision with ", peer, ": own configEpoch -> ", e.value);
      break;
    case EventKind::kReplication: text = "replication: " + e.detail; break;
    case EventKind::kCommand: text = "command: " + e.detail; break;
    case EventKind::kNote: text = e.detail; break;
  }
  if (text.empty()) return "";
  return absl::StrCat(Stamp(we.at, start), "  ", Who(we.node), "  ", text);
}

std::string TimelineFaultLine(const scenarios::FaultRecord& f, sim::Time start) {
  std::string text = absl::StrCat("FAULT ", f.kind);
  if (!f.nodes.empty()) absl::StrAppend(&text, " ", absl::StrJoin(f.nodes, ","));
  if (!f.detail.empty()) absl::StrAppend(&text, " (", f.detail, ")");
  if (!f.id.empty() && f.id.rfind("action@", 0) != 0) absl::StrAppend(&text, " [", f.id, "]");
  return absl::StrCat(Stamp(f.at, start), "  ", Who("----"), "  ", text);
}

}  // namespace slotsim::tools
