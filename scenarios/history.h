// History: every operation the workload's clients invoked, with invoke and
// completion times, outcome and value, so checkers can say which acknowledged
// writes were lost (props/write_loss).
//
// Values are unique per write: a client writes "<client>:<sequence>" (padded to
// the workload's value size), so a value found in a key names the write that
// put it there. Times are simulated. An operation that never completed (the
// run ended, the client gave up without an answer) keeps completed = Max.
//
// Invariants: ops are in invocation order; ids are 1, 2, 3, ...

#ifndef SLOTSIM_SCENARIOS_HISTORY_H_
#define SLOTSIM_SCENARIOS_HISTORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sim/time.h"

namespace slotsim::scenarios {

struct ClientOp {
  enum class Kind { kSet, kGet };
  enum class Outcome {
    kPending,  // no answer yet
    kOk,       // SET acknowledged (+OK) / GET answered
    kError,    // the final answer was an error (CLUSTERDOWN, TRYAGAIN, ...)
    kTimeout,  // the client gave up waiting; the write may or may not apply
  };

  uint64_t id = 0;
  std::string client;       // c1, c2, ...
  Kind kind = Kind::kSet;
  std::string key;
  int slot = 0;
  std::string value;        // SET: the value written; GET: the value read ("" = nil)
  bool found = false;       // GET: whether the key existed
  sim::Time invoked;
  sim::Time completed = sim::Time::Max();
  Outcome outcome = Outcome::kPending;
  std::string error;        // the error text for kError
  std::string node;         // the node that gave the final answer
  int redirects = 0;        // MOVED/ASK followed
  int retries = 0;          // TRYAGAIN/CLUSTERDOWN/timeouts retried
  // WAIT after the SET (workload.wait): replicas acknowledged, -1 if not used.
  int wait_replicas = -1;
  // Of `redirects`, the ASK ones (the rest were MOVED).
  int asks = 0;

  bool acked_write() const { return kind == Kind::kSet && outcome == Outcome::kOk; }
};

class History {
 public:
  // Records an invocation; returns its id.
  uint64_t Invoke(ClientOp op) {
    op.id = ops_.size() + 1;
    ops_.push_back(std::move(op));
    return ops_.back().id;
  }
  ClientOp& at(uint64_t id) { return ops_[id - 1]; }
  const ClientOp& at(uint64_t id) const { return ops_[id - 1]; }
  const std::vector<ClientOp>& ops() const { return ops_; }
  int64_t acked_writes() const {
    int64_t n = 0;
    for (const ClientOp& op : ops_) n += op.acked_write();
    return n;
  }

 private:
  std::vector<ClientOp> ops_;
};

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_HISTORY_H_
