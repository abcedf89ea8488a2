#include "scenarios/cursor.h"

#include "absl/strings/str_cat.h"

namespace slotsim::scenarios {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

Cursor Cursor::Root(const SourceMap* source, const Tree* tree, const Message& message) {
  const TextPos top = source != nullptr ? TextPos{1, 1} : TextPos{};
  return Cursor(source, tree, &message, top, "");
}

const FieldDescriptor* Cursor::Field(std::string_view name, int index) const {
  const FieldDescriptor* f =
      message_->GetDescriptor()->FindFieldByName(std::string(name));
  CHECK(f != nullptr);
  CHECK_EQ(f->is_repeated(), index >= 0);
  return f;
}

std::string Cursor::ChildPath(const FieldDescriptor* field, int index) const {
  std::string p = path_.empty() ? field->name() : absl::StrCat(path_, ".", field->name());
  if (index >= 0) absl::StrAppend(&p, "[", index, "]");
  return p;
}

int Cursor::RecordedOccurrences(const FieldDescriptor* field) const {
  if (tree_ == nullptr) return 0;
  int n = 0;
  while (tree_->GetLocation(field, n).line >= 0) ++n;
  return n;
}

std::vector<TextPos> Cursor::ElementStarts(const FieldDescriptor* field) const {
  std::vector<TextPos> out;
  const int occurrences = RecordedOccurrences(field);
  for (int k = 0; k < occurrences; ++k) {
    const auto loc = tree_->GetLocation(field, k);
    for (TextPos p : source_->ValueStarts(source_->FromTokenizer(loc.line, loc.column))) {
      out.push_back(p);
    }
  }
  return out;
}

Site Cursor::At(std::string_view name, int index) const {
  const FieldDescriptor* f = Field(name, index);
  Site site{pos_, ChildPath(f, index)};
  if (tree_ == nullptr || source_ == nullptr) return site;
  if (!f->is_repeated()) {
    const auto loc = tree_->GetLocation(f, -1);
    if (loc.line >= 0) site.pos = source_->FromTokenizer(loc.line, loc.column);
    return site;
  }
  const std::vector<TextPos> starts = ElementStarts(f);
  if (index < static_cast<int>(starts.size())) {
    site.pos = starts[index];
  } else if (!starts.empty()) {
    site.pos = starts.back();  // appended by an override: nearest written element
  }
  return site;
}

Site Cursor::AtAll(std::string_view name) const {
  const FieldDescriptor* f = Field(name, 0);
  Site site = At(name, 0);
  site.path = path_.empty() ? f->name() : absl::StrCat(path_, ".", f->name());
  return site;
}

Cursor Cursor::Child(std::string_view name, int index) const {
  const FieldDescriptor* f = Field(name, index);
  CHECK(f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE);
  const auto* refl = message_->GetReflection();
  const Message* child = f->is_repeated() ? &refl->GetRepeatedMessage(*message_, f, index)
                                          : &refl->GetMessage(*message_, f);
  const Tree* nested = nullptr;
  if (tree_ != nullptr) {
    if (!f->is_repeated()) {
      nested = tree_->GetTreeForNested(f, -1);
    } else if (RecordedOccurrences(f) == refl->FieldSize(*message_, f)) {
      // One recorded occurrence per element (no `f: [{...}, {...}]` lists), so
      // nested trees are indexed like elements.
      nested = tree_->GetTreeForNested(f, index);
    }
  }
  return Cursor(source_, nested, child, At(name, index).pos, ChildPath(f, index));
}

}  // namespace slotsim::scenarios
