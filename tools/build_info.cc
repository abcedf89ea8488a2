#include "tools/build_info.h"

#include <cstdio>
#include <fstream>
#include <iterator>

#include "sim/hash.h"

namespace slotsim::tools {

std::string BuildId() {
  static const std::string id = [] {
    std::ifstream in("/proc/self/exe", std::ios::binary);
    if (!in) return std::string("slotsim-") + kVersion + "+unknown";
    sim::Hasher h;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      h.AddString(std::string_view(buf, static_cast<size_t>(in.gcount())));
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h.digest()));
    return std::string("slotsim-") + kVersion + "+" + hex;
  }();
  return id;
}

}  // namespace slotsim::tools
