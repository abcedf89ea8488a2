// SvgWriter: builds one self-contained SVG document as text.
//
// Elements are written in call order; groups nest with Open()/Close() and
// Finish() CHECKs that every group was closed. Attribute values and text are
// XML-escaped (& < > " '), invalid UTF-8 becomes U+FFFD and control characters
// other than tab and line breaks are dropped, so any label yields well-formed
// XML. Coordinates print with at most two decimals (SvgNumber), so documents are
// byte-identical for identical input.
//
// Example:
//   SvgWriter svg(640, 400);
//   svg.Element("rect", {{"x", "0"}, {"y", "0"}, {"width", "640"}, {"height", "400"},
//                        {"fill", "white"}});
//   svg.Text(320, 20, "a < b", {{"text-anchor", "middle"}});
//   std::string text = svg.Finish();

#ifndef SLOTSIM_TOOLS_REPORT_SVG_H_
#define SLOTSIM_TOOLS_REPORT_SVG_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slotsim::tools {

using SvgAttributes = std::vector<std::pair<std::string, std::string>>;

// XML-escaped, UTF-8-sanitised text for content and attribute values.
std::string SvgEscape(std::string_view text);
// A coordinate or length: at most two decimals, trailing zeros dropped.
std::string SvgNumber(double value);

class SvgWriter {
 public:
  // Writes the XML declaration and the <svg> root with width, height and
  // viewBox; `root_attributes` add to the root (e.g. font-family).
  SvgWriter(double width, double height, const SvgAttributes& root_attributes = {});

  // <tag attributes/>
  void Element(std::string_view tag, const SvgAttributes& attributes);
  // <tag attributes>escaped text</tag>
  void ElementWithText(std::string_view tag, const SvgAttributes& attributes,
                       std::string_view text);
  // <text x= y= attributes>escaped text</text>
  void Text(double x, double y, std::string_view text,
            const SvgAttributes& attributes = {});
  // <tag attributes> ... Close() writes </tag>.
  void Open(std::string_view tag, const SvgAttributes& attributes = {});
  void Close();
  // A comment (text sanitised; "--" is not allowed inside comments in XML).
  void Comment(std::string_view text);

  // Closes the root and returns the document. REQUIRES: every Open() closed.
  std::string Finish();

 private:
  void StartTag(std::string_view tag, const SvgAttributes& attributes);
  void Indent();

  std::string out_;
  std::vector<std::string> open_tags_;
  bool finished_ = false;
};

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_REPORT_SVG_H_
