// Json: a small JSON value with an insertion-ordered object, a deterministic
// writer (compact and pretty) and a strict parser.
//
// Used for summary.json, the Chrome trace and JSON Lines events. Output is a pure
// function of the value: object keys keep the order they were first set in, and
// numbers go through tools/report/number_format.h.
//
// Invariants and conventions:
//  - An object never holds the same key twice: Set() on an existing key replaces
//    the value in place (keeping the key's position).
//  - Integers are kept as int64 or uint64 exactly; doubles print as the shortest
//    text that reads back exactly, with ".0" added to integral values so they read
//    back as doubles ("2.0"), or with a fixed number of decimals (Json::Fixed).
//    NaN and infinities have no JSON spelling and print as null.
//  - Strings are UTF-8. The writer escapes '"', '\\' and every control character
//    below 0x20 (\n, \t, ... or \u00XX), passes valid UTF-8 through unchanged,
//    and replaces each byte of an invalid UTF-8 sequence with \ufffd so the
//    output is always valid JSON.
//  - The parser accepts RFC 8259 JSON only (no comments, no trailing commas, no
//    NaN), rejects duplicate keys, and nests at most 256 levels. Errors give the
//    byte offset, line and column: "line 3, column 7 (offset 42): expected ':'".
//    An integer literal becomes int64, else uint64, else a double.
//
// Example:
//   Json run = Json::Object();
//   run.Set("seed", uint64_t{42}).Set("promoted", true);
//   run.Set("failover_ms", Json::Fixed(1234.5678, 1));
//   run.Dump()   // {"seed":42,"promoted":true,"failover_ms":1234.6}
//   absl::StatusOr<Json> back = ParseJson(run.Dump());

#ifndef SLOTSIM_TOOLS_REPORT_JSON_H_
#define SLOTSIM_TOOLS_REPORT_JSON_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace slotsim::tools {

class Json {
 public:
  enum class Type { kNull, kBool, kInt, kUint, kDouble, kString, kArray, kObject };
  using Member = std::pair<std::string, Json>;

  Json() = default;  // null
  Json(std::nullptr_t) {}
  Json(bool value) : type_(Type::kBool), bool_(value) {}
  // Any integral type except bool: signed ones are stored as int64, unsigned as uint64.
  template <typename T, typename std::enable_if_t<
                            std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Json(T value) {
    if constexpr (std::is_signed_v<T>) {
      type_ = Type::kInt;
      int_ = static_cast<int64_t>(value);
    } else {
      type_ = Type::kUint;
      uint_ = static_cast<uint64_t>(value);
    }
  }
  Json(double value) : type_(Type::kDouble), double_(value) {}
  Json(const char* value) : type_(Type::kString), string_(value) {}
  Json(std::string_view value) : type_(Type::kString), string_(value) {}
  Json(std::string value) : type_(Type::kString), string_(std::move(value)) {}

  static Json Array() { return Json(Type::kArray); }
  static Json Object() { return Json(Type::kObject); }
  // A double written with exactly `decimals` digits after the point (0..17).
  static Json Fixed(double value, int decimals);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const {
    return type_ == Type::kInt || type_ == Type::kUint || type_ == Type::kDouble;
  }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  // Accessors CHECK the type. as_int() also takes a uint64 that fits; as_uint() a
  // non-negative int64; as_double() converts any number.
  bool as_bool() const;
  int64_t as_int() const;
  uint64_t as_uint() const;
  double as_double() const;
  const std::string& as_string() const;

  // Arrays (CHECK is_array()).
  Json& Append(Json value);
  const std::vector<Json>& elements() const;
  // Arrays and objects: number of elements or members; 0 for scalars.
  size_t size() const;

  // Objects (CHECK is_object()). Set returns *this for chaining. Lookups are
  // linear: objects written here are small (tens of keys).
  Json& Set(std::string_view key, Json value);
  const Json* Find(std::string_view key) const;  // nullptr if absent
  Json* FindMutable(std::string_view key);
  const std::vector<Member>& members() const;

  // Compact text: no whitespace at all.
  std::string Dump() const;
  void DumpTo(std::string* out) const;
  // Pretty text: `indent` spaces per level, "key": value, ending without newline.
  std::string Pretty(int indent = 2) const;

  // Structural equality; an int and a uint of the same value are equal, doubles
  // compare by value (the fixed precision is presentation only).
  bool operator==(const Json& other) const;
  bool operator!=(const Json& other) const { return !(*this == other); }

 private:
  friend class JsonParser;  // json_parser.cc: appends members without lookups.

  explicit Json(Type type) : type_(type) {}
  void Write(std::string* out, int indent, int depth) const;

  Type type_ = Type::kNull;
  bool bool_ = false;
  int64_t int_ = 0;
  uint64_t uint_ = 0;
  double double_ = 0;
  int decimals_ = -1;  // -1: shortest round-trip text.
  std::string string_;
  std::vector<Json> elements_;
  std::vector<Member> members_;
};

// Appends `text` as a quoted, escaped JSON string (see the file comment).
void AppendJsonString(std::string_view text, std::string* out);
std::string JsonQuote(std::string_view text);

// Parses one JSON value; whitespace around it is allowed, anything else is not.
absl::StatusOr<Json> ParseJson(std::string_view text);

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_REPORT_JSON_H_
