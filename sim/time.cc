#include "sim/time.h"

#include <cstdio>
#include <cstdlib>

namespace slotsim::sim {
namespace {

// Formats |us| as seconds with `decimals` digits (3 or 6), truncating toward zero.
std::string Format(int64_t us, int decimals) {
  const bool negative = us < 0;
  // Work in unsigned to print INT64_MIN correctly.
  uint64_t mag = negative ? 0 - static_cast<uint64_t>(us) : static_cast<uint64_t>(us);
  uint64_t whole = mag / 1000000;
  uint64_t frac = mag % 1000000;
  if (decimals == 3) frac /= 1000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%llu.%0*llus", negative ? "-" : "",
                static_cast<unsigned long long>(whole), decimals,
                static_cast<unsigned long long>(frac));
  return buf;
}

}  // namespace

std::string Duration::ToString() const { return Format(us_, 3); }
std::string Duration::ToStringMicros() const { return Format(us_, 6); }

std::ostream& operator<<(std::ostream& out, Duration d) {
  return out << d.ToString();
}
std::ostream& operator<<(std::ostream& out, Time t) { return out << t.ToString(); }

}  // namespace slotsim::sim
