// Cursor: a message inside a parsed text file, with where it and each of its
// fields were written and its field path ("faults[2].crash.node").
//
// Validation walks a scenario with cursors so every error names the position
// of the offending value. A field that is not written in the file (a default,
// or a value set by an override) reports the position of the nearest
// enclosing message that is written, or 1:1 at the top; a cursor made without
// a parse tree (a scenario built in code) reports no position at all.
//
// Example:
//   Cursor root = Cursor::Root(parsed.source(), parsed.tree(), scenario);
//   Cursor crash = root.Child("faults", 2).Child("crash");
//   Site s = crash.At("node");   // s.path == "faults[2].crash.node"

#ifndef SLOTSIM_SCENARIOS_CURSOR_H_
#define SLOTSIM_SCENARIOS_CURSOR_H_

#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "scenarios/diagnostics.h"
#include "scenarios/source_map.h"
#include "sim/check.h"

namespace slotsim::scenarios {

// A place to report a diagnostic: a position and a field path.
struct Site {
  TextPos pos;
  std::string path;
};

class Cursor {
 public:
  using Tree = google::protobuf::TextFormat::ParseInfoTree;

  // `source` and `tree` may be null (no positions); if given they must
  // outlive the cursor and every cursor made from it.
  static Cursor Root(const SourceMap* source, const Tree* tree,
                     const google::protobuf::Message& message);

  const google::protobuf::Message& message() const { return *message_; }
  template <typename T>
  const T& Get() const {
    CHECK(message_->GetDescriptor() == T::descriptor());
    return static_cast<const T&>(*message_);
  }
  const std::string& path() const { return path_; }

  // Where this message is written.
  Site Here() const { return Site{pos_, path_}; }
  // Where field `field` (element `index` of a repeated field) is written.
  // REQUIRES: `field` names a field of this message; index >= 0 exactly when
  // the field is repeated.
  Site At(std::string_view field, int index = -1) const;
  // A repeated field as a whole: where its first element is written (this
  // message's position if it has none), path without an index.
  Site AtAll(std::string_view field) const;
  // The message in field `field` (element `index` if repeated); the default
  // instance if the field is unset.
  Cursor Child(std::string_view field, int index = -1) const;

 private:
  Cursor(const SourceMap* source, const Tree* tree,
         const google::protobuf::Message* message, TextPos pos, std::string path)
      : source_(source),
        tree_(tree),
        message_(message),
        pos_(pos),
        path_(std::move(path)) {}

  const google::protobuf::FieldDescriptor* Field(std::string_view name, int index) const;
  // Where each element of repeated `field` starts, in element order.
  std::vector<TextPos> ElementStarts(
      const google::protobuf::FieldDescriptor* field) const;
  int RecordedOccurrences(const google::protobuf::FieldDescriptor* field) const;
  std::string ChildPath(const google::protobuf::FieldDescriptor* field, int index) const;

  const SourceMap* source_;
  const Tree* tree_;
  const google::protobuf::Message* message_;
  TextPos pos_;
  std::string path_;
};

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_CURSOR_H_
