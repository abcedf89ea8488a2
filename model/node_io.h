// The node's inputs and outputs (sans-IO; design brief "The node is sans-IO").
//
// A node never reads a clock, draws from a global random source or sends by
// itself. The world calls its input methods with the node's local time and
// collects Effects: connections to open, payloads to send on links, links to
// close, a nodes.conf to persist, and trace events. Within one step, actions
// keep their order (a Connect precedes the Sends queued on that link) and the
// persist request is applied before any message leaves: Redis writes nodes.conf
// in clusterBeforeSleep, before replies reach the sockets.
//
// Links are either cluster-bus links (port kind kBus, carrying BusMessage) or
// client-port links (kClient, carrying commands, replies and the replication
// stream, as Redis serves replicas on the client port).

#ifndef SLOTSIM_MODEL_NODE_IO_H_
#define SLOTSIM_MODEL_NODE_IO_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/bus_message.h"
#include "model/reply.h"
#include "model/types.h"

namespace slotsim::model {

enum class PortKind { kBus, kClient };

// A command sent on a client link (one RESP array).
struct CommandFrame {
  uint64_t request_id = 0;
  std::vector<std::string> argv;
  // Bytes on the wire (EncodeCommand(argv).size()).
  int WireSize() const;
};

// The reply to the CommandFrame with the same request_id.
struct ReplyFrame {
  uint64_t request_id = 0;
  Reply reply;
  int WireSize() const { return static_cast<int>(reply.ToResp().size()); }
};

// Replication stream frames (PSYNC handshake, RDB payload, propagated commands,
// REPLCONF ACK). Defined in model/repl_frame.h.
struct ReplFrame;

using Wire = std::variant<BusMessagePtr, std::shared_ptr<const CommandFrame>,
                          std::shared_ptr<const ReplyFrame>,
                          std::shared_ptr<const ReplFrame>>;

// What kind of payload a Wire holds, for network filters and statistics.
enum class WireKind { kBus, kCommand, kReply, kRepl };
WireKind KindOf(const Wire& w);

// A state transition worth a timeline line. `subject` is the node the event is
// about (may be the node itself); `peer` a second node when there is one (the
// candidate a vote went to, the new master of a replica). `value` carries an
// epoch, a count or an offset depending on `kind`.
enum class EventKind {
  kNodeAdded,        // a node entered the table (MEET, gossip, handshake)
  kNodeRemoved,      // deleted (handshake timeout, FORGET, RESET)
  kHandshakeDone,    // handshake node renamed to its real ID
  kFlagsChanged,     // detail: "master,fail? -> master,fail"
  kRoleChanged,      // subject became master / replica of `peer`
  kCurrentEpoch,     // value: new currentEpoch
  kConfigEpoch,      // subject's configEpoch changed; value: new epoch
  kSlotsChanged,     // detail: slot ranges rebound to subject
  kClusterState,     // detail: "ok" / "fail"
  kElectionScheduled,// value: rank; detail: delay
  kElectionStarted,  // value: election epoch
  kVoteGranted,      // this node voted for `peer`; value: epoch
  kVoteRefused,      // detail: which rule refused
  kVoteReceived,     // value: votes so far
  kPromoted,         // this node replaced its master; value: configEpoch
  kManualFailover,   // detail: phase
  kReplicaMigration, // this node migrated to `peer`
  kEpochCollision,   // value: new configEpoch
  kReplication,      // detail: sync state change
  kCommand,          // an admin command changed state; detail: argv
  kNote,             // anything else worth a line
};
const char* EventKindName(EventKind k);

struct NodeEvent {
  EventKind kind = EventKind::kNote;
  NodeName subject;
  NodeName peer;
  int64_t value = 0;
  std::string detail;
};

struct Effects {
  struct Connect {
    LinkId link;
    PortKind port_kind = PortKind::kBus;
    std::string ip;
    int port = 0;
  };
  struct Send {
    LinkId link;
    Wire payload;
  };
  struct Close {
    LinkId link;
  };
  using Action = std::variant<Connect, Send, Close>;

  // nodes.conf contents to write; `fsync` asks for a synced write (survives a
  // power loss), otherwise it survives a process crash only.
  struct Persist {
    std::string nodes_conf;
    bool fsync = false;
  };

  std::vector<Action> actions;
  std::optional<Persist> persist;
  std::vector<NodeEvent> events;

  void Clear() {
    actions.clear();
    persist.reset();
    events.clear();
  }
};

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_NODE_IO_H_
