// Build identity for seed files and `slotsim version`.
//
// A seed file replays exactly on the same build (design brief), so seed files
// record which build wrote them. The build id is a 64-bit fingerprint of the
// running executable's bytes (/proc/self/exe): two binaries with the same id are
// the same program; Bazel's hermetic, deterministic builds give the same bytes
// for the same sources and toolchain.

#ifndef SLOTSIM_TOOLS_BUILD_INFO_H_
#define SLOTSIM_TOOLS_BUILD_INFO_H_

#include <string>

namespace slotsim::tools {

inline constexpr char kVersion[] = "0.1.0";
inline constexpr char kRedisVersion[] = "7.0.15";

// "slotsim-0.1.0+<16 hex digits>", or "slotsim-0.1.0+unknown".
std::string BuildId();

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_BUILD_INFO_H_
