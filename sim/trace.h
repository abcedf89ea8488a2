// Trace: what a run leaves behind for people and for the determinism check.
//
// Two separate things live here:
//
// 1. EventTag and TraceHash, the running 64-bit hash over every dispatched event.
//    Every event carries an EventTag, a small canonical description chosen by
//    whoever schedules it ({kind, a, b}, e.g. {kNetPump, connection, digest}).
//    When the simulator dispatches an event (runs its callback; events dropped
//    because their process crashed, or parked because it is paused, are not
//    dispatched until they run) it feeds the TraceHash, in this order, the
//    64-bit words
//        time in microseconds,
//        (process index + 1) << 32 | tag.kind      (process index + 1 = 0 for
//                                                    kernel events),
//        tag.a,
//        tag.b
//    through sim::Hasher (hash.h). Words added with AbsorbWord (e.g. by the
//    world, for node state digests) are fed the same way between events. The
//    hash value is Hasher::digest() of the running state. Equal seeds on the
//    same build must give equal hashes; docs/determinism.md has the rules.
//
// 2. TraceRecord and TraceSink, structured records (time, process, kind,
//    key/value fields) for timelines, JSON Lines and Perfetto. Records are
//    output only: they are not hashed. A sink may store them (VectorTraceSink,
//    for tests) or stream them.
//
// Kernel event kinds (network pumps, deliveries, restarts) have the top bit set
// (kKernelTagBit); callers should use kinds below it.

#ifndef SLOTSIM_SIM_TRACE_H_
#define SLOTSIM_SIM_TRACE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/hash.h"
#include "sim/ids.h"
#include "sim/time.h"

namespace slotsim::sim {

// A canonical description of one event, for the running hash.
struct EventTag {
  uint32_t kind = 0;
  uint64_t a = 0;
  uint64_t b = 0;
};

inline constexpr uint32_t kKernelTagBit = 0x80000000u;

// The running hash over dispatched events (see the file comment).
class TraceHash {
 public:
  void AbsorbEvent(Time at, ProcessId process, const EventTag& tag) {
    const uint64_t process_word =
        process.valid() ? static_cast<uint64_t>(process.value()) + 1 : 0;
    hasher_.AddI64(at.micros())
        .AddU64((process_word << 32) | tag.kind)
        .AddU64(tag.a)
        .AddU64(tag.b);
  }
  void AbsorbWord(uint64_t word) { hasher_.AddU64(word); }
  uint64_t value() const { return hasher_.digest(); }

 private:
  Hasher hasher_;
};

// One key/value field of a trace record. Values are text; integer and time
// constructors format them canonically ("42", "1.500s").
struct TraceField {
  TraceField(std::string k, std::string v) : key(std::move(k)), value(std::move(v)) {}
  TraceField(std::string k, const char* v) : key(std::move(k)), value(v) {}
  TraceField(std::string k, int64_t v);
  TraceField(std::string k, uint64_t v);
  TraceField(std::string k, int v) : TraceField(std::move(k), static_cast<int64_t>(v)) {}
  TraceField(std::string k, uint32_t v)
      : TraceField(std::move(k), static_cast<uint64_t>(v)) {}
  TraceField(std::string k, Time v) : key(std::move(k)), value(v.ToStringMicros()) {}
  TraceField(std::string k, Duration v) : key(std::move(k)), value(v.ToStringMicros()) {}

  std::string key;
  std::string value;
};

// A structured trace record. `process` is invalid for kernel-wide records.
struct TraceRecord {
  Time time;
  ProcessId process;
  std::string kind;
  std::vector<TraceField> fields;

  // "1.234567s p3 net.deliver conn=4294967296 bytes=12"
  std::string ToString() const;
  // The value of field `key`, or "" if absent.
  std::string_view Field(std::string_view key) const;
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void Emit(const TraceRecord& record) = 0;
};

// Keeps every record in memory (tests, small runs).
class VectorTraceSink : public TraceSink {
 public:
  void Emit(const TraceRecord& record) override { records_.push_back(record); }
  const std::vector<TraceRecord>& records() const { return records_; }
  void Clear() { records_.clear(); }

 private:
  std::vector<TraceRecord> records_;
};

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_TRACE_H_
