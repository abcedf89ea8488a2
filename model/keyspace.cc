#include "model/keyspace.h"

#include <algorithm>
#include <utility>

#include "absl/strings/string_view.h"
#include "model/keyslot.h"
#include "model/types.h"
#include "sim/check.h"
#include "sim/hash.h"

namespace slotsim::model {
namespace {

void CheckSlot(int slot) { CHECK(slot >= 0 && slot < kClusterSlots) << "slot " << slot; }

// Debian's Abseil has its own absl::string_view (not an alias of
// std::string_view); the btree's transparent string comparator takes that type.
absl::string_view AsAbsl(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

const Value* Keyspace::Get(std::string_view key) const {
  auto slot_it = slots_.find(KeyHashSlot(key));
  if (slot_it == slots_.end()) return nullptr;
  auto it = slot_it->second.find(AsAbsl(key));
  return it == slot_it->second.end() ? nullptr : &it->second;
}

bool Keyspace::Set(std::string_view key, Value value) {
  SlotKeys& keys = slots_[KeyHashSlot(key)];
  auto it = keys.find(AsAbsl(key));
  if (it != keys.end()) {
    it->second = std::move(value);
    return false;
  }
  keys.emplace(std::string(key), std::move(value));
  ++size_;
  return true;
}

bool Keyspace::Del(std::string_view key) {
  auto slot_it = slots_.find(KeyHashSlot(key));
  if (slot_it == slots_.end()) return false;
  auto it = slot_it->second.find(AsAbsl(key));
  if (it == slot_it->second.end()) return false;
  slot_it->second.erase(it);
  if (slot_it->second.empty()) slots_.erase(slot_it);
  --size_;
  return true;
}

int Keyspace::CountKeysInSlot(int slot) const {
  CheckSlot(slot);
  auto it = slots_.find(slot);
  return it == slots_.end() ? 0 : static_cast<int>(it->second.size());
}

std::vector<std::string> Keyspace::GetKeysInSlot(int slot, int count) const {
  CheckSlot(slot);
  CHECK_GE(count, 0);
  std::vector<std::string> out;
  auto it = slots_.find(slot);
  if (it == slots_.end()) return out;
  out.reserve(std::min<size_t>(static_cast<size_t>(count), it->second.size()));
  for (const auto& entry : it->second) {
    if (static_cast<int>(out.size()) == count) break;
    out.push_back(entry.first);
  }
  return out;
}

int Keyspace::DelKeysInSlot(int slot) {
  CheckSlot(slot);
  auto it = slots_.find(slot);
  if (it == slots_.end()) return 0;
  const int n = static_cast<int>(it->second.size());
  slots_.erase(it);
  size_ -= n;
  return n;
}

void Keyspace::Clear() {
  slots_.clear();
  size_ = 0;
}

std::vector<int> Keyspace::SlotsWithKeys() const {
  std::vector<int> out;
  out.reserve(slots_.size());
  for (const auto& entry : slots_) out.push_back(entry.first);
  return out;
}

uint64_t Keyspace::Digest() const {
  sim::Hasher h;
  h.AddI64(size_);
  ForEach([&h](int slot, std::string_view key, const Value& value) {
    h.AddI64(slot).AddString(key).AddString(value.data).AddU64(value.version);
  });
  return h.digest();
}

}  // namespace slotsim::model
