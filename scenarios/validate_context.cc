#include "scenarios/validate_context.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "scenarios/suggest.h"
#include "scenarios/sv.h"

namespace slotsim::scenarios {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

namespace {

int64_t IntValue(const Message& m, const FieldDescriptor* f) {
  const auto* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return r->GetInt32(m, f);
    case FieldDescriptor::CPPTYPE_INT64:
      return r->GetInt64(m, f);
    case FieldDescriptor::CPPTYPE_UINT32:
      return r->GetUInt32(m, f);
    case FieldDescriptor::CPPTYPE_UINT64: {
      const uint64_t v = r->GetUInt64(m, f);
      return v > static_cast<uint64_t>(kNoLimit) ? kNoLimit : static_cast<int64_t>(v);
    }
    default:
      CHECK(false);
      return 0;
  }
}

int64_t IntOf(const Cursor& c, const char* field) {
  const auto& m = c.message();
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(field);
  return f->cpp_type() == FieldDescriptor::CPPTYPE_INT32
             ? m.GetReflection()->GetInt32(m, f)
             : m.GetReflection()->GetInt64(m, f);
}

const FieldDescriptor* FieldOf(const Cursor& c, std::string_view name) {
  const FieldDescriptor* f =
      c.message().GetDescriptor()->FindFieldByName(std::string(name));
  CHECK(f != nullptr);
  return f;
}

}  // namespace

std::string Validator::Decorate(const Site& site, std::string_view message) const {
  std::string out = site.path.empty() ? std::string(message)
                                      : absl::StrCat(site.path, ": ", Sv(message));
  const auto it = options_.overrides.find(site.path);
  if (it != options_.overrides.end())
    absl::StrAppend(&out, " (set by --set ", it->second, ")");
  return out;
}

void Validator::Error(const Site& site, std::string_view message) {
  diags_->Error(site.pos, Decorate(site, message));
}

void Validator::Warning(const Site& site, std::string_view message) {
  diags_->Warning(site.pos, Decorate(site, message));
}

bool Validator::InRange(const Cursor& c, std::string_view field, int64_t lo, int64_t hi) {
  const int64_t v = IntValue(c.message(), FieldOf(c, field));
  if (v >= lo && v <= hi) return true;
  if (hi == kNoLimit) {
    Error(c.At(field), absl::StrCat("must be >= ", lo, ", got ", v));
  } else {
    Error(c.At(field), absl::StrCat("must be in ", lo, "..", hi, ", got ", v));
  }
  return false;
}

bool Validator::Required(const Cursor& c, std::string_view field) {
  const FieldDescriptor* f = FieldOf(c, field);
  const auto* r = c.message().GetReflection();
  const bool set =
      f->is_repeated() ? r->FieldSize(c.message(), f) > 0 : r->HasField(c.message(), f);
  if (!set) Error(f->is_repeated() ? c.AtAll(field) : c.At(field), "is required");
  return set;
}

void Validator::Unused(const Cursor& c, std::string_view field, std::string_view why) {
  const FieldDescriptor* f = FieldOf(c, field);
  if (c.message().GetReflection()->HasField(c.message(), f)) {
    Warning(c.At(field), absl::StrCat("has no effect: ", Sv(why)));
  }
}

void Validator::SetLayout(Layout layout) {
  layout_ = std::move(layout);
  names_known_ = true;
  nodes_.clear();
  clients_.clear();
  for (const NodeLayout& n : layout_.nodes) nodes_.insert(n.name);
  for (const std::string& c : layout_.clients) clients_.insert(c);
}

bool Validator::IsNode(std::string_view name) const {
  return nodes_.count(std::string(name)) > 0;
}

