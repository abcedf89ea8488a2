// Banned-API scanner: finds uses of APIs that would make a run depend on
// something other than its seed (design brief, determinism rules; style
// practice 6, after TigerBeetle's tidy.zig).
//
// A source file is scanned line by line after comments and string and
// character literals are blanked out (so prose and #include "..." paths never
// match). Rules:
//   hash-map        unordered_map/set (and multi), flat_hash_map/set,
//                   node_hash_map/set: any use, since iteration order depends
//                   on a per-process seed. Allowed when the line, or the
//                   comment lines directly above it, carry `lookup-only:`
//                   followed by a reason.
//   bitgen          absl::BitGen and friends (any identifier containing BitGen)
//   distribution    std::*_distribution<...>
//   rand            rand( / srand(
//   random-device   random_device
//   wall-clock      system_clock, steady_clock, high_resolution_clock,
//                   absl::Now, gettimeofday, clock_gettime, time(nullptr)
//   thread          std::thread, std::jthread, std::async, pthread*
//   getenv          getenv, secure_getenv
//   file-io         fopen, ifstream, ofstream, fstream
// Files ending in _test.cc (tests) and _bench.cc (benchmarks, which measure
// wall time on purpose and never run inside a simulation) are not scanned.

#ifndef SLOTSIM_PROPS_BANNED_API_H_
#define SLOTSIM_PROPS_BANNED_API_H_

#include <string>
#include <string_view>
#include <vector>

namespace slotsim::props {

struct Violation {
  std::string file;
  int line = 0;  // 1-based
  std::string rule;
  std::string text;  // the offending source line, trimmed
  // "sim/foo.cc:12: wall-clock: auto t = std::chrono::steady_clock::now();"
  std::string ToString() const;
};

// Whether `path` is a file the rules apply to (.h or .cc, not a test or bench).
bool ShouldScan(std::string_view path);

// Each source line with comments and literals replaced by spaces. Line
// structure is kept: result[i] is line i + 1.
std::vector<std::string> CodeLines(std::string_view source);

// Every rule violation in `source`, in line order.
std::vector<Violation> ScanSource(std::string_view path, std::string_view source);

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_BANNED_API_H_
