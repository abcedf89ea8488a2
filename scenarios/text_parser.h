// ParsedText: protobuf text format parsed into a message, with every error at
// file:line:column in words a user can act on, and a record of where each
// field was written (for later semantic errors, see cursor.h).
//
// Unknown field names do not stop the parse: each is an error with close
// valid names suggested, and parsing goes on so all of them are reported. Any
// other syntax error stops the parse (protobuf's parser cannot resume); the
// message is then incomplete and must not be used.

#ifndef SLOTSIM_SCENARIOS_TEXT_PARSER_H_
#define SLOTSIM_SCENARIOS_TEXT_PARSER_H_

#include <memory>
#include <string_view>

#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "scenarios/cursor.h"
#include "scenarios/diagnostics.h"
#include "scenarios/source_map.h"

namespace slotsim::scenarios {

class ParsedText {
 public:
  // Parses `text` into `message` (cleared first), reporting into `diags`.
  // REQUIRES: `message` outlives this object.
  ParsedText(std::string_view text, google::protobuf::Message* message,
             Diagnostics* diags);

  // False after a syntax error: the message is incomplete.
  bool complete() const { return complete_; }
  const SourceMap& source() const { return *source_; }
  const Cursor::Tree& tree() const { return *tree_; }
  Cursor Root() const { return Cursor::Root(source_.get(), tree_.get(), *message_); }

 private:
  std::unique_ptr<SourceMap> source_;
  std::unique_ptr<Cursor::Tree> tree_;
  const google::protobuf::Message* message_;
  bool complete_ = false;
};

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_TEXT_PARSER_H_
