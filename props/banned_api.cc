#include "props/banned_api.h"

#include <cctype>
#include <regex>
#include <string>

namespace slotsim::props {
namespace {

// (Debian's Abseil has its own string_view type, so plain helpers here.)
std::string_view Strip(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::vector<std::string_view> SplitLines(std::string_view s) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (true) {
    const size_t end = s.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(s.substr(start));
      return lines;
    }
    lines.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

struct Rule {
  const char* name;
  std::regex pattern;
  bool lookup_only_allowed;
};

const std::vector<Rule>& Rules() {
  static const auto* rules = new std::vector<Rule>{
      {"hash-map",
       std::regex(R"(\b(unordered_(multi)?(map|set)|(flat|node)_hash_(map|set))\b)"),
       true},
      {"bitgen", std::regex(R"(\w*BitGen\w*)"), false},
      {"distribution", std::regex(R"(\w+_distribution\s*<)"), false},
      {"rand", std::regex(R"(\bs?rand\s*\()"), false},
      {"random-device", std::regex(R"(\brandom_device\b)"), false},
      {"wall-clock",
       std::regex(
           R"(\b(system_clock|steady_clock|high_resolution_clock|gettimeofday|)"
           R"(clock_gettime)\b|\babsl::Now\b|\btime\s*\(\s*(nullptr|NULL|0)\s*\))"),
       false},
      {"thread", std::regex(R"(\bstd::(thread|jthread|async)\b|\bpthread\w*)"), false},
      {"getenv", std::regex(R"(\b(secure_)?getenv\b)"), false},
      {"file-io", std::regex(R"(\b(fopen|ifstream|ofstream|fstream)\b)"), false},
  };
  return *rules;
}

bool HasLookupOnlyReason(std::string_view raw_line) {
  const size_t at = raw_line.find("lookup-only:");
  if (at == std::string_view::npos) return false;
  const std::string_view reason =
      Strip(raw_line.substr(at + std::string_view("lookup-only:").size()));
  return !reason.empty();
}

bool IsBlank(std::string_view s) { return Strip(s).empty(); }

// The line itself, the line above, and the comment-only lines directly above.
bool ExemptAsLookupOnly(const std::vector<std::string_view>& raw,
                        const std::vector<std::string>& code, size_t index) {
  if (HasLookupOnlyReason(raw[index])) return true;
  for (size_t i = index; i-- > 0;) {
    if (HasLookupOnlyReason(raw[i])) return true;
    // Keep climbing only through comment-only lines.
    if (IsBlank(raw[i]) || !IsBlank(code[i])) return false;
  }
  return false;
}

}  // namespace

std::string Violation::ToString() const {
  return file + ":" + std::to_string(line) + ": " + rule + ": " + text;
}

bool ShouldScan(std::string_view path) {
  if (!EndsWith(path, ".h") && !EndsWith(path, ".cc")) return false;
  return !EndsWith(path, "_test.cc") && !EndsWith(path, "_bench.cc");
}

std::vector<std::string> CodeLines(std::string_view source) {
  enum class State { kCode, kLineComment, kBlockComment, kString, kChar, kRawString };
  std::vector<std::string> lines(1);
  State state = State::kCode;
  std::string raw_delimiter;  // )delim" that ends a raw string
  for (size_t i = 0; i < source.size(); ++i) {
    const char c = source[i];
    const char next = i + 1 < source.size() ? source[i + 1] : '\0';
    if (c == '\n') {
      lines.emplace_back();
      // Line comments end here; so do unterminated ordinary literals (they
      // cannot span lines).
      if (state == State::kLineComment || state == State::kString ||
          state == State::kChar) {
        state = State::kCode;
      }
      continue;
    }
    std::string& out = lines.back();
    switch (state) {
      case State::kCode:
        if (c == '/' && next == '/') {
          state = State::kLineComment;
          out += ' ';
        } else if (c == '/' && next == '*') {
          state = State::kBlockComment;
          out += "  ";
          ++i;
        } else if (c == 'R' && next == '"' &&
                   (out.empty() ||
                    !(std::isalnum(static_cast<unsigned char>(out.back())) ||
                      out.back() == '_'))) {
          const size_t open = source.find('(', i + 2);
          if (open == std::string_view::npos) {
            out += c;
            break;
          }
          raw_delimiter = ")" + std::string(source.substr(i + 2, open - i - 2)) + "\"";
          state = State::kRawString;
          out += "R\"";
          ++i;
        } else if (c == '"') {
          state = State::kString;
          out += '"';
        } else if (c == '\'' && !out.empty() &&
                   std::isdigit(static_cast<unsigned char>(out.back()))) {
          out += c;  // a digit separator, as in 1'000'000
        } else if (c == '\'') {
          state = State::kChar;
          out += '\'';
        } else {
          out += c;
        }
        break;
      case State::kLineComment:
        out += ' ';
        break;
      case State::kBlockComment:
        if (c == '*' && next == '/') {
          state = State::kCode;
          out += "  ";
          ++i;
        } else {
          out += ' ';
        }
        break;
      case State::kString:
      case State::kChar:
        if (c == '\\' && next != '\n' && next != '\0') {
          out += "  ";
          ++i;
        } else if ((state == State::kString && c == '"') ||
                   (state == State::kChar && c == '\'')) {
          out += c;
          state = State::kCode;
        } else {
          out += ' ';
        }
        break;
      case State::kRawString:
        if (source.substr(i, raw_delimiter.size()) == raw_delimiter) {
          out += std::string(raw_delimiter.size() - 1, ' ') + '"';
          i += raw_delimiter.size() - 1;
          state = State::kCode;
        } else {
          out += ' ';
        }
        break;
    }
  }
  return lines;
}

std::vector<Violation> ScanSource(std::string_view path, std::string_view source) {
  const std::vector<std::string> code = CodeLines(source);
  const std::vector<std::string_view> raw = SplitLines(source);
  std::vector<Violation> found;
  for (size_t i = 0; i < code.size(); ++i) {
    for (const Rule& rule : Rules()) {
      if (!std::regex_search(code[i], rule.pattern)) continue;
      if (rule.lookup_only_allowed && ExemptAsLookupOnly(raw, code, i)) continue;
      found.push_back(Violation{std::string(path), static_cast<int>(i + 1), rule.name,
                                std::string(Strip(raw[i]))});
    }
  }
  return found;
}

}  // namespace slotsim::props
