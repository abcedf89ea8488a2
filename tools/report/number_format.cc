#include "tools/report/number_format.h"

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "sim/check.h"

namespace slotsim::tools {
namespace {

// Returns "nan", "inf" or "-inf", or an empty string for a finite value.
std::string NonFinite(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return "";
}

// True if `text` is a minus sign followed only by zeros and at most one point.
bool IsNegativeZeroText(const std::string& text) {
  if (text.empty() || text[0] != '-') return false;
  for (size_t i = 1; i < text.size(); ++i) {
    if (text[i] != '0' && text[i] != '.') return false;
  }
  return true;
}

}  // namespace

std::string FormatShortest(double value) {
  if (!std::isfinite(value)) return NonFinite(value);
  if (value == 0) return "0";  // Also catches -0.0.
  char buffer[64];
  std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  CHECK(result.ec == std::errc());
  return std::string(buffer, result.ptr);
}

std::string FormatFixed(double value, int decimals) {
  CHECK_GE(decimals, 0);
  CHECK_LE(decimals, 17);
  if (!std::isfinite(value)) return NonFinite(value);
  // 1.8e308 has 309 integer digits; leave room for sign, point and decimals.
  char buffer[400];
  std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value,
                                              std::chars_format::fixed, decimals);
  CHECK(result.ec == std::errc());
  std::string text(buffer, result.ptr);
  if (IsNegativeZeroText(text)) text.erase(0, 1);
  return text;
}

std::string FormatTrimmed(double value, int max_decimals) {
  std::string text = FormatFixed(value, max_decimals);
  if (text.find('.') == std::string::npos) return text;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

}  // namespace slotsim::tools
