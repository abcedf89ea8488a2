// docs/scenario-format.md against the schema: every message of scenario.proto
// and sweep.proto has a "### Name" section with a table row for each field,
// every enum value is mentioned, and every textproto example in the document
// loads without a diagnostic.

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "scenarios/loader.h"
#include "scenarios/scenario.pb.h"
#include "scenarios/sweep.pb.h"
#include "scenarios/sweep_loader.h"

namespace slotsim::scenarios {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FileDescriptor;

std::string Doc() {
  absl::StatusOr<std::string> text = ReadTextFile("docs/scenario-format.md");
  EXPECT_TRUE(text.ok()) << text.status();
  return text.value_or("");
}

// The text of section "### name" up to the next heading of level 2 or 3.
std::string Section(const std::string& doc, const std::string& name) {
  const std::string heading = "\n### " + name + "\n";
  const size_t start = doc.find(heading);
  if (start == std::string::npos) return "";
  size_t end = doc.find("\n### ", start + heading.size());
  end = std::min(end, doc.find("\n## ", start + heading.size()));
  return doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

void CheckEnum(const std::string& doc, const EnumDescriptor* e) {
  for (int v = 0; v < e->value_count(); ++v) {
    EXPECT_TRUE(absl::StrContains(doc, absl::StrCat("`", e->value(v)->name(), "`")) ||
                absl::StrContains(doc, absl::StrCat(" ", e->value(v)->name(), " ")))
        << e->full_name() << "." << e->value(v)->name() << " is not documented";
  }
}

void CheckFile(const std::string& doc, const FileDescriptor* file) {
  for (int i = 0; i < file->enum_type_count(); ++i) CheckEnum(doc, file->enum_type(i));
  for (int i = 0; i < file->message_type_count(); ++i) {
    const Descriptor* m = file->message_type(i);
    SCOPED_TRACE(m->name());
    const std::string section = Section(doc, m->name());
    ASSERT_FALSE(section.empty()) << "no \"### " << m->name() << "\" section";
    for (int f = 0; f < m->field_count(); ++f) {
      EXPECT_TRUE(
          absl::StrContains(section, absl::StrCat("\n| `", m->field(f)->name(), "` |")))
          << m->name() << "." << m->field(f)->name() << " has no row in its table";
    }
    for (int e = 0; e < m->enum_type_count(); ++e) CheckEnum(doc, m->enum_type(e));
  }
}

TEST(DocsTest, EveryMessageAndFieldIsDocumented) {
  const std::string doc = Doc();
  CheckFile(doc, Scenario::descriptor()->file());
  CheckFile(doc, Sweep::descriptor()->file());
}

TEST(DocsTest, EveryExampleLoads) {
  const std::string doc = Doc();
  const std::string open = "```textproto\n";
  // The walk-through's pieces make one scenario together; later examples
  // stand alone.
  const size_t walk_end = doc.find("\n## Node names");
  ASSERT_NE(walk_end, std::string::npos);
  std::string walk;
  int examples = 0;
  for (size_t at = doc.find(open); at != std::string::npos; at = doc.find(open, at + 1)) {
    const size_t body = at + open.size();
    const size_t end = doc.find("```", body);
    ASSERT_NE(end, std::string::npos);
    const std::string text = doc.substr(body, end - body);
    ++examples;
    if (at < walk_end) {
      walk += text;
      continue;
    }
    SCOPED_TRACE(text);
    if (absl::StrContains(text, "base:")) {
      EXPECT_TRUE(LoadSweepText(text, "doc-example").ok());
    } else {
      EXPECT_EQ(JoinDiagnostics(CheckScenarioText(text, "doc-example")), "");
    }
  }
  EXPECT_GE(examples, 10);
  EXPECT_EQ(JoinDiagnostics(CheckScenarioText(walk, "walk-through")), "") << walk;
}

}  // namespace
}  // namespace slotsim::scenarios
