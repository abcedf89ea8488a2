// single_writer and single_writer_strict: no two masters accept writes for
// the same slot at the same time, outside the windows Redis documents.
//
// Redis behaviour encoded (docs/redis-cluster-7.0-behaviour.md):
//   - ownership is decided per node by clusterUpdateSlotsConfigWith: a claim
//     wins iff its configEpoch is strictly greater (section 10.3), so two
//     masters can each believe they own a slot until the older one hears the
//     newer claim (PING/PONG from the new owner or an UPDATE, 10.4);
//   - a node accepts a write for a key of slot j iff it is a master, binds j
//     to itself, its cluster_state is ok, its clients are not paused for a
//     manual failover, and j is not MIGRATING with the key gone (getNodeByQuery
//     and processCommand, sections 14-15); a paused process serves nothing;
//   - documented write-loss windows (section 20, items 2 and 3): a master cut
//     off with a minority keeps accepting writes until it has flagged enough
//     masters PFAIL (> NT of silence with a ping outstanding, <= ~1.5 NT after
//     the last packet, section 6.1) and clusterUpdateState turns it FAIL
//     (section 14); an old master that rejoins (or restarts, or resumes from a
//     pause) accepts writes until the newer configuration reaches it.
//
// Definitions (NT = the node's cluster-node-timeout; all state from the
// nodes' own views, props/cluster_view.h):
//   writer(x, j)   x.WritesSlot(j) (NodeView: the conditions above).
//   overlap        nodes a != b with writer(a, j) and writer(b, j) for some j.
//   episode        a maximal stretch of simulated time during which a and b
//                  overlap (checked after every event); starts at t0.
//   excused(x, t)  one of
//                   (quorum)  x heard from a quorum of the slot-owning masters
//                             of its view at most 2 NT before t
//                             (QuorumContactMs): its failure detector could not
//                             yet be expected to have stopped its writes;
//                   (back)    x was restarted or resumed from a pause at most
//                             2 NT before t.
//   single_writer_strict: violated by every overlap episode (it measures the
//                  windows; it is not in the default set).
//   single_writer: violated by an episode at the first time t when
//                  t - t0 > 2 NT (max over a and b), or neither a nor b is
//                  excused(t). 2 NT bounds the minority window (PFAIL <=
//                  1.5 NT + a cron tick after the last quorum contact) and the
//                  rejoin window (a PING/PONG exchange or UPDATE, <= NT/2 after
//                  contact resumes) with margin.
//   Not excused, by design: a one-way partition in which x still receives
//   from a quorum but nobody receives from x; Redis keeps x writable for as
//   long as it lasts (x never flags the quorum PFAIL). The checker reports it.
//
// Cost: SlotClaims keeps per-pair shared-slot counts; after an event only
// pairs with shared claims are examined (O(1) each, O(view) for the window
// test while an overlap lasts).

#ifndef SLOTSIM_PROPS_SINGLE_WRITER_H_
#define SLOTSIM_PROPS_SINGLE_WRITER_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "props/cluster_view.h"
#include "props/slot_claims.h"
#include "scenarios/checker.h"
#include "sim/time.h"

namespace slotsim::props {

// --- Pure functions. ---------------------------------------------------------

struct WriterOverlap {
  int a = -1;  // node indexes, a < b
  int b = -1;
  int first_slot = -1;  // the lowest slot both would write
  int slots = 0;        // how many slots both would write
};

// Every pair of nodes that would both accept a write for a common slot.
// O(nodes x 16384): for tests and final checks, not per event.
std::vector<WriterOverlap> FindWriterOverlaps(const ClusterView& view);

// Number of slots both a and b would write, given the slots both claim
// (`shared`) from SlotClaims; `a_bits`/`b_bits` are their claims.
int WritableSharedSlots(const NodeView& a, const NodeView& b, int shared);

enum class WriterWindow {
  kNone,      // not excused
  kMinority,  // no quorum contact for more than NT/2, but at most 2 NT
  kRejoin,    // in contact with a quorum (an old master learning the news)
  kBack,      // restarted or resumed at most 2 NT ago
};
const char* WriterWindowName(WriterWindow w);

// Whether node x, overlapping another writer, is in a documented window at
// `now` (the `excused` rule of the file comment). `back_at` is the last time
// x was restarted or resumed (sim::Time::Max() if never).
WriterWindow DocumentedWindow(const NodeView& x, sim::Time now, sim::Time back_at);

// The single_writer verdict for an episode of a and b that began at `since`:
// kNone if it is a violation at `now`.
WriterWindow EpisodeExcuse(const NodeView& a, const NodeView& b, sim::Time since,
                           sim::Time now, sim::Time a_back_at, sim::Time b_back_at);

// --- The checker. -----------------------------------------------------------

class SingleWriterChecker : public scenarios::Checker {
 public:
  explicit SingleWriterChecker(bool strict) : strict_(strict) {}
  std::string_view name() const override {
    return strict_ ? "single_writer_strict" : "single_writer";
  }

  void OnPhase(const scenarios::World& world, scenarios::RunPhase phase,
               const scenarios::RunRecord& record) override;
  void AfterEvent(const scenarios::World& world, int touched) override;
  void OnFault(const scenarios::World& world,
               const scenarios::FaultEvent& fault) override;

  // Measurements: overlap episodes seen and the longest one.
  int episodes() const { return episodes_; }
  sim::Duration longest_overlap() const { return longest_; }

 private:
  struct Episode {
    sim::Time since;
    bool reported = false;
  };
  void Init(const scenarios::World& world);
  void Examine(sim::Time now);

  bool strict_;
  bool active_ = false;
  ClusterView view_;
  SlotClaims claims_{0};
  std::vector<sim::Time> back_at_;  // per node: last restart / resume
  std::vector<int> dirty_;          // nodes named by faults, refreshed next event
  std::map<std::pair<int, int>, Episode> episodes_open_;
  int episodes_ = 0;
  sim::Duration longest_;
};

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_SINGLE_WRITER_H_
