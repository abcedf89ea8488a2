// DigestOf(Wire): a canonical 64-bit digest of a payload on the wire.
//
// The world hands this to the kernel's network so every delivery event folds the
// message's content into the run's trace hash (docs/determinism.md). Fields are
// fed to sim::Hasher one by one in a fixed order; pointer values and memory
// layout never enter. Gossip entries contribute name, flags and times; slot
// bitmaps contribute all 256 words.

#ifndef SLOTSIM_MODEL_WIRE_DIGEST_H_
#define SLOTSIM_MODEL_WIRE_DIGEST_H_

#include <cstdint>

#include "model/node_io.h"

namespace slotsim::model {

uint64_t DigestOf(const Wire& w);

// Bytes the payload occupies on the wire (BusMessage::WireSize and friends).
int64_t WireSizeOf(const Wire& w);

// An integer kind for network filters and statistics: the bus message type
// (0..10) for cluster-bus payloads, then 100 = command, 101 = reply,
// 102 = replication frame.
int WireKindCode(const Wire& w);
inline constexpr int kWireKindCommand = 100;
inline constexpr int kWireKindReply = 101;
inline constexpr int kWireKindRepl = 102;

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_WIRE_DIGEST_H_
