#include "model/node_io.h"

namespace slotsim::model {

int CommandFrame::WireSize() const {
  return static_cast<int>(EncodeCommand(argv).size());
}

WireKind KindOf(const Wire& w) {
  switch (w.index()) {
    case 0: return WireKind::kBus;
    case 1: return WireKind::kCommand;
    case 2: return WireKind::kReply;
    default: return WireKind::kRepl;
  }
}

const char* EventKindName(EventKind k) {
  switch (k) {
    case EventKind::kNodeAdded: return "node_added";
    case EventKind::kNodeRemoved: return "node_removed";
    case EventKind::kHandshakeDone: return "handshake_done";
    case EventKind::kFlagsChanged: return "flags";
    case EventKind::kRoleChanged: return "role";
    case EventKind::kCurrentEpoch: return "current_epoch";
    case EventKind::kConfigEpoch: return "config_epoch";
    case EventKind::kSlotsChanged: return "slots";
    case EventKind::kClusterState: return "cluster_state";
    case EventKind::kElectionScheduled: return "election_scheduled";
    case EventKind::kElectionStarted: return "election_started";
    case EventKind::kVoteGranted: return "vote_granted";
    case EventKind::kVoteRefused: return "vote_refused";
    case EventKind::kVoteReceived: return "vote_received";
    case EventKind::kPromoted: return "promoted";
    case EventKind::kManualFailover: return "manual_failover";
    case EventKind::kReplicaMigration: return "replica_migration";
    case EventKind::kEpochCollision: return "epoch_collision";
    case EventKind::kReplication: return "replication";
    case EventKind::kCommand: return "command";
    case EventKind::kNote: return "note";
  }
  return "unknown";
}

}  // namespace slotsim::model
