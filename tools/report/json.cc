#include "tools/report/json.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/check.h"
#include "tools/report/number_format.h"
#include "tools/report/utf8.h"

namespace slotsim::tools {
namespace {

void AppendDouble(double value, int decimals, std::string* out) {
  if (!std::isfinite(value)) {
    out->append("null");
    return;
  }
  if (decimals >= 0) {
    out->append(FormatFixed(value, decimals));
    return;
  }
  std::string text = FormatShortest(value);
  // Keep integral doubles recognisable as doubles when read back.
  if (text.find_first_of(".e") == std::string::npos) text.append(".0");
  out->append(text);
}

void AppendNewline(int indent, int depth, std::string* out) {
  out->push_back('\n');
  out->append(static_cast<size_t>(indent) * depth, ' ');
}

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t length = Utf8SequenceLength(text, i);
      if (length == 0) {
        out->append("\\ufffd");
        ++i;
      } else {
        out->append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

std::string JsonQuote(std::string_view text) {
  std::string out;
  AppendJsonString(text, &out);
  return out;
}

Json Json::Fixed(double value, int decimals) {
  CHECK_GE(decimals, 0);
  CHECK_LE(decimals, 17);
  Json json(value);
  json.decimals_ = decimals;
  return json;
}

bool Json::as_bool() const {
  CHECK(type_ == Type::kBool);
  return bool_;
}

int64_t Json::as_int() const {
  if (type_ == Type::kUint) {
    CHECK_LE(uint_, static_cast<uint64_t>(INT64_MAX));
    return static_cast<int64_t>(uint_);
  }
  CHECK(type_ == Type::kInt);
  return int_;
}

uint64_t Json::as_uint() const {
  if (type_ == Type::kInt) {
    CHECK_GE(int_, 0);
    return static_cast<uint64_t>(int_);
  }
  CHECK(type_ == Type::kUint);
  return uint_;
}

double Json::as_double() const {
  switch (type_) {
    case Type::kInt:
      return static_cast<double>(int_);
    case Type::kUint:
      return static_cast<double>(uint_);
    case Type::kDouble:
      return double_;
    default:
      CHECK(false) << "not a number";
  }
  return 0;
}

const std::string& Json::as_string() const {
  CHECK(type_ == Type::kString);
  return string_;
}

Json& Json::Append(Json value) {
  CHECK(type_ == Type::kArray);
  elements_.push_back(std::move(value));
  return *this;
}

const std::vector<Json>& Json::elements() const {
  CHECK(type_ == Type::kArray);
  return elements_;
}

size_t Json::size() const {
  if (type_ == Type::kArray) return elements_.size();
  if (type_ == Type::kObject) return members_.size();
  return 0;
}

Json& Json::Set(std::string_view key, Json value) {
  CHECK(type_ == Type::kObject);
  if (Json* existing = FindMutable(key)) {
    *existing = std::move(value);
  } else {
    members_.emplace_back(std::string(key), std::move(value));
  }
  return *this;
}

const Json* Json::Find(std::string_view key) const {
  CHECK(type_ == Type::kObject);
  for (const Member& member : members_) {
    if (member.first == key) return &member.second;
  }
  return nullptr;
}

Json* Json::FindMutable(std::string_view key) {
  return const_cast<Json*>(static_cast<const Json*>(this)->Find(key));
}

const std::vector<Json::Member>& Json::members() const {
  CHECK(type_ == Type::kObject);
  return members_;
}

std::string Json::Dump() const {
  std::string out;
  DumpTo(&out);
  return out;
}

void Json::DumpTo(std::string* out) const { Write(out, 0, 0); }

std::string Json::Pretty(int indent) const {
  CHECK_GT(indent, 0);
  std::string out;
  Write(&out, indent, 0);
  return out;
}

// indent == 0 means compact.
void Json::Write(std::string* out, int indent, int depth) const {
  switch (type_) {
    case Type::kNull:
      out->append("null");
      return;
    case Type::kBool:
      out->append(bool_ ? "true" : "false");
      return;
    case Type::kInt:
      out->append(std::to_string(int_));
      return;
    case Type::kUint:
      out->append(std::to_string(uint_));
      return;
    case Type::kDouble:
      AppendDouble(double_, decimals_, out);
      return;
    case Type::kString:
      AppendJsonString(string_, out);
      return;
    case Type::kArray:
    case Type::kObject:
      break;
  }
  const bool is_array = type_ == Type::kArray;
  const size_t count = size();
  out->push_back(is_array ? '[' : '{');
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out->push_back(',');
    if (indent > 0) AppendNewline(indent, depth + 1, out);
    if (is_array) {
      elements_[i].Write(out, indent, depth + 1);
    } else {
      AppendJsonString(members_[i].first, out);
      out->append(indent > 0 ? ": " : ":");
      members_[i].second.Write(out, indent, depth + 1);
    }
  }
  if (indent > 0 && count > 0) AppendNewline(indent, depth, out);
  out->push_back(is_array ? ']' : '}');
}

bool Json::operator==(const Json& other) const {
  if (is_number() && other.is_number()) {
    if (type_ == Type::kDouble || other.type_ == Type::kDouble) {
      return type_ == other.type_ && double_ == other.double_;
    }
    // int vs uint: equal when both denote the same non-negative value.
    if (type_ == other.type_)
      return type_ == Type::kInt ? int_ == other.int_ : uint_ == other.uint_;
    const Json& signed_one = type_ == Type::kInt ? *this : other;
    const Json& unsigned_one = type_ == Type::kInt ? other : *this;
    return signed_one.int_ >= 0 &&
           static_cast<uint64_t>(signed_one.int_) == unsigned_one.uint_;
  }
  if (type_ != other.type_) return false;
  switch (type_) {
    case Type::kNull:
      return true;
    case Type::kBool:
      return bool_ == other.bool_;
    case Type::kString:
      return string_ == other.string_;
    case Type::kArray:
      return elements_ == other.elements_;
    case Type::kObject:
      return members_ == other.members_;
    default:
      return false;  // Numbers were handled above.
  }
}

}  // namespace slotsim::tools
