// FaultTable: the network faults in force, and what they do to one packet.
//
// A fault covers packets from a `from` endpoint set to a `to` endpoint set
// (and the reverse too when symmetric):
//   kBlock      a partition (symmetric) or one-way block, in a FaultMode:
//                 kDrop   packets crossing are lost;
//                 kHold   packets wait, in order, until the fault is healed
//                         (as TCP retransmission would deliver them while the
//                         connection lives);
//                 kReject connections crossing are reset and new ones refused
//                         (a firewall answering with TCP resets).
//   kClog       packets wait until `until` (or an earlier heal), order kept.
//   kExtraDelay `extra` is added to the delay of packets sent while it holds.
// Faults are identified by FaultId (sequential from 1) and removed by Heal.
//
// Check() answers for one packet at one instant. When several faults cover a
// packet the strongest wins: reject > drop > hold > clog.
//
// Invariants: endpoint sets are sorted and unique; an expired clog (now >=
// until) never stalls a packet, even before the network removes it.

#ifndef SLOTSIM_SIM_FAULTS_H_
#define SLOTSIM_SIM_FAULTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/ids.h"
#include "sim/time.h"

namespace slotsim::sim {

enum class FaultMode : uint8_t { kDrop, kHold, kReject };
const char* FaultModeName(FaultMode m);  // "drop", "hold", "reject"

// A set of endpoints, or every endpoint.
class EndpointSet {
 public:
  static EndpointSet All() { return EndpointSet(true); }
  EndpointSet(std::vector<EndpointId> members);  // NOLINT: implicit on purpose
  EndpointSet(std::initializer_list<EndpointId> members)
      : EndpointSet(std::vector<EndpointId>(members)) {}

  bool Contains(EndpointId e) const;
  bool all() const { return all_; }
  const std::vector<EndpointId>& members() const { return members_; }
  std::string ToString() const;  // "{0,3,4}" or "*"

 private:
  explicit EndpointSet(bool all) : all_(all) {}
  bool all_ = false;
  std::vector<EndpointId> members_;
};

struct Fault {
  enum class Kind : uint8_t { kBlock, kClog, kExtraDelay };
  FaultId id;
  Kind kind = Kind::kBlock;
  EndpointSet from = EndpointSet::All();
  EndpointSet to = EndpointSet::All();
  bool symmetric = false;
  FaultMode mode = FaultMode::kDrop;  // kBlock
  Time until;                         // kClog
  Duration extra;                     // kExtraDelay

  // Whether a packet from `src` to `dst` crosses this fault.
  bool Covers(EndpointId src, EndpointId dst) const {
    return (from.Contains(src) && to.Contains(dst)) ||
           (symmetric && from.Contains(dst) && to.Contains(src));
  }
  // "partition {0,1} | {2} mode=hold", "block {0} -> {2} mode=drop", ...
  std::string ToString() const;
};

class FaultTable {
 public:
  enum class Action : uint8_t { kPass, kClog, kHold, kDrop, kReject };

  FaultId AddBlock(EndpointSet from, EndpointSet to, bool symmetric, FaultMode mode);
  FaultId AddClog(EndpointSet from, EndpointSet to, bool symmetric, Time until);
  FaultId AddExtraDelay(EndpointSet from, EndpointSet to, bool symmetric, Duration extra);
  // False if no such fault is in force.
  bool Remove(FaultId id);
  void Clear();

  bool empty() const { return faults_.empty(); }
  // What happens now to a packet from src to dst (kExtraDelay never stalls).
  Action Check(EndpointId src, EndpointId dst, Time now) const {
    return stalling_faults_ == 0 ? Action::kPass : CheckSlow(src, dst, now);
  }
  // Sum of the extra delays covering src -> dst.
  Duration ExtraDelay(EndpointId src, EndpointId dst) const;
  bool has_extra_delay() const { return extra_delay_faults_ > 0; }

  const Fault* Find(FaultId id) const;
  const std::map<FaultId, Fault>& faults() const { return faults_; }

 private:
  FaultId Add(Fault f);
  Action CheckSlow(EndpointId src, EndpointId dst, Time now) const;

  uint64_t next_id_ = 1;
  std::map<FaultId, Fault> faults_;
  int extra_delay_faults_ = 0;
  int stalling_faults_ = 0;  // blocks and clogs
};

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_FAULTS_H_
