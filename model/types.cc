#include "model/types.h"

#include "sim/check.h"
#include "sim/hash.h"

namespace slotsim::model {

NodeName NodeName::Random(sim::Rng& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  NodeName n;
  for (int i = 0; i < kNameLen; i += 16) {
    uint64_t bits = rng.Next();
    for (int k = 0; k < 16 && i + k < kNameLen; ++k) {
      n.chars_[i + k] = kHex[(bits >> (4 * k)) & 15];
    }
  }
  return n;
}

std::optional<NodeName> NodeName::Parse(std::string_view text) {
  if (text.size() != kNameLen) return std::nullopt;
  NodeName n;
  for (int i = 0; i < kNameLen; ++i) {
    char c = text[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
    n.chars_[i] = c;
  }
  return n;
}

NodeName NodeName::FromString(std::string_view text) {
  CHECK_EQ(text.size(), static_cast<size_t>(kNameLen)) << text;
  NodeName n;
  std::memcpy(n.chars_.data(), text.data(), kNameLen);
  return n;
}

void SlotBitmap::SetRange(int first, int last) {
  CHECK(0 <= first && first <= last && last < kClusterSlots);
  for (int s = first; s <= last; ++s) Set(s);
}

uint64_t SlotBitmap::Digest() const {
  if (!digest_valid_) {
    // Two lanes folded over every word, then mixed: cheaper than a full mix
    // per word, and still sensitive to every bit and its position.
    uint64_t a = 0x243f6a8885a308d3ULL, b = 0x13198a2e03707344ULL;
    for (uint64_t w : words_) {
      a = (a ^ w) * 0x100000001b3ULL;
      b = (b + w) * 0x9e3779b97f4a7c15ULL + 1;
    }
    digest_ = sim::Mix64(a ^ sim::Mix64(b));
    digest_valid_ = true;
  }
  return digest_;
}

int SlotBitmap::Count() const {
  int n = 0;
  for (uint64_t w : words_) n += __builtin_popcountll(w);
  return n;
}

bool SlotBitmap::None() const {
  for (uint64_t w : words_) {
    if (w != 0) return false;
  }
  return true;
}

std::vector<std::pair<int, int>> SlotBitmap::Ranges() const {
  std::vector<std::pair<int, int>> out;
  int start = -1;
  for (int s = 0; s <= kClusterSlots; ++s) {
    bool on = s < kClusterSlots && Test(s);
    if (on && start < 0) start = s;
    if (!on && start >= 0) {
      out.emplace_back(start, s - 1);
      start = -1;
    }
  }
  return out;
}

std::string SlotBitmap::ToRangeString() const {
  std::string out;
  for (auto [a, b] : Ranges()) {
    if (!out.empty()) out += ' ';
    out += std::to_string(a);
    if (b != a) {
      out += '-';
      out += std::to_string(b);
    }
  }
  return out;
}

}  // namespace slotsim::model
