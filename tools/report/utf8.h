// UTF-8 validation for the text writers: JSON must stay valid JSON and SVG valid
// XML whatever bytes a label holds.
//
// Valid means RFC 3629: no overlong forms, no UTF-16 surrogates, nothing above
// U+10FFFF. Each byte that does not start a valid sequence counts as one invalid
// byte (the writers replace it with U+FFFD).

#ifndef SLOTSIM_TOOLS_REPORT_UTF8_H_
#define SLOTSIM_TOOLS_REPORT_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace slotsim::tools {

// Length (1..4) of the valid UTF-8 sequence starting at text[i], or 0 if the
// bytes there are not one. REQUIRES: i < text.size().
size_t Utf8SequenceLength(std::string_view text, size_t i);

// `text` with each invalid byte replaced by U+FFFD ("\xEF\xBF\xBD").
std::string SanitizeUtf8(std::string_view text);

// Number of code points in `text`, counting each invalid byte as one.
size_t Utf8Length(std::string_view text);

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_REPORT_UTF8_H_
