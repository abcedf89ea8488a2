#include "sim/disk.h"

#include "sim/check.h"

namespace slotsim::sim {

Disk::Disk(Simulator& sim) : sim_(sim) {
  sim_.AddProcessListener([this](const ProcessEvent& e) { OnProcessEvent(e); });
}

void Disk::Write(ProcessId p, std::string_view key, std::string value, bool fsync) {
  CHECK(sim_.IsAlive(p)) << "write by crashed process " << p;
  ++counters_.writes;
  counters_.bytes_written += value.size();
  Blob& blob = blobs_[Key(p.value(), std::string(key))];
  blob.current = std::move(value);
  if (fsync) {
    ++counters_.synced_writes;
    blob.synced = blob.current;
    blob.dirty = false;
  } else {
    blob.dirty = true;
  }
}

void Disk::Sync(ProcessId p, std::string_view key) {
  auto it = blobs_.find(Key(p.value(), std::string(key)));
  if (it == blobs_.end() || !it->second.dirty) return;
  it->second.synced = it->second.current;
  it->second.dirty = false;
}

std::optional<std::string> Disk::Read(ProcessId p, std::string_view key) const {
  auto it = blobs_.find(Key(p.value(), std::string(key)));
  if (it == blobs_.end()) return std::nullopt;
  return it->second.current;
}

std::vector<std::string> Disk::Keys(ProcessId p) const {
  std::vector<std::string> keys;
  for (auto it = blobs_.lower_bound(Key(p.value(), std::string()));
       it != blobs_.end() && it->first.first == p.value(); ++it) {
    keys.push_back(it->first.second);
  }
  return keys;
}

void Disk::OnProcessEvent(const ProcessEvent& e) {
  if (e.kind != ProcessEvent::Kind::kCrashed || e.crash_kind != CrashKind::kPowerLoss) {
    return;
  }
  const uint32_t p = e.process.value();
  auto it = blobs_.lower_bound(Key(p, std::string()));
  while (it != blobs_.end() && it->first.first == p) {
    Blob& blob = it->second;
    if (!blob.dirty) {
      ++it;
      continue;
    }
    ++counters_.keys_lost;
    if (sim_.tracing()) {
      sim_.Trace(e.process, "disk.lost", {TraceField("key", it->first.second)});
    }
    if (blob.synced.has_value()) {
      blob.current = *blob.synced;
      blob.dirty = false;
      ++it;
    } else {
      it = blobs_.erase(it);
    }
  }
}

}  // namespace slotsim::sim
