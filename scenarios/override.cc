#include "scenarios/override.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/message.h"
#include "scenarios/suggest.h"
#include "scenarios/sv.h"
#include "sim/check.h"

namespace slotsim::scenarios {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

struct Segment {
  std::string name;
  int index = -1;  // -1: no [index]
};

absl::Status PathError(absl::string_view path, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("bad path \"", path, "\": ", message));
}

absl::StatusOr<std::vector<Segment>> SplitPath(absl::string_view path) {
  if (path.empty()) return PathError(path, "empty path");
  std::vector<Segment> out;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    Segment s;
    absl::string_view name = part;
    const size_t open = part.find('[');
    if (open != part.npos) {
      name = part.substr(0, open);
      absl::string_view idx = part.substr(open + 1);
      if (!absl::EndsWith(idx, "]")) return PathError(path, "missing ']'");
      idx.remove_suffix(1);
      if (idx.empty() || idx.find_first_not_of("0123456789") != idx.npos ||
          !absl::SimpleAtoi(idx, &s.index)) {
        return PathError(path, absl::StrCat("index \"", idx, "\" is not a number >= 0"));
      }
    }
    if (name.empty()) return PathError(path, "empty field name");
    s.name = std::string(name);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> FieldNames(const Descriptor* d) {
  std::vector<std::string> names;
  for (int i = 0; i < d->field_count(); ++i) names.push_back(d->field(i)->name());
  return names;
}

absl::StatusOr<const FieldDescriptor*> FindField(const Descriptor* d,
                                                 absl::string_view path,
                                                 const Segment& s) {
  const FieldDescriptor* f = d->FindFieldByName(s.name);
  if (f == nullptr) {
    std::string hint = DidYouMean(s.name, FieldNames(d));
    if (hint.empty())
      hint = absl::StrCat("its fields are ", absl::StrJoin(FieldNames(d), ", "));
    return PathError(
        path, absl::StrCat("no field \"", s.name, "\" in ", d->name(), "; ", hint));
  }
  if (f->is_repeated() && s.index < 0) {
    return PathError(
        path, absl::StrCat("\"", s.name, "\" is repeated; give an index, e.g. ", s.name,
                           "[0]"));
  }
  if (!f->is_repeated() && s.index >= 0) {
    return PathError(path,
                     absl::StrCat("\"", s.name, "\" is not repeated; drop the index"));
  }
  return f;
}

// Refuses to set `f` when it is in a oneof that holds another member.
absl::Status CheckOneof(const Message& m, const FieldDescriptor* f,
                        absl::string_view path) {
  const auto* oneof = f->containing_oneof();
  if (oneof == nullptr) return absl::OkStatus();
  const FieldDescriptor* set = m.GetReflection()->GetOneofFieldDescriptor(m, oneof);
  if (set == nullptr || set == f) return absl::OkStatus();
  return PathError(path, absl::StrCat("\"", f->name(), "\" is in oneof \"", oneof->name(),
                                      "\", which already holds \"", set->name(), "\""));
}

template <typename T>
absl::StatusOr<T> ParseInt(absl::string_view v, const FieldDescriptor* f) {
  T out{};
  const bool is_unsigned = !std::numeric_limits<T>::is_signed;
  if (is_unsigned && absl::StartsWith(v, "-")) {
    return absl::InvalidArgumentError(
        absl::StrCat(f->name(), " is unsigned (", f->type_name(), "); got \"", v, "\""));
  }
  if (!absl::SimpleAtoi(v, &out)) {
    // Distinguish "not a number" from "too big for the type".
    int64_t wide = 0;
    uint64_t uwide = 0;
    const bool number = absl::SimpleAtoi(v, &wide) || absl::SimpleAtoi(v, &uwide) ||
                        (!v.empty() && v.find_first_not_of("-0123456789") == v.npos &&
                         v.find_first_of("0123456789") != v.npos);
    if (number) {
      return absl::InvalidArgumentError(absl::StrCat(
          v, " is out of range for ", f->name(), " (", f->type_name(), ": ",
          std::numeric_limits<T>::min(), "..", std::numeric_limits<T>::max(), ")"));
    }
    return absl::InvalidArgumentError(absl::StrCat(f->name(), " takes an integer (",
                                                   f->type_name(), "); got \"", v, "\""));
  }
  return out;
}

absl::StatusOr<bool> ParseBool(absl::string_view v, const FieldDescriptor* f) {
  const std::string l = absl::AsciiStrToLower(v);
  if (l == "true" || l == "yes" || l == "1") return true;
  if (l == "false" || l == "no" || l == "0") return false;
  return absl::InvalidArgumentError(absl::StrCat(
      f->name(), " takes a boolean (true, false, yes, no, 1, 0); got \"", v, "\""));
}

absl::StatusOr<double> ParseDouble(absl::string_view v, const FieldDescriptor* f) {
  double d = 0;
  if (!absl::SimpleAtod(v, &d) || !std::isfinite(d)) {
    return absl::InvalidArgumentError(
        absl::StrCat(f->name(), " takes a finite number; got \"", v, "\""));
  }
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT &&
      std::fabs(d) > std::numeric_limits<float>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat(v, " is out of range for ", f->name(), " (float)"));
  }
  return d;
}

