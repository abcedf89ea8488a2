// ReplFrame: one unit of the replication protocol on a client-port link
// (forward-declared in node_io.h).
//
// Redis speaks RESP on the replica's connection to its master: a handshake
// (PING, REPLCONF listening-port/capa, PSYNC <replid> <offset>), the master's
// answer (+FULLRESYNC <replid> <offset> followed by an RDB payload, or
// +CONTINUE <replid> followed by the backlog tail), then the propagated command
// stream, and the replica's REPLCONF ACK <offset> once per second. The model
// keeps one frame per step:
//
//   kPsync       replica -> master: replid ("?" = none) and the first wanted
//                offset (reploff + 1, or -1), the replica's address and
//                listening port (REPLCONF listening-port).
//   kFullResync  master -> replica: replid, offset, and the dataset snapshot at
//                that offset (shared, immutable).
//   kContinue    master -> replica: the master's current replid; the backlog
//                tail follows as kStream frames.
//   kStream      master -> replica: one propagated command (SELECT, PING, SET,
//                DEL, ...); `bytes` is its RESP length, by which both sides
//                advance their offsets (replicationFeedSlaves).
//   kAck         replica -> master: REPLCONF ACK <processed offset>.
//   kError       master -> replica: a refused PSYNC (e.g. -NOMASTERLINK).
//
// Frames are immutable once built and shared between recipients (a command
// fanned out to several replicas is one object).

#ifndef SLOTSIM_MODEL_REPL_FRAME_H_
#define SLOTSIM_MODEL_REPL_FRAME_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/keyspace.h"

namespace slotsim::model {

struct ReplFrame {
  enum class Kind { kPsync, kFullResync, kContinue, kStream, kAck, kError };

  Kind kind = Kind::kStream;
  std::string replid;        // kPsync, kFullResync, kContinue
  int64_t offset = 0;        // kPsync (wanted), kFullResync, kAck
  std::string ip;            // kPsync: the replica's address (as the master
                             // would read it from the socket)
  int listening_port = 0;    // kPsync
  std::shared_ptr<const Keyspace> snapshot;               // kFullResync
  std::shared_ptr<const std::vector<std::string>> argv;   // kStream
  int64_t bytes = 0;         // kStream: RESP length of argv
  std::string error;         // kError

  // Approximate bytes on the wire (RESP text of the frame; a full resync
  // counts the snapshot's keys and values).
  int64_t WireSize() const;
};

using ReplFramePtr = std::shared_ptr<const ReplFrame>;

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_REPL_FRAME_H_
