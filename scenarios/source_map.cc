#include "scenarios/source_map.h"

#include <algorithm>

namespace slotsim::scenarios {
namespace {

constexpr int kTokenizerTabWidth = 8;  // protobuf io::Tokenizer's tab stop

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_';
}

}  // namespace

SourceMap::SourceMap(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::string_view SourceMap::Line(int line) const {
  if (line < 1 || line > static_cast<int>(line_starts_.size())) return {};
  const size_t start = line_starts_[line - 1];
  size_t end = text_.find('\n', start);
  if (end == std::string::npos) end = text_.size();
  return std::string_view(text_).substr(start, end - start);
}

TextPos SourceMap::FromTokenizer(int line, int column) const {
  const std::string_view text = Line(line + 1);
  int tcol = 0;
  size_t i = 0;
  for (; i < text.size() && tcol < column; ++i) {
    tcol = text[i] == '\t' ? tcol + kTokenizerTabWidth - tcol % kTokenizerTabWidth
                           : tcol + 1;
  }
  return TextPos{line + 1, static_cast<int>(i) + 1};
}

TextPos SourceMap::NameBefore(TextPos pos, std::string_view name) const {
  if (name.empty() || pos.line < 1) return pos;
  // The name is the token before `pos`, at most a few lines up (comments and
  // blank lines may sit between).
  constexpr int kLinesBack = 4;
  const size_t lo = line_starts_[std::max(0, pos.line - 1 - kLinesBack)];
  const std::string_view text(text_);
  const std::string_view prefix = text.substr(0, Offset(pos));
  size_t at = prefix.rfind(name);
  while (at != std::string_view::npos && at >= lo) {
    const bool left_ok = at == 0 || !IsIdentChar(text[at - 1]);
    const size_t end = at + name.size();
    const bool right_ok = end >= text.size() || !IsIdentChar(text[end]);
    if (left_ok && right_ok) return PosAt(at);
    if (at == 0) break;
    at = prefix.rfind(name, at - 1);
  }
  return pos;
}

size_t SourceMap::Offset(TextPos pos) const {
  if (pos.line < 1 || pos.line > static_cast<int>(line_starts_.size()))
    return text_.size();
  return std::min(text_.size(), line_starts_[pos.line - 1] + std::max(0, pos.column - 1));
}

TextPos SourceMap::PosAt(size_t offset) const {
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const size_t line = static_cast<size_t>(it - line_starts_.begin());  // 1-based
  return TextPos{static_cast<int>(line),
                 static_cast<int>(offset - line_starts_[line - 1]) + 1};
}

size_t SourceMap::SkipSpace(size_t o) const {
  while (o < text_.size()) {
    const char c = text_[o];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++o;
    } else if (c == '#') {
      while (o < text_.size() && text_[o] != '\n') ++o;
    } else {
      break;
    }
  }
  return o;
}

// Skips one value: string literals (adjacent ones concatenate), a {...} or
// <...> message, or a bare token (number, identifier).
size_t SourceMap::SkipValue(size_t o) const {
  if (o >= text_.size()) return o;
  const char c = text_[o];
  if (c == '"' || c == '\'') {
    while (o < text_.size() && (text_[o] == '"' || text_[o] == '\'')) {
      const char quote = text_[o++];
      while (o < text_.size() && text_[o] != quote && text_[o] != '\n') {
        o += text_[o] == '\\' ? 2 : 1;
      }
      o = SkipSpace(std::min(o + 1, text_.size()));
    }
    return o;
  }
  if (c == '{' || c == '<') {
    int depth = 0;
    while (o < text_.size()) {
      const char d = text_[o];
      if (d == '"' || d == '\'') {
        o = SkipValue(o);
        continue;
      }
      if (d == '#') {
        o = SkipSpace(o);
        continue;
      }
      if (d == '{' || d == '<') ++depth;
      if (d == '}' || d == '>') --depth;
      ++o;
      if (depth == 0) break;
    }
    return o;
  }
  while (o < text_.size() &&
         std::string_view(" \t\r\n,]}>#;").find(text_[o]) == std::string_view::npos) {
    ++o;
  }
  return o;
}

std::vector<TextPos> SourceMap::ValueStarts(TextPos field_start) const {
  size_t o = Offset(field_start);
  while (o < text_.size() && (IsIdentChar(text_[o]) || text_[o] == '.')) ++o;
  o = SkipSpace(o);
  if (o < text_.size() && text_[o] == ':') o = SkipSpace(o + 1);
  if (o >= text_.size() || text_[o] != '[') return {field_start};
  std::vector<TextPos> out;
  o = SkipSpace(o + 1);
  while (o < text_.size() && text_[o] != ']') {
    out.push_back(PosAt(o));
    o = SkipSpace(SkipValue(o));
    if (o < text_.size() && text_[o] == ',')
      o = SkipSpace(o + 1);
    else
      break;
  }
  if (out.empty()) out.push_back(field_start);
  return out;
}

}  // namespace slotsim::scenarios
