#include "model/marks.h"

namespace slotsim::model::marks {
namespace {

// std::map nodes never move, so the pointers handed out by Register stay
// valid; ordered so Snapshot() is sorted by name.
std::map<std::string, uint64_t, std::less<>>& Registry() {
  static thread_local std::map<std::string, uint64_t, std::less<>> registry;
  return registry;
}

}  // namespace

uint64_t* Register(std::string_view name) {
  auto& reg = Registry();
  auto it = reg.find(name);
  if (it == reg.end()) it = reg.emplace(std::string(name), 0).first;
  return &it->second;
}

uint64_t Count(std::string_view name) {
  const auto& reg = Registry();
  auto it = reg.find(name);
  return it == reg.end() ? 0 : it->second;
}

void Reset() {
  for (auto& [name, count] : Registry()) count = 0;
}

std::map<std::string, uint64_t> Snapshot() {
  std::map<std::string, uint64_t> out;
  for (const auto& [name, count] : Registry()) {
    if (count > 0) out.emplace(name, count);
  }
  return out;
}

}  // namespace slotsim::model::marks
