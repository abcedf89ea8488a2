// Number formatting shared by the report writers (JSON, CSV, SVG).
//
// Every function here is deterministic: the same double gives the same bytes on
// every run, locale and platform, because it goes through std::to_chars (exact,
// correctly rounded, locale-independent) and never through printf or iostreams.
//
// Non-finite values are spelled "nan", "inf" and "-inf"; each output format decides
// how to map them (JSON writes null, CSV writes an empty field or "Inf").
//
// Example:
//   FormatShortest(0.1)        // "0.1"  (the shortest text that parses back exactly)
//   FormatShortest(1e21)       // "1e+21"
//   FormatFixed(2.0 / 3, 3)    // "0.667"
//   FormatFixed(-0.0001, 2)    // "0.00" (a negative zero is never printed)
//   FormatTrimmed(12.50, 2)    // "12.5"

#ifndef SLOTSIM_TOOLS_REPORT_NUMBER_FORMAT_H_
#define SLOTSIM_TOOLS_REPORT_NUMBER_FORMAT_H_

#include <string>

namespace slotsim::tools {

// The shortest decimal text that reads back as exactly `value` (std::to_chars
// without a format: fixed or scientific, whichever is shorter). -0.0 prints "0".
std::string FormatShortest(double value);

// Exactly `decimals` digits after the point (0 <= decimals <= 17), rounded to
// nearest. A result that would read "-0.00" prints "0.00".
std::string FormatFixed(double value, int decimals);

// FormatFixed, then trailing zeros and a trailing point removed: "3.10" -> "3.1",
// "4.00" -> "4". For coordinates and tick labels.
std::string FormatTrimmed(double value, int max_decimals);

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_REPORT_NUMBER_FORMAT_H_