absl::StatusOr<int> ParseEnum(absl::string_view v, const FieldDescriptor* f) {
  const auto* e = f->enum_type();
  std::vector<std::string> names;
  for (int i = 0; i < e->value_count(); ++i) {
    names.push_back(e->value(i)->name());
    if (absl::EqualsIgnoreCase(e->value(i)->name(), v)) return e->value(i)->number();
  }
  int n = 0;
  if (absl::SimpleAtoi(v, &n) && e->FindValueByNumber(n) != nullptr) return n;
  return absl::InvalidArgumentError(absl::StrCat(
      f->name(), " takes one of ", absl::StrJoin(names, ", "), "; got \"", v, "\""));
}

absl::StatusOr<std::string> ParseString(absl::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    std::string out;
    std::string error;
    if (!absl::CUnescape(v.substr(1, v.size() - 2), &out, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad quoted string ", v, ": ", error));
    }
    return out;
  }
  return std::string(v);
}

// Sets scalar `f` of `m` (element `index` if repeated) from text `v`.
absl::Status SetScalar(Message* m, const FieldDescriptor* f, int index,
                       absl::string_view v) {
  const Reflection* r = m->GetReflection();
  const bool rep = f->is_repeated();
#define SLOTSIM_SET(Type, value) \
  (rep ? r->SetRepeated##Type(m, f, index, value) : r->Set##Type(m, f, value))
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      auto x = ParseInt<int32_t>(v, f);
      if (!x.ok()) return x.status();
      SLOTSIM_SET(Int32, *x);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      auto x = ParseInt<int64_t>(v, f);
      if (!x.ok()) return x.status();
      SLOTSIM_SET(Int64, *x);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      auto x = ParseInt<uint32_t>(v, f);
      if (!x.ok()) return x.status();
      SLOTSIM_SET(UInt32, *x);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      auto x = ParseInt<uint64_t>(v, f);
      if (!x.ok()) return x.status();
      SLOTSIM_SET(UInt64, *x);
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      auto x = ParseBool(v, f);
      if (!x.ok()) return x.status();
      SLOTSIM_SET(Bool, *x);
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      auto x = ParseDouble(v, f);
      if (!x.ok()) return x.status();
      SLOTSIM_SET(Double, *x);
      break;
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      auto x = ParseDouble(v, f);
      if (!x.ok()) return x.status();
      SLOTSIM_SET(Float, static_cast<float>(*x));
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      auto x = ParseEnum(v, f);
      if (!x.ok()) return x.status();
      SLOTSIM_SET(EnumValue, *x);
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      auto x = ParseString(v);
      if (!x.ok()) return x.status();
      SLOTSIM_SET(String, *x);
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return absl::InvalidArgumentError(
          absl::StrCat(f->name(), " is a message (", f->message_type()->name(),
                       "); set one of its fields: ",
                       absl::StrJoin(FieldNames(f->message_type()), ", ")));
  }
#undef SLOTSIM_SET
  return absl::OkStatus();
}

void AddDefaultElement(Message* m, const FieldDescriptor* f) {
  const Reflection* r = m->GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      r->AddInt32(m, f, 0);
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      r->AddInt64(m, f, 0);
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      r->AddUInt32(m, f, 0);
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      r->AddUInt64(m, f, 0);
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      r->AddBool(m, f, false);
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      r->AddDouble(m, f, 0);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      r->AddFloat(m, f, 0);
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      r->AddEnumValue(m, f, f->enum_type()->value(0)->number());
      break;
    case FieldDescriptor::CPPTYPE_STRING:
      r->AddString(m, f, "");
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      r->AddMessage(m, f);
      break;
  }
}

