// SourceMap: the text of a parsed file, for turning parser positions into the
// positions a user sees.
//
// protobuf's tokenizer numbers lines and columns from 0 and expands a tab to
// the next multiple of 8 columns; users (and editors, and compilers) count
// from 1 with a tab as one column. SourceMap converts, and finds where each
// value of a repeated field starts, including the elements of a list written
// `nodes: ["m1", "m2"]`, for which the parser records one position only.

#ifndef SLOTSIM_SCENARIOS_SOURCE_MAP_H_
#define SLOTSIM_SCENARIOS_SOURCE_MAP_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/diagnostics.h"

namespace slotsim::scenarios {

class SourceMap {
 public:
  explicit SourceMap(std::string_view text);

  // `line` and `column` as protobuf's tokenizer gives them (0-based, tabs
  // expanded to multiples of 8) to a 1-based line and byte column.
  TextPos FromTokenizer(int line, int column) const;

  // The text of 1-based `line`, without its newline ("" if out of range).
  std::string_view Line(int line) const;

  // Start of the last whole-word occurrence of `name` before `pos`, looking
  // back at most 4 lines; `pos` itself if there is none. The parser reports
  // "field X ..." errors at the token after the name (or value); this moves
  // them back onto it.
  TextPos NameBefore(TextPos pos, std::string_view name) const;

  // Given where a field occurrence starts (its name), where each of its values
  // is: the name itself for `f: v` or `f { ... }`, the start of each element
  // for `f: [a, b, {...}]`.
  std::vector<TextPos> ValueStarts(TextPos field_start) const;

 private:
  size_t Offset(TextPos pos) const;
  TextPos PosAt(size_t offset) const;
  size_t SkipSpace(size_t o) const;
  size_t SkipValue(size_t o) const;

  std::string text_;
  std::vector<size_t> line_starts_;  // offset of each line's first byte
};

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_SOURCE_MAP_H_
