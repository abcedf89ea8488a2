#include "tools/report/json.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"

namespace slotsim::tools {
namespace {

using ::testing::HasSubstr;

TEST(JsonTest, ScalarsDump) {
  EXPECT_EQ(Json().Dump(), "null");
  EXPECT_EQ(Json(true).Dump(), "true");
  EXPECT_EQ(Json(false).Dump(), "false");
  EXPECT_EQ(Json(-7).Dump(), "-7");
  EXPECT_EQ(Json(std::numeric_limits<int64_t>::min()).Dump(), "-9223372036854775808");
  EXPECT_EQ(Json(std::numeric_limits<uint64_t>::max()).Dump(), "18446744073709551615");
  EXPECT_EQ(Json(0.1).Dump(), "0.1");
  EXPECT_EQ(Json(2.0).Dump(), "2.0");
  EXPECT_EQ(Json(1e21).Dump(), "1e+21");
  EXPECT_EQ(Json::Fixed(1234.5678, 1).Dump(), "1234.6");
  EXPECT_EQ(Json::Fixed(3, 0).Dump(), "3");
  EXPECT_EQ(Json("hi").Dump(), "\"hi\"");
}

TEST(JsonTest, NonFiniteDoublesAreNull) {
  EXPECT_EQ(Json(std::numeric_limits<double>::quiet_NaN()).Dump(), "null");
  EXPECT_EQ(Json(std::numeric_limits<double>::infinity()).Dump(), "null");
  EXPECT_EQ(Json::Fixed(-std::numeric_limits<double>::infinity(), 2).Dump(), "null");
}

TEST(JsonTest, StringEscaping) {
  EXPECT_EQ(JsonQuote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(JsonQuote("\n\t\r\b\f"), R"("\n\t\r\b\f")");
  EXPECT_EQ(JsonQuote(std::string("\x01\x1f\x00", 3)), R"("\u0001\u001f\u0000")");
  EXPECT_EQ(JsonQuote("/ and \x7f"), "\"/ and \x7f\"");
}

TEST(JsonTest, Utf8PassesThroughAndInvalidBytesAreReplaced) {
  EXPECT_EQ(JsonQuote("n\xC3\xB6"
                      "de \xE2\x86\x92 \xF0\x9F\x98\x80"),
            "\"n\xC3\xB6"
            "de \xE2\x86\x92 \xF0\x9F\x98\x80\"");
  EXPECT_EQ(JsonQuote("a\xFF"
                      "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(JsonQuote("\xC3"), R"("\ufffd")");                      // Truncated.
  EXPECT_EQ(JsonQuote("\xC0\xAF"), R"("\ufffd\ufffd")");            // Overlong.
  EXPECT_EQ(JsonQuote("\xED\xA0\x80"), R"("\ufffd\ufffd\ufffd")");  // Surrogate.
}

TEST(JsonTest, ObjectsKeepInsertionOrderAndReplaceInPlace) {
  Json object = Json::Object();
  object.Set("zeta", 1).Set("alpha", 2).Set("mid", 3);
  object.Set("alpha", "two");
  EXPECT_EQ(object.Dump(), R"({"zeta":1,"alpha":"two","mid":3})");
  ASSERT_NE(object.Find("mid"), nullptr);
  EXPECT_EQ(object.Find("mid")->as_int(), 3);
  EXPECT_EQ(object.Find("missing"), nullptr);
  EXPECT_EQ(object.size(), 3u);
}

TEST(JsonTest, PrettyPrinting) {
  Json inner = Json::Array();
  inner.Append(1).Append("x");
  Json object = Json::Object();
  object.Set("list", inner).Set("empty", Json::Array()).Set("obj", Json::Object());
  EXPECT_EQ(object.Pretty(),
            "{\n"
            "  \"list\": [\n"
            "    1,\n"
            "    \"x\"\n"
            "  ],\n"
            "  \"empty\": [],\n"
            "  \"obj\": {}\n"
            "}");
  EXPECT_EQ(object.Dump(), R"({"list":[1,"x"],"empty":[],"obj":{}})");
}

TEST(JsonTest, Accessors) {
  EXPECT_EQ(Json(uint64_t{5}).as_int(), 5);
  EXPECT_EQ(Json(int64_t{5}).as_uint(), 5u);
  EXPECT_DOUBLE_EQ(Json(3).as_double(), 3.0);
  EXPECT_EQ(Json(3), Json(uint64_t{3}));
  EXPECT_NE(Json(-1), Json(std::numeric_limits<uint64_t>::max()));
  EXPECT_NE(Json(3), Json(3.0));
  EXPECT_DEATH(Json("s").as_int(), "kInt");
}

TEST(ParseJsonTest, ParsesEveryKind) {
  absl::StatusOr<Json> parsed = ParseJson(
      R"( {"a": [1, -2, 3.5, 1e2, true, false, null], "s": "x\u00e9\ud83d\ude00\n",
          "big": 18446744073709551615, "bigger": 18446744073709551616} )");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const Json& a = *parsed->Find("a");
  ASSERT_EQ(a.size(), 7u);
  EXPECT_EQ(a.elements()[0].type(), Json::Type::kInt);
  EXPECT_EQ(a.elements()[1].as_int(), -2);
  EXPECT_EQ(a.elements()[2].as_double(), 3.5);
  EXPECT_EQ(a.elements()[3].type(), Json::Type::kDouble);
  EXPECT_TRUE(a.elements()[4].as_bool());
  EXPECT_TRUE(a.elements()[6].is_null());
  EXPECT_EQ(parsed->Find("s")->as_string(), "x\xC3\xA9\xF0\x9F\x98\x80\n");
  EXPECT_EQ(parsed->Find("big")->as_uint(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(parsed->Find("bigger")->type(), Json::Type::kDouble);
}

TEST(ParseJsonTest, ErrorsCarryPosition) {
  absl::StatusOr<Json> parsed = ParseJson("{\n  \"a\": 1,\n  \"b\" 2\n}");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("line 3, column 7 (offset 18)"));
  EXPECT_THAT(parsed.status().message(), HasSubstr("expected ':'"));
}

TEST(ParseJsonTest, RejectsNonJson) {
  for (const char* bad :
       {"", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "NaN", "[1 2]", "\"\\x\"",
        "\"tab\there\"", "\"\\ud800\"", "\"\\udc00\"", "{\"a\":1,\"a\":2}", "[1] x",
        "tru", "{1:2}", "\"unterminated", "1e999"}) {
    EXPECT_FALSE(ParseJson(bad).ok()) << bad;
  }
}

TEST(ParseJsonTest, DepthLimit) {
  std::string deep(300, '[');
  deep += std::string(300, ']');
  absl::StatusOr<Json> parsed = ParseJson(deep);
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("nesting"));
  std::string ok(200, '[');
  ok += std::string(200, ']');
  EXPECT_TRUE(ParseJson(ok).ok());
}

TEST(ParseJsonTest, DuplicateKeyPointsAtTheKey) {
  absl::StatusOr<Json> parsed = ParseJson(R"({"k":1,"k":2})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("offset 7"));
  EXPECT_THAT(parsed.status().message(), HasSubstr("duplicate key \"k\""));
}

// Draws a valid UTF-8 string mixing ASCII (control characters included) and
// multi-byte code points (call inside a property only).
std::string RandomUtf8() {
  std::string out;
  for (int n = *rc::gen::inRange(0, 8); n > 0; --n) {
    uint32_t c = *rc::gen::oneOf(rc::gen::inRange<uint32_t>(0, 0x80),
                                 rc::gen::inRange<uint32_t>(0x80, 0xD800),
                                 rc::gen::inRange<uint32_t>(0xE000, 0x110000));
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// Draws a random JSON value of bounded depth (call inside a property only).
Json RandomJson(int depth) {
  switch (*rc::gen::inRange(0, depth > 0 ? 8 : 6)) {
    case 0:
      return Json();
    case 1:
      return Json(*rc::gen::arbitrary<bool>());
    case 2:
      return Json(*rc::gen::arbitrary<int64_t>());
    case 3:
      return Json(*rc::gen::arbitrary<uint64_t>());
    case 4: {
      double value = *rc::gen::arbitrary<double>();
      return std::isfinite(value) ? Json(value) : Json();
    }
    case 5:
      return Json(RandomUtf8());
    case 6: {
      Json array = Json::Array();
      for (int i = *rc::gen::inRange(0, 4); i > 0; --i)
        array.Append(RandomJson(depth - 1));
      return array;
    }
    default: {
      Json object = Json::Object();
      for (int i = *rc::gen::inRange(0, 4); i > 0; --i) {
        object.Set(RandomUtf8(), RandomJson(depth - 1));
      }
      return object;
    }
  }
}

RC_GTEST_PROP(JsonProperty, DumpThenParseGivesTheSameValueAndText, ()) {
  Json value = RandomJson(3);
  std::string compact = value.Dump();
  absl::StatusOr<Json> parsed = ParseJson(compact);
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == value);
  RC_ASSERT(parsed->Dump() == compact);
  absl::StatusOr<Json> from_pretty = ParseJson(value.Pretty());
  RC_ASSERT(from_pretty.ok());
  RC_ASSERT(from_pretty->Dump() == compact);
}

// Arbitrary bytes always quote to valid JSON; invalid UTF-8 becomes U+FFFD once,
// after which the string is valid UTF-8 and round-trips unchanged.
RC_GTEST_PROP(JsonProperty, AnyBytesGiveValidJson, (std::string bytes)) {
  absl::StatusOr<Json> parsed = ParseJson(JsonQuote(bytes));
  RC_ASSERT(parsed.ok());
  absl::StatusOr<Json> again = ParseJson(JsonQuote(parsed->as_string()));
  RC_ASSERT(again.ok());
  RC_ASSERT(again->as_string() == parsed->as_string());
}

RC_GTEST_PROP(JsonProperty, Utf8StringsRoundTripExactly, ()) {
  std::string text = RandomUtf8();
  absl::StatusOr<Json> parsed = ParseJson(JsonQuote(text));
  RC_ASSERT(parsed.ok());
  RC_ASSERT(parsed->as_string() == text);
}

}  // namespace
}  // namespace slotsim::tools