// grow: create missing repeated elements (for CheckOverride's scratch message).
// value == nullptr: only check that the path names a scalar field.
absl::Status SetPath(Message* m, absl::string_view path, const absl::string_view* value,
                     bool grow) {
  auto segments = SplitPath(path);
  if (!segments.ok()) return segments.status();
  for (size_t i = 0; i < segments->size(); ++i) {
    const Segment& s = (*segments)[i];
    auto f = FindField(m->GetDescriptor(), path, s);
    if (!f.ok()) return f.status();
    const FieldDescriptor* fd = *f;
    const Reflection* r = m->GetReflection();
    if (absl::Status st = CheckOneof(*m, fd, path); !st.ok()) return st;
    if (fd->is_repeated()) {
      while (grow && r->FieldSize(*m, fd) <= s.index) {
        AddDefaultElement(m, fd);
      }
      const int size = r->FieldSize(*m, fd);
      if (s.index >= size) {
        return PathError(
            path, absl::StrCat(s.name, " has ", size, " element", size == 1 ? "" : "s",
                               "; index ", s.index, " is out of range"));
      }
    }
    const bool last = i + 1 == segments->size();
    if (last && value == nullptr) {
      if (fd->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return absl::OkStatus();
      return PathError(
          path, absl::StrCat("\"", s.name, "\" is a message (",
                             fd->message_type()->name(), "); name one of its fields: ",
                             absl::StrJoin(FieldNames(fd->message_type()), ", ")));
    }
    if (last) {
      const absl::Status st = SetScalar(m, fd, s.index, *value);
      if (!st.ok()) {
        return absl::Status(st.code(),
                            absl::StrCat("bad value for ", path, ": ", st.message()));
      }
      return st;
    }
    if (fd->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      return PathError(
          path, absl::StrCat("\"", s.name, "\" is a scalar; nothing comes after it"));
    }
    m = fd->is_repeated() ? r->MutableRepeatedMessage(m, fd, s.index)
                          : r->MutableMessage(m, fd);
  }
  return absl::OkStatus();
}

std::unique_ptr<Message> NewMessage(const Descriptor* type) {
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  CHECK(prototype != nullptr);
  return std::unique_ptr<Message>(prototype->New());
}

}  // namespace

std::string OverridePath(std::string_view assignment) {
  const size_t eq = assignment.find('=');
  if (eq == assignment.npos) return "";
  return std::string(absl::StripAsciiWhitespace(Sv(assignment.substr(0, eq))));
}

absl::Status SetFieldByPath(Message* message, std::string_view path,
                            std::string_view value) {
  const absl::string_view v = Sv(value);
  return SetPath(message, Sv(path), &v, /*grow=*/false);
}

absl::Status ApplyOverride(Message* message, std::string_view assignment) {
  const size_t eq = assignment.find('=');
  if (eq == assignment.npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad override \"", Sv(assignment), "\": expected PATH=VALUE"));
  }
  const absl::string_view path = absl::StripAsciiWhitespace(Sv(assignment.substr(0, eq)));
  const absl::string_view value =
      absl::StripAsciiWhitespace(Sv(assignment.substr(eq + 1)));
  return SetPath(message, path, &value, /*grow=*/false);
}

absl::Status ApplyOverride(Scenario* scenario, std::string_view assignment) {
  return ApplyOverride(static_cast<Message*>(scenario), assignment);
}

absl::Status CheckOverride(const Descriptor* type, std::string_view assignment) {
  const size_t eq = assignment.find('=');
  if (eq == assignment.npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad override \"", Sv(assignment), "\": expected PATH=VALUE"));
  }
  const absl::string_view value =
      absl::StripAsciiWhitespace(Sv(assignment.substr(eq + 1)));
  std::unique_ptr<Message> scratch = NewMessage(type);
  return SetPath(scratch.get(), absl::StripAsciiWhitespace(Sv(assignment.substr(0, eq))),
                 &value,
                 /*grow=*/true);
}

absl::Status CheckOverridePath(const Descriptor* type, std::string_view path) {
  std::unique_ptr<Message> scratch = NewMessage(type);
  return SetPath(scratch.get(), absl::StripAsciiWhitespace(Sv(path)), nullptr,
                 /*grow=*/true);
}

}  // namespace slotsim::scenarios
