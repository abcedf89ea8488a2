#include "model/redis_cli_text.h"

#include "gtest/gtest.h"

namespace slotsim::model {
namespace {

TEST(RedisCliTextTest, ScalarsAsRawText) {
  EXPECT_EQ(RedisCliOutput(Reply::Ok()), "OK\n");
  EXPECT_EQ(RedisCliOutput(Reply::Integer(-12)), "-12\n");
  EXPECT_EQ(RedisCliOutput(Reply::Bulk("a b")), "a b\n");
  EXPECT_EQ(RedisCliOutput(Reply::Nil()), "\n");
  EXPECT_EQ(RedisCliOutput(Reply::Error("ERR bad")), "ERR bad\n\n");
}

TEST(RedisCliTextTest, NestedArraysJoinWithNewlines) {
  Reply r =
      Reply::Array({Reply::Integer(1),
                    Reply::Array({Reply::Bulk("x"), Reply::Array({}), Reply::Nil()}),
                    Reply::Array({})});
  // An empty array contributes an empty element; nil an empty line too.
  EXPECT_EQ(RedisCliRaw(r), "1\nx\n\n\n");
  EXPECT_EQ(RedisCliOutput(Reply::Array({})), "\n");
}

TEST(RedisCliTextTest, ErrorInsideAnArrayKeepsItsNewline) {
  Reply r = Reply::Array({Reply::Error("E1"), Reply::Bulk("b")});
  EXPECT_EQ(RedisCliRaw(r), "E1\n\nb");
}

}  // namespace
}  // namespace slotsim::model
