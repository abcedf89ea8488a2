#include "model/redirect_text.h"

#include <string>

#include "gtest/gtest.h"
#include "model/cluster_state_builder.h"
#include "model/real_redis_formats_testdata.h"
#include "model/redis_cli_text.h"

namespace slotsim::model {
namespace {

constexpr char kC[] = "d55490a7a7d5d7a2210bdab94d895bd9f872bb3c";

ClusterState OneNode(const std::string& hostname) {
  ClusterStateBuilder b;
  b.Add(kC, flags::kMyself | flags::kMaster, "127.0.0.1", 11003).hostname = hostname;
  return b.Build();
}

TEST(RedirectReplyTest, MovedAsRedisCliShowedIt) {
  ClusterState state = OneNode("");
  Reply moved = RedirectReply(Redirect::kMoved, state.myself, 12182, EndpointType::kIp);
  ASSERT_TRUE(moved.is_error());
  EXPECT_EQ(moved.ToResp(), "-MOVED 12182 127.0.0.1:11003\r\n");
  // The measured file shows redis-cli's output for two such replies.
  std::string cli = RedisCliOutput(moved);
  EXPECT_EQ(cli, "MOVED 12182 127.0.0.1:11003\n\n");
  EXPECT_NE(std::string(testdata::kMovedErrorExample).find("(port 11001):\n" + cli),
            std::string::npos);
}

TEST(RedirectReplyTest, AskAndEndpointTypes) {
  ClusterState named = OneNode("node-c");
  ClusterState unnamed = OneNode("");
  EXPECT_EQ(RedirectReply(Redirect::kAsk, named.myself, 7, EndpointType::kIp).str(),
            "ASK 7 127.0.0.1:11003");
  EXPECT_EQ(RedirectReply(Redirect::kAsk, named.myself, 7, EndpointType::kHostname).str(),
            "ASK 7 node-c:11003");
  EXPECT_EQ(
      RedirectReply(Redirect::kMoved, unnamed.myself, 0, EndpointType::kHostname).str(),
      "MOVED 0 ?:11003");
  EXPECT_EQ(
      RedirectReply(Redirect::kMoved, named.myself, 16383, EndpointType::kUnknownEndpoint)
          .str(),
      "MOVED 16383 :11003");
}

TEST(RedirectReplyTest, ErrorsWithoutATarget) {
  auto text = [](Redirect r) {
    Reply reply = RedirectReply(r, nullptr, 0, EndpointType::kIp);
    EXPECT_TRUE(reply.is_error());
    return reply.str();
  };
  EXPECT_EQ(text(Redirect::kCrossSlot),
            "CROSSSLOT Keys in request don't hash to the same slot");
  EXPECT_EQ(text(Redirect::kUnstable),
            "TRYAGAIN Multiple keys request during rehashing of slot");
  EXPECT_EQ(text(Redirect::kDownState), "CLUSTERDOWN The cluster is down");
  EXPECT_EQ(text(Redirect::kDownReadOnlyState),
            "CLUSTERDOWN The cluster is down and only accepts read commands");
  EXPECT_EQ(text(Redirect::kDownUnbound), "CLUSTERDOWN Hash slot not served");
}

TEST(ParseEndpointTypeTest, RedisEnumNamesAnyCase) {
  EXPECT_EQ(ParseEndpointType("ip"), EndpointType::kIp);
  EXPECT_EQ(ParseEndpointType("HostName"), EndpointType::kHostname);
  EXPECT_EQ(ParseEndpointType("unknown-endpoint"), EndpointType::kUnknownEndpoint);
  EXPECT_EQ(ParseEndpointType("dns"), std::nullopt);
  EXPECT_EQ(ParseEndpointType(""), std::nullopt);
}

}  // namespace
}  // namespace slotsim::model