bool Validator::CheckName(const Cursor& c, std::string_view field, int index,
                        Endpoints which) {
  const FieldDescriptor* f = FieldOf(c, field);
  const auto* r = c.message().GetReflection();
  const std::string name = index >= 0 ? r->GetRepeatedString(c.message(), f, index)
                                      : r->GetString(c.message(), f);
  if (!names_known_) return true;
  if (nodes_.count(name) > 0) return true;
  const bool clients_ok = which == Endpoints::kNodesAndClients;
  if (clients_ok && clients_.count(name) > 0) return true;
  std::vector<std::string> valid = layout_.NodeNames();
  if (clients_ok)
    valid.insert(valid.end(), layout_.clients.begin(), layout_.clients.end());
  std::string msg;
  if (name.empty()) {
    msg = clients_ok ? "empty name; expected a node or client name" : "empty node name";
  } else if (!clients_ok && clients_.count(name) > 0) {
    msg = absl::StrCat("\"", name, "\" is a client; a node is expected here");
  } else {
    msg = absl::StrCat("unknown ", clients_ok ? "node or client" : "node", " \"", name,
                       "\"");
    const std::string hint = DidYouMean(name, valid);
    if (!hint.empty()) {
      absl::StrAppend(&msg, "; ", hint);
    } else if (valid.size() <= 24) {
      absl::StrAppend(&msg, "; ", clients_ok ? "endpoints" : "nodes", " are ",
                      absl::StrJoin(valid, " "));
    }
  }
  Error(c.At(field, index), msg);
  return false;
}

void Validator::CheckNames(const Cursor& c, std::string_view field, Endpoints which) {
  const std::vector<std::string> names = Strings(c, field);
  std::set<std::string> seen;
  for (int i = 0; i < static_cast<int>(names.size()); ++i) {
    if (!CheckName(c, field, i, which)) continue;
    if (!seen.insert(names[i]).second) {
      Error(c.At(field, i), absl::StrCat("\"", names[i], "\" is listed twice"));
    }
  }
}

std::vector<std::string> Validator::Strings(const Cursor& c, std::string_view field) {
  const FieldDescriptor* f = FieldOf(c, field);
  const auto* r = c.message().GetReflection();
  std::vector<std::string> out;
  for (int i = 0; i < r->FieldSize(c.message(), f); ++i) {
    out.push_back(r->GetRepeatedString(c.message(), f, i));
  }
  return out;
}

// Times in a file can be anything; sums of them must not overflow.
int64_t AddSaturating(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return b > 0 ? kNoLimit : -kNoLimit - 1;
  return sum;
}

bool IsNetworkFault(Action::KindCase k) {
  return k == Action::kPartition || k == Action::kBlock || k == Action::kClog ||
         k == Action::kDelay;
}

bool IsAdmin(Action::KindCase k) {
  return k == Action::kFailover || k == Action::kReshard || k == Action::kRebalance ||
         k == Action::kAddNode || k == Action::kDelNode || k == Action::kFix ||
         k == Action::kCommand || k == Action::kCreate;
}

bool TakesDuration(Action::KindCase k) {
  return IsNetworkFault(k) || k == Action::kCrash || k == Action::kPause;
}

std::string KindName(const Action& a) {
  const FieldDescriptor* f = Action::descriptor()->FindFieldByNumber(a.kind_case());
  return f == nullptr ? "" : f->name();
}

std::vector<std::string> OneofNames(const google::protobuf::Descriptor* d,
                                    const char* oneof) {
  std::vector<std::string> out;
  const auto* o = d->FindOneofByName(oneof);
  for (int i = 0; i < o->field_count(); ++i) out.push_back(o->field(i)->name());
  return out;
}

// A simulated time within the safety phase.
void CheckTime(const Cursor& c, const char* field, Validator* ck) {
  const int64_t v = IntOf(c, field);
  if (v < 0) {
    ck->Error(c.At(field), absl::StrCat("must be >= 0, got ", v));
  } else if (v > ck->duration_ms) {
    ck->Error(c.At(field),
              absl::StrCat(v, " ms is after the end of the run (duration_ms = ",
                           ck->duration_ms, ")"));
  }
}

// A required node-name field.
bool NodeField(const Cursor& c, const char* field, Validator* ck) {
  return ck->Required(c, field) && ck->CheckName(c, field, -1, Endpoints::kNodes);
}

// An optional node-name field.
void OptionalNode(const Cursor& c, const char* field, Validator* ck) {
  const FieldDescriptor* f = c.message().GetDescriptor()->FindFieldByName(field);
  if (c.message().GetReflection()->HasField(c.message(), f)) {
    ck->CheckName(c, field, -1, Endpoints::kNodes);
  }
}

}  // namespace slotsim::scenarios
