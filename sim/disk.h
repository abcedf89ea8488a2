// Disk: persistent storage for simulated processes (nodes.conf and the like).
//
// Each process has its own namespace of string blobs by key. A write replaces
// the whole blob. A write with fsync = true is durable at once; a write without
// it sits in the page cache: it survives a process crash (CrashKind::kProcess)
// but a power loss (CrashKind::kPowerLoss) rolls the key back to its last
// synced value, or removes it if it was never synced. This is how Redis's
// nodes.conf behaves: clusterSaveConfig writes it and fsyncs only when asked
// (CLUSTER_TODO_FSYNC_CONFIG).
//
// The Disk listens to the Simulator's crashes; construct it before the world
// registers its own listeners so the world sees the post-crash disk.
//
// Invariants: a read returns the value of the last write not undone by a power
// loss; reads and writes are not events and take no simulated time.

#ifndef SLOTSIM_SIM_DISK_H_
#define SLOTSIM_SIM_DISK_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/ids.h"
#include "sim/process.h"
#include "sim/simulator.h"

namespace slotsim::sim {

class Disk {
 public:
  explicit Disk(Simulator& sim);
  Disk(const Disk&) = delete;
  Disk& operator=(const Disk&) = delete;

  // REQUIRES: the process is not crashed.
  void Write(ProcessId p, std::string_view key, std::string value, bool fsync);
  // Makes the key's current value durable (no-op if absent or already synced).
  void Sync(ProcessId p, std::string_view key);
  std::optional<std::string> Read(ProcessId p, std::string_view key) const;
  // Keys of process `p`, sorted.
  std::vector<std::string> Keys(ProcessId p) const;

  struct Counters {
    uint64_t writes = 0;
    uint64_t synced_writes = 0;
    uint64_t bytes_written = 0;
    // Keys rolled back or removed by power losses.
    uint64_t keys_lost = 0;
  };
  const Counters& counters() const { return counters_; }

 private:
  struct Blob {
    std::string current;
    std::optional<std::string> synced;
    bool dirty = false;  // current differs from what a power loss would keep
  };
  using Key = std::pair<uint32_t, std::string>;

  void OnProcessEvent(const ProcessEvent& e);

  Simulator& sim_;
  std::map<Key, Blob, std::less<>> blobs_;
  Counters counters_;
};

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_DISK_H_
