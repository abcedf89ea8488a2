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

namespace {

constexpr int kDumpRdbVersion = 10;  // RDB_VERSION in 7.0
constexpr size_t kDumpTrailer = 10;  // 2-byte version + 8-byte checksum

void PutU64(std::string* s, uint64_t v) {
  for (int i = 0; i < 8; ++i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t GetU64(std::string_view s) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= static_cast<uint64_t>(static_cast<unsigned char>(s[static_cast<size_t>(i)]))
         << (8 * i);
  }
  return v;
}

uint64_t Checksum(std::string_view s) { return sim::Hasher().AddString(s).digest(); }

}  // namespace

std::string SealDumpPayload(std::string body) {
  body.push_back(static_cast<char>(kDumpRdbVersion & 0xff));
  body.push_back(static_cast<char>((kDumpRdbVersion >> 8) & 0xff));
  PutU64(&body, Checksum(body));
  return body;
}

bool VerifyDumpPayload(std::string_view payload) {
  if (payload.size() < kDumpTrailer) return false;
  const size_t n = payload.size();
  const int rdbver = static_cast<unsigned char>(payload[n - 10]) |
                     (static_cast<unsigned char>(payload[n - 9]) << 8);
  if (rdbver > kDumpRdbVersion) return false;
  return GetU64(payload.substr(n - 8)) == Checksum(payload.substr(0, n - 8));
}

std::string EncodeDumpPayload(const Value& value) {
  std::string body;
  body.reserve(value.data.size() + 9 + kDumpTrailer);
  body.push_back('\0');
  PutU64(&body, value.version);
  body += value.data;
  return SealDumpPayload(std::move(body));
}

std::optional<Value> DecodeDumpPayload(std::string_view payload) {
  if (!VerifyDumpPayload(payload)) return std::nullopt;
  const std::string_view body = payload.substr(0, payload.size() - kDumpTrailer);
  if (body.size() < 9 || body[0] != '\0') return std::nullopt;
  return Value{std::string(body.substr(9)), GetU64(body.substr(1, 8))};
}

std::string DigestValueHex(const Value* value) {
  if (value == nullptr) return std::string(40, '0');
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(48);
  for (uint64_t salt = 1; salt <= 3; ++salt) {
    const uint64_t d = sim::Hasher(salt).AddString(value->data).digest();
    for (int i = 15; i >= 0; --i) out.push_back(kHex[(d >> (4 * i)) & 0xf]);
  }
  out.resize(40);
  return out;
}

}  // namespace slotsim::model
