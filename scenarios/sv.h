// Conversions between std::string_view and absl::string_view.
//
// Debian 12's Abseil is built with ABSL_OPTION_USE_STD_STRING_VIEW 0, so
// absl::string_view is its own type: absl functions (StrCat, SimpleAtoi,
// StrSplit, ...) do not take a std::string_view, and Status::message() is not
// one. These two helpers cross the boundary without copying.

#ifndef SLOTSIM_SCENARIOS_SV_H_
#define SLOTSIM_SCENARIOS_SV_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace slotsim::scenarios {

inline absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view Std(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_SV_H_
