#include "tools/report/svg.h"

#include <string>
#include <string_view>

#include "sim/check.h"
#include "tools/report/number_format.h"
#include "tools/report/utf8.h"

namespace slotsim::tools {

std::string SvgEscape(std::string_view text) {
  const std::string clean = SanitizeUtf8(text);
  std::string out;
  out.reserve(clean.size());
  for (char c : clean) {
    switch (c) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        out.append("&quot;");
        break;
      case '\'':
        out.append("&apos;");
        break;
      default:
        // XML 1.0 forbids other C0 controls even as references.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          break;
        }
        out.push_back(c);
    }
  }
  return out;
}

std::string SvgNumber(double value) { return FormatTrimmed(value, 2); }

SvgWriter::SvgWriter(double width, double height, const SvgAttributes& root_attributes) {
  out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  SvgAttributes attributes = {
      {"xmlns", "http://www.w3.org/2000/svg"},
      {"width", SvgNumber(width)},
      {"height", SvgNumber(height)},
      {"viewBox", "0 0 " + SvgNumber(width) + " " + SvgNumber(height)},
  };
  attributes.insert(attributes.end(), root_attributes.begin(), root_attributes.end());
  StartTag("svg", attributes);
  out_.append(">\n");
  open_tags_.push_back("svg");
}

void SvgWriter::Indent() { out_.append(2 * open_tags_.size(), ' '); }

void SvgWriter::StartTag(std::string_view tag, const SvgAttributes& attributes) {
  CHECK(!finished_);
  out_.push_back('<');
  out_.append(tag);
  for (const auto& [name, value] : attributes) {
    out_.push_back(' ');
    out_.append(name);
    out_.append("=\"");
    out_.append(SvgEscape(value));
    out_.push_back('"');
  }
}

void SvgWriter::Element(std::string_view tag, const SvgAttributes& attributes) {
  Indent();
  StartTag(tag, attributes);
  out_.append("/>\n");
}

void SvgWriter::ElementWithText(std::string_view tag, const SvgAttributes& attributes,
                                std::string_view text) {
  Indent();
  StartTag(tag, attributes);
  out_.push_back('>');
  out_.append(SvgEscape(text));
  out_.append("</");
  out_.append(tag);
  out_.append(">\n");
}

void SvgWriter::Text(double x, double y, std::string_view text,
                     const SvgAttributes& attributes) {
  SvgAttributes all = {{"x", SvgNumber(x)}, {"y", SvgNumber(y)}};
  all.insert(all.end(), attributes.begin(), attributes.end());
  ElementWithText("text", all, text);
}

void SvgWriter::Open(std::string_view tag, const SvgAttributes& attributes) {
  Indent();
  StartTag(tag, attributes);
  out_.append(">\n");
  open_tags_.emplace_back(tag);
}

void SvgWriter::Close() {
  CHECK_GT(open_tags_.size(), 1u) << "Close() without Open()";
  std::string tag = std::move(open_tags_.back());
  open_tags_.pop_back();
  Indent();
  out_.append("</" + tag + ">\n");
}

void SvgWriter::Comment(std::string_view text) {
  std::string clean = SvgEscape(text);
  for (size_t at = clean.find("--"); at != std::string::npos; at = clean.find("--")) {
    clean.replace(at, 2, "- -");
  }
  Indent();
  out_.append("<!-- " + clean + " -->\n");
}

std::string SvgWriter::Finish() {
  CHECK_EQ(open_tags_.size(), 1u) << "unclosed <" << open_tags_.back() << ">";
  open_tags_.pop_back();
  out_.append("</svg>\n");
  finished_ = true;
  return std::move(out_);
}

}  // namespace slotsim::tools
