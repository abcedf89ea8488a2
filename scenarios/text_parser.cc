#include "scenarios/text_parser.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "scenarios/suggest.h"

namespace slotsim::scenarios {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;

// The quoted strings of a parser message, in order: `Field "a" ... "b"`.
std::vector<std::string> QuotedParts(std::string_view m) {
  std::vector<std::string> out;
  size_t at = 0;
  while ((at = m.find('"', at)) != std::string_view::npos) {
    const size_t end = m.find('"', at + 1);
    if (end == std::string_view::npos) break;
    out.emplace_back(m.substr(at + 1, end - at - 1));
    at = end + 1;
  }
  return out;
}

std::string ShortName(std::string_view full) {
  const size_t dot = full.rfind('.');
  return std::string(dot == full.npos ? full : full.substr(dot + 1));
}

// Enum types of the fields called `field` anywhere under `root`.
void FindEnumFields(const Descriptor* d, std::string_view field,
                    std::set<const Descriptor*>* seen,
                    std::set<const EnumDescriptor*>* out) {
  if (!seen->insert(d).second) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->enum_type() != nullptr && f->name() == field) out->insert(f->enum_type());
    if (f->message_type() != nullptr) FindEnumFields(f->message_type(), field, seen, out);
  }
}

// protobuf's messages start with a capital and end with a period; ours
// don't, like compiler diagnostics.
std::string Tidy(std::string m) {
  if (!m.empty() && m.back() == '.') m.pop_back();
  if (m.size() > 1 && absl::ascii_isupper(m[0]) && absl::ascii_islower(m[1])) {
    m[0] = absl::ascii_tolower(m[0]);
  }
  return m;
}

// "its fields are a, b, c" (the first kMaxListed, then how many more).
std::string FieldList(const std::vector<std::string>& names) {
  constexpr size_t kMaxListed = 12;
  if (names.size() <= kMaxListed)
    return absl::StrCat("its fields are ", absl::StrJoin(names, ", "));
  const std::vector<std::string> head(names.begin(), names.begin() + kMaxListed);
  return absl::StrCat("its fields are ", absl::StrJoin(head, ", "), " and ",
                      names.size() - kMaxListed, " more (docs/scenario-format.md)");
}

class Collector : public google::protobuf::io::ErrorCollector {
 public:
  Collector(const SourceMap* source, const Descriptor* root, Diagnostics* diags)
      : source_(source), root_(root), diags_(diags) {}

  void AddError(int line, int column, const std::string& message) override {
    Report(source_->FromTokenizer(line, column), message);
  }

  // With AllowUnknownField, unknown fields arrive here as warnings: they are
  // errors for us, but the parse goes on.
  void AddWarning(int line, int column, const std::string& message) override {
    const TextPos pos = source_->FromTokenizer(line, column);
    if (absl::StrContains(message, "has no field named")) {
      Report(pos, message);
    } else {
      diags_->Warning(pos, Tidy(message));
    }
  }

 private:
  void Report(TextPos pos, const std::string& m) {
    const std::vector<std::string> q = QuotedParts(m);
    if (absl::StartsWith(m, "Message type") &&
        absl::StrContains(m, "has no field named") && q.size() >= 2) {
      diags_->Error(source_->NameBefore(pos, q[1]), UnknownField(q[0], q[1]));
    } else if (absl::StartsWith(m, "Unknown enumeration value") && q.size() >= 2) {
      diags_->Error(source_->NameBefore(pos, q[0]), UnknownEnumValue(q[0], q[1]));
    } else if (absl::StartsWith(m, "Non-repeated field") && q.size() >= 1) {
      diags_->Error(
          source_->NameBefore(pos, q[0]),
          absl::StrCat("field \"", q[0], "\" is set twice (it takes one value)"));
    } else if (absl::StrContains(m, "another member of oneof") && q.size() >= 3) {
      diags_->Error(
          source_->NameBefore(pos, q[0]),
          absl::StrCat("field \"", q[0], "\" is set along with \"", q[1],
                       "\"; only one field of oneof \"", q[2], "\" may be set"));
    } else if (m == "Expected integer, got: -") {
      diags_->Error(
          pos, "expected an integer >= 0 (the field is unsigned), got a negative number");
    } else if (m == "Expected identifier, got: ") {
      diags_->Error(pos, "unexpected end of file: expected a field name or \"}\"");
    } else if (absl::StartsWith(m, "Expected") && absl::EndsWith(m, "got: ")) {
      diags_->Error(pos,
                    absl::StrCat(Tidy(m.substr(0, m.size() - 6)), ", got end of file"));
    } else {
      diags_->Error(pos, Tidy(m));
    }
  }

  std::string UnknownField(const std::string& type_name, const std::string& field) const {
    const Descriptor* d = root_->file()->pool()->FindMessageTypeByName(type_name);
    std::string out =
        absl::StrCat("unknown field \"", field, "\" in ", ShortName(type_name));
    if (d == nullptr) return out;
    std::vector<std::string> names;
    for (int i = 0; i < d->field_count(); ++i) names.push_back(d->field(i)->name());
    const std::string hint = DidYouMean(field, names);
    if (!hint.empty()) return absl::StrCat(out, "; ", hint);
    return absl::StrCat(out, "; ", FieldList(names));
  }

  std::string UnknownEnumValue(const std::string& value, const std::string& field) const {
    std::string out =
        absl::StrCat("unknown value \"", value, "\" for field \"", field, "\"");
    std::set<const Descriptor*> seen;
    std::set<const EnumDescriptor*> enums;
    FindEnumFields(root_, field, &seen, &enums);
    if (enums.size() != 1) return out;
    std::vector<std::string> names;
    const EnumDescriptor* e = *enums.begin();
    for (int i = 0; i < e->value_count(); ++i) names.push_back(e->value(i)->name());
    return absl::StrCat(out, "; expected one of ", absl::StrJoin(names, ", "));
  }

  const SourceMap* source_;
  const Descriptor* root_;
  Diagnostics* diags_;
};

}  // namespace

ParsedText::ParsedText(std::string_view text, google::protobuf::Message* message,
                       Diagnostics* diags)
    : source_(std::make_unique<SourceMap>(text)),
      tree_(std::make_unique<Cursor::Tree>()),
      message_(message) {
  message->Clear();
  Collector collector(source_.get(), message->GetDescriptor(), diags);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(tree_.get());
  parser.AllowUnknownField(true);
  google::protobuf::io::ArrayInputStream input(text.data(),
                                               static_cast<int>(text.size()));
  complete_ = parser.Parse(&input, message);
}

}  // namespace slotsim::scenarios
