// ParseJson: a strict recursive-descent reader for RFC 8259 JSON (see json.h).

#include <charconv>
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "tools/report/json.h"

namespace slotsim::tools {

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  absl::StatusOr<Json> ParseDocument() {
    SkipWhitespace();
    Json value;
    if (absl::Status status = ParseValue(0, &value); !status.ok()) return status;
    SkipWhitespace();
    if (pos_ != text_.size()) return Error("unexpected text after the JSON value");
    return value;
  }

 private:
  static constexpr int kMaxDepth = 256;

  absl::Status Error(const std::string& what) const {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "JSON line ", line, ", column ", column, " (offset ", pos_, "): ", what));
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  void SkipWhitespace() {
    while (!AtEnd() &&
           (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      ++pos_;
    }
  }

  bool ConsumeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  absl::Status ParseValue(int depth, Json* out) {
    if (depth > kMaxDepth) return Error("nesting deeper than 256 levels");
    switch (Peek()) {
      case '{':
        return ParseObject(depth, out);
      case '[':
        return ParseArray(depth, out);
      case '"': {
        std::string text;
        if (absl::Status status = ParseString(&text); !status.ok()) return status;
        *out = Json(std::move(text));
        return absl::OkStatus();
      }
      case 't':
        if (!ConsumeWord("true")) return Error("expected 'true'");
        *out = Json(true);
        return absl::OkStatus();
      case 'f':
        if (!ConsumeWord("false")) return Error("expected 'false'");
        *out = Json(false);
        return absl::OkStatus();
      case 'n':
        if (!ConsumeWord("null")) return Error("expected 'null'");
        *out = Json();
        return absl::OkStatus();
      default:
        if (Peek() == '-' || (Peek() >= '0' && Peek() <= '9')) return ParseNumber(out);
        return Error(AtEnd() ? "unexpected end of input, expected a value"
                             : "expected a value");
    }
  }

  absl::Status ParseObject(int depth, Json* out) {
    ++pos_;  // '{'
    Json object = Json::Object();
    std::set<std::string> keys;
    SkipWhitespace();
    if (Peek() == '}') {
      ++pos_;
      *out = std::move(object);
      return absl::OkStatus();
    }
    while (true) {
      SkipWhitespace();
      if (Peek() != '"') return Error("expected '\"' to start an object key");
      const size_t key_pos = pos_;
      std::string key;
      if (absl::Status status = ParseString(&key); !status.ok()) return status;
      if (!keys.insert(key).second) {
        pos_ = key_pos;
        return Error(absl::StrCat("duplicate key ", JsonQuote(key)));
      }
      SkipWhitespace();
      if (Peek() != ':') return Error("expected ':'");
      ++pos_;
      SkipWhitespace();
      Json value;
      if (absl::Status status = ParseValue(depth + 1, &value); !status.ok())
        return status;
      object.members_.emplace_back(std::move(key), std::move(value));
      SkipWhitespace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == '}') {
        ++pos_;
        *out = std::move(object);
        return absl::OkStatus();
      }
      return Error("expected ',' or '}'");
    }
  }

  absl::Status ParseArray(int depth, Json* out) {
    ++pos_;  // '['
    Json array = Json::Array();
    SkipWhitespace();
    if (Peek() == ']') {
      ++pos_;
      *out = std::move(array);
      return absl::OkStatus();
    }
    while (true) {
      SkipWhitespace();
      Json value;
      if (absl::Status status = ParseValue(depth + 1, &value); !status.ok())
        return status;
      array.elements_.push_back(std::move(value));
      SkipWhitespace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == ']') {
        ++pos_;
        *out = std::move(array);
        return absl::OkStatus();
      }
      return Error("expected ',' or ']'");
    }
  }

  // Reads four hex digits at pos_.
  absl::Status ParseHex4(uint32_t* out) {
    *out = 0;
    for (int i = 0; i < 4; ++i, ++pos_) {
      char c = Peek();
      uint32_t digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return Error("expected 4 hex digits after \\u");
      }
      *out = *out * 16 + digit;
    }
    return absl::OkStatus();
  }

  static void AppendUtf8(uint32_t code_point, std::string* out) {
    if (code_point < 0x80) {
      out->push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
      out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else if (code_point < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
      out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
      out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    }
  }

  // \uXXXX, possibly the first half of a surrogate pair; pos_ is after the 'u'.
  absl::Status ParseUnicodeEscape(std::string* out) {
    uint32_t unit;
    if (absl::Status status = ParseHex4(&unit); !status.ok()) return status;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return Error("unpaired low surrogate");
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (!ConsumeWord("\\u")) return Error("expected a low surrogate after a high one");
      uint32_t low;
      if (absl::Status status = ParseHex4(&low); !status.ok()) return status;
      if (low < 0xDC00 || low > 0xDFFF) return Error("expected a low surrogate");
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(unit, out);
    return absl::OkStatus();
  }

  absl::Status ParseString(std::string* out) {
    ++pos_;  // '"'
    while (true) {
      if (AtEnd()) return Error("unterminated string");
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return absl::OkStatus();
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return Error("control character in string (must be escaped)");
      }
      if (c != '\\') {
        out->push_back(c);  // UTF-8 passes through unchecked.
        ++pos_;
        continue;
      }
      ++pos_;
      char escape = Peek();
      ++pos_;
      switch (escape) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u':
          if (absl::Status status = ParseUnicodeEscape(out); !status.ok()) return status;
          break;
        default:
          --pos_;
          return Error("invalid escape in string");
      }
    }
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  absl::Status ParseNumber(Json* out) {
    const size_t start = pos_;
    const auto digits = [&] {
      size_t first = pos_;
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
      return pos_ - first;
    };
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (digits() == 0) {
      return Error("expected a digit");
    }
    bool integral = true;
    if (Peek() == '.') {
      ++pos_;
      integral = false;
      if (digits() == 0) return Error("expected a digit after '.'");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      integral = false;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (digits() == 0) return Error("expected a digit in the exponent");
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (integral) {
      int64_t as_signed;
      if (std::from_chars(first, last, as_signed).ec == std::errc()) {
        *out = Json(as_signed);
        return absl::OkStatus();
      }
      uint64_t as_unsigned;
      if (*first != '-' && std::from_chars(first, last, as_unsigned).ec == std::errc()) {
        *out = Json(as_unsigned);
        return absl::OkStatus();
      }
    }
    double value;
    std::from_chars_result result = std::from_chars(first, last, value);
    if (result.ec != std::errc() || !std::isfinite(value)) {
      pos_ = start;
      return Error("number out of range");
    }
    *out = Json(value);
    return absl::OkStatus();
  }

  std::string_view text_;
  size_t pos_ = 0;
};

absl::StatusOr<Json> ParseJson(std::string_view text) {
  return JsonParser(text).ParseDocument();
}

}  // namespace slotsim::tools
