// Scripted tests of ClusterClient: the test plays the nodes through a
// FakeActorContext and checks what the client sends and concludes.

#include "scenarios/cluster_client.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "model/keyslot.h"
#include "scenarios/fake_actor_context.h"

namespace slotsim::scenarios {
namespace {

using model::Reply;
using sim::Duration;

// Forwards network callbacks to the client.
class ClientActor : public Actor {
 public:
  explicit ClientActor(ClusterClient* c) : c_(c) {}
  void OnStart(ActorContext&) override {}
  void OnConnected(ActorContext& ctx, sim::ConnId conn) override {
    c_->OnConnected(ctx, conn);
  }
  void OnConnectFailed(ActorContext& ctx, sim::ConnId conn) override {
    c_->OnConnectFailed(ctx, conn);
  }
  void OnClosed(ActorContext& ctx, sim::ConnId conn) override { c_->OnClosed(ctx, conn); }
  void OnMessage(ActorContext& ctx, sim::ConnId conn, model::Wire&& msg) override {
    c_->OnMessage(ctx, conn, std::move(msg));
  }

 private:
  ClusterClient* c_;
};

Reply Node(const std::string& ip, int port, const std::string& id) {
  return Reply::Array({Reply::Bulk(ip), Reply::Integer(port), Reply::Bulk(id)});
}

// Three masters on ports 7000..7002 with redis-cli's split.
Reply ThreeMasterSlots() {
  return Reply::Array({
      Reply::Array({Reply::Integer(0), Reply::Integer(5460),
                    Node("127.0.0.1", 7000, std::string(40, 'a'))}),
      Reply::Array({Reply::Integer(5461), Reply::Integer(10922),
                    Node("127.0.0.1", 7001, std::string(40, 'b'))}),
      Reply::Array({Reply::Integer(10923), Reply::Integer(16383),
                    Node("127.0.0.1", 7002, std::string(40, 'c'))}),
  });
}

struct Fixture {
  explicit Fixture(ClusterClientOptions o = {})
      : client("c1", WithSeed(o)), actor(&client) {
    ctx.set_actor(&actor);
    for (int p = 7000; p <= 7005; ++p) ctx.Listen("127.0.0.1", p);
  }
  static ClusterClientOptions WithSeed(ClusterClientOptions o) {
    o.seeds = {{"127.0.0.1", 7000}};
    return o;
  }
  // Start and answer the first CLUSTER SLOTS.
  void Load() {
    client.Start(ctx);
    auto sent = ctx.TakeSent();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].argv, (std::vector<std::string>{"CLUSTER", "SLOTS"}));
    ctx.Reply(sent[0], ThreeMasterSlots());
    ASSERT_TRUE(client.map_loaded());
  }
  void Run(std::vector<std::string> argv) {
    result.reset();
    client.Execute(ctx, std::move(argv), 1, [this](ClusterReply r) { result = r; });
  }
  // Answers every outstanding CLUSTER SLOTS (background refreshes) with the
  // given map and returns the other commands sent.
  std::vector<FakeActorContext::Sent> Commands(const Reply& slots = ThreeMasterSlots()) {
    std::vector<FakeActorContext::Sent> out;
    for (auto& s : ctx.TakeSent()) {
      if (s.argv.size() == 2 && s.argv[0] == "CLUSTER" && s.argv[1] == "SLOTS") {
        ctx.Reply(s, slots);
      } else {
        out.push_back(s);
      }
    }
    return out;
  }

  FakeActorContext ctx;
  ClusterClient client;
  ClientActor actor;
  std::optional<ClusterReply> result;
};

// "k1" hashes to 12706 (third master), "foo" to 12182.
constexpr int kSlotK1 = 12706;

TEST(ParseRedirection, MovedAskAndOthers) {
  auto m = ParseRedirection("MOVED 3999 127.0.0.1:6381");
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(m->ask);
  EXPECT_EQ(m->slot, 3999);
  EXPECT_EQ(m->target, (NodeAddress{"127.0.0.1", 6381}));
  auto a = ParseRedirection("ASK 12 10.0.0.2:7000");
  ASSERT_TRUE(a.has_value());
  EXPECT_TRUE(a->ask);
  auto empty_host = ParseRedirection("MOVED 1 :7001");
  ASSERT_TRUE(empty_host.has_value());
  EXPECT_EQ(empty_host->target.ip, "");
  EXPECT_FALSE(ParseRedirection("CLUSTERDOWN The cluster is down").has_value());
  EXPECT_FALSE(ParseRedirection("MOVED 16384 a:1").has_value());
  EXPECT_FALSE(ParseRedirection("MOVED x a:1").has_value());
}

TEST(ParseClusterSlots, RangesAndUnknownEndpoint) {
  Reply r = Reply::Array({
      Reply::Array(
          {Reply::Integer(0), Reply::Integer(10),
           Reply::Array({Reply::Nil(), Reply::Integer(7005), Reply::Bulk("x")})}),
      Reply::Array(
          {Reply::Integer(11), Reply::Integer(16383), Node("10.1.1.1", 7001, "y")}),
  });
  auto ranges = ParseClusterSlots(r, {"10.9.9.9", 7000});
  ASSERT_TRUE(ranges.has_value());
  ASSERT_EQ(ranges->size(), 2u);
  EXPECT_EQ(ranges->at({0, 10}), (NodeAddress{"10.9.9.9", 7005}));
  EXPECT_EQ(ranges->at({11, 16383}), (NodeAddress{"10.1.1.1", 7001}));
  EXPECT_FALSE(ParseClusterSlots(Reply::Status("OK"), {"a", 1}).has_value());
  EXPECT_FALSE(
      ParseClusterSlots(Reply::Array({Reply::Integer(1)}), {"a", 1}).has_value());
}

TEST(ClusterClient, RoutesBySlotMap) {
  ASSERT_EQ(model::KeyHashSlot("k1"), kSlotK1);
  Fixture f;
  f.Load();
  EXPECT_EQ(f.client.OwnerOf(0), (NodeAddress{"127.0.0.1", 7000}));
  EXPECT_EQ(f.client.OwnerOf(kSlotK1), (NodeAddress{"127.0.0.1", 7002}));
  f.Run({"SET", "k1", "v"});
  auto sent = f.Commands();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].addr, "127.0.0.1:7002");
  f.ctx.Reply(sent[0], Reply::Ok());
  ASSERT_TRUE(f.result.has_value());
  EXPECT_EQ(f.result->outcome, ClientOp::Outcome::kOk);
  EXPECT_EQ(f.result->node, (NodeAddress{"127.0.0.1", 7002}));
  EXPECT_EQ(f.result->redirects, 0);
  EXPECT_EQ(f.result->retries, 0);
}

TEST(ClusterClient, MovedUpdatesSlotAndRefreshes) {
  Fixture f;
  f.Load();
  const int64_t refreshes = f.client.refreshes_requested();
  f.Run({"GET", "k1"});
  auto sent = f.Commands();
  ASSERT_EQ(sent.size(), 1u);
  f.ctx.Reply(sent[0], Reply::Error("MOVED 12706 127.0.0.1:7004"));
  EXPECT_FALSE(f.result.has_value());
  EXPECT_EQ(f.client.OwnerOf(kSlotK1), (NodeAddress{"127.0.0.1", 7004}));
  EXPECT_EQ(f.client.refreshes_requested(), refreshes + 1);
  // The resend goes to the new owner; the background refresh is a CLUSTER SLOTS.
  auto all = f.ctx.TakeSent();
  ASSERT_EQ(all.size(), 2u);
  const auto& slots_req = all[0].argv[0] == "CLUSTER" ? all[0] : all[1];
  const auto& resend = all[0].argv[0] == "CLUSTER" ? all[1] : all[0];
  EXPECT_EQ(resend.addr, "127.0.0.1:7004");
  EXPECT_EQ(resend.argv, (std::vector<std::string>{"GET", "k1"}));
  f.ctx.Reply(resend, Reply::Bulk("v"));
  ASSERT_TRUE(f.result.has_value());
  EXPECT_EQ(f.result->outcome, ClientOp::Outcome::kOk);
  EXPECT_EQ(f.result->redirects, 1);
  EXPECT_EQ(f.result->reply, Reply::Bulk("v"));
  // The refresh's answer replaces the map (here: the slot moved back).
  f.ctx.Reply(slots_req, ThreeMasterSlots());
  EXPECT_EQ(f.client.OwnerOf(kSlotK1), (NodeAddress{"127.0.0.1", 7002}));
}

TEST(ClusterClient, AskSendsAskingOnceWithoutTouchingTheMap) {
  Fixture f;
  f.Load();
  f.Run({"GET", "k1"});
  auto sent = f.Commands();
  ASSERT_EQ(sent.size(), 1u);
  f.ctx.Reply(sent[0], Reply::Error("ASK 12706 127.0.0.1:7003"));
  auto ask = f.Commands();
  ASSERT_EQ(ask.size(), 2u);
  EXPECT_EQ(ask[0].addr, "127.0.0.1:7003");
  EXPECT_EQ(ask[0].argv, (std::vector<std::string>{"ASKING"}));
  EXPECT_EQ(ask[1].addr, "127.0.0.1:7003");
  EXPECT_EQ(ask[1].argv, (std::vector<std::string>{"GET", "k1"}));
  EXPECT_EQ(ask[0].conn, ask[1].conn);
  EXPECT_EQ(f.client.OwnerOf(kSlotK1), (NodeAddress{"127.0.0.1", 7002}));
  EXPECT_EQ(f.client.refreshes_requested(), 1);  // only the initial load
  f.ctx.Reply(ask[0], Reply::Ok());
  // The importing node asks for a retry (multi-key during migration): the
  // next attempt goes to the map's owner again, without ASKING.
  f.ctx.Reply(ask[1],
              Reply::Error("TRYAGAIN Multiple keys request during rehashing of slot"));
  EXPECT_FALSE(f.result.has_value());
  f.ctx.RunFor(Duration::Seconds(1));
  auto again = f.Commands();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].addr, "127.0.0.1:7002");
  EXPECT_EQ(again[0].argv[0], "GET");
  f.ctx.Reply(again[0], Reply::Nil());
  ASSERT_TRUE(f.result.has_value());
  EXPECT_EQ(f.result->outcome, ClientOp::Outcome::kOk);
  EXPECT_EQ(f.result->redirects, 1);
  EXPECT_EQ(f.result->retries, 1);
}

TEST(ClusterClient, TryAgainRetriesWithBackoffThenGivesUp) {
  ClusterClientOptions o;
  o.max_retries = 2;
  o.retry_backoff = Duration::Millis(100);
  Fixture f(o);
  f.Load();
  f.Run({"SET", "k1", "v"});
  for (int attempt = 0; attempt <= 2; ++attempt) {
    auto sent = f.Commands();
    ASSERT_EQ(sent.size(), 1u) << attempt;
    f.ctx.Reply(sent[0],
                Reply::Error("TRYAGAIN Multiple keys request during rehashing of slot"));
    if (attempt < 2) {
      EXPECT_FALSE(f.result.has_value());
      // Backoff n is in [d/2, d], d = 100 ms * 2^(n-1): nothing before d/2.
      const int64_t d_ms = 100 << attempt;
      f.ctx.RunFor(Duration::Millis(d_ms / 2 - 1));
      EXPECT_TRUE(f.Commands().empty()) << attempt;
      f.ctx.RunFor(Duration::Millis(d_ms / 2 + 1));
    }
  }
  ASSERT_TRUE(f.result.has_value());
  EXPECT_EQ(f.result->outcome, ClientOp::Outcome::kError);
  EXPECT_EQ(f.result->error, "TRYAGAIN Multiple keys request during rehashing of slot");
  EXPECT_EQ(f.result->retries, 2);
}

TEST(ClusterClient, ClusterDownRefreshesAndRetries) {
  Fixture f;
  f.Load();
  const int64_t before = f.client.refreshes_requested();
  f.Run({"GET", "k1"});
  auto sent = f.Commands();
  f.ctx.Reply(sent[0], Reply::Error("CLUSTERDOWN The cluster is down"));
  EXPECT_EQ(f.client.refreshes_requested(), before + 1);
  f.ctx.RunFor(Duration::Millis(100));  // past the first backoff (25-50 ms)
  auto again = f.Commands();
  ASSERT_EQ(again.size(), 1u);
  f.ctx.Reply(again[0], Reply::Bulk("x"));
  ASSERT_TRUE(f.result.has_value());
  EXPECT_EQ(f.result->outcome, ClientOp::Outcome::kOk);
  EXPECT_EQ(f.result->retries, 1);
}

TEST(ClusterClient, OtherErrorsAreFinal) {
  Fixture f;
  f.Load();
  f.Run({"GET", "k1"});
  auto sent = f.Commands();
  f.ctx.Reply(sent[0], Reply::Error("ERR unknown command 'GETX'"));
  ASSERT_TRUE(f.result.has_value());
  EXPECT_EQ(f.result->outcome, ClientOp::Outcome::kError);
  EXPECT_EQ(f.result->retries, 0);
}

TEST(ClusterClient, RedirectLimit) {
  ClusterClientOptions o;
  o.max_redirects = 2;
  Fixture f(o);
  f.Load();
  f.Run({"GET", "k1"});
  for (int i = 0; i < 3; ++i) {
    auto sent = f.Commands();
    ASSERT_EQ(sent.size(), 1u) << i;
    f.ctx.Reply(sent[0], Reply::Error(i % 2 == 0 ? "MOVED 12706 127.0.0.1:7001"
                                                 : "MOVED 12706 127.0.0.1:7002"));
  }
  ASSERT_TRUE(f.result.has_value());
  EXPECT_EQ(f.result->outcome, ClientOp::Outcome::kError);
  EXPECT_EQ(f.result->redirects, 2);
  EXPECT_EQ(f.result->error, "MOVED 12706 127.0.0.1:7001");
}

TEST(ClusterClient, TimeoutClosesReconnectsAndEndsUncertain) {
  ClusterClientOptions o;
  o.max_retries = 1;
  o.request_timeout = Duration::Millis(200);
  Fixture f(o);
  f.Load();
  f.Run({"SET", "k1", "v"});
  auto first = f.Commands();
  ASSERT_EQ(first.size(), 1u);
  f.ctx.RunFor(Duration::Millis(200));  // the timeout fires
  EXPECT_FALSE(f.ctx.IsOpen(first[0].conn));
  EXPECT_FALSE(f.result.has_value());
  // The refresh asked after the timeout goes unanswered too; the retry
  // reaches the node on a new connection and gets a definite error, which
  // still leaves the write's fate unknown.
  f.ctx.RunFor(Duration::Millis(60));
  std::vector<FakeActorContext::Sent> retry;
  for (auto& s : f.ctx.TakeSent()) {
    if (s.argv[0] == "SET") retry.push_back(s);
  }
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_NE(retry[0].conn, first[0].conn);
  f.ctx.Reply(retry[0], Reply::Error("CLUSTERDOWN The cluster is down"));
  ASSERT_TRUE(f.result.has_value());
  EXPECT_EQ(f.result->outcome, ClientOp::Outcome::kTimeout);
  EXPECT_EQ(f.result->error, "CLUSTERDOWN The cluster is down");
  EXPECT_EQ(f.result->retries, 1);
}

TEST(ClusterClient, RefusedEverywhereIsADefiniteError) {
  ClusterClientOptions o;
  o.max_retries = 1;
  Fixture f(o);
  f.Load();
  for (int p = 7000; p <= 7005; ++p) f.ctx.StopListening("127.0.0.1", p);
  f.Run({"SET", "k1", "v"});
  f.ctx.RunFor(Duration::Seconds(2));
  ASSERT_TRUE(f.result.has_value());
  EXPECT_EQ(f.result->outcome, ClientOp::Outcome::kError);
  EXPECT_EQ(f.result->error, "connection refused");
}

TEST(ClusterClient, ResetWhilePendingIsUncertain) {
  ClusterClientOptions o;
  o.max_retries = 0;
  Fixture f(o);
  f.Load();
  f.Run({"SET", "k1", "v"});
  auto sent = f.Commands();
  ASSERT_EQ(sent.size(), 1u);
  f.ctx.Reset(sent[0].conn);
  ASSERT_TRUE(f.result.has_value());
  EXPECT_EQ(f.result->outcome, ClientOp::Outcome::kTimeout);
  EXPECT_EQ(f.result->error, "connection lost");
}

TEST(ClusterClient, InitialLoadTriesAgainUntilASeedAnswers) {
  ClusterClientOptions o;
  o.initial_load_retry = Duration::Millis(500);
  Fixture f(o);
  f.client.Start(f.ctx);
  auto s1 = f.ctx.TakeSent();
  ASSERT_EQ(s1.size(), 1u);
  f.ctx.Reply(s1[0], Reply::Error("ERR This instance has cluster support disabled"));
  EXPECT_FALSE(f.client.map_loaded());
  f.ctx.RunFor(Duration::Millis(499));
  EXPECT_TRUE(f.ctx.TakeSent().empty());
  f.ctx.RunFor(Duration::Millis(1));
  auto s2 = f.ctx.TakeSent();
  ASSERT_EQ(s2.size(), 1u);
  f.ctx.Reply(s2[0], ThreeMasterSlots());
  EXPECT_TRUE(f.client.map_loaded());
  EXPECT_EQ(f.client.refreshes_done(), 1);
}

TEST(ClusterClient, UnknownSlotGoesToAKnownNode) {
  Fixture f;
  f.client.Start(f.ctx);
  auto s = f.ctx.TakeSent();
  // Only slots 0..5460 are served.
  f.ctx.Reply(s[0], Reply::Array({Reply::Array({Reply::Integer(0), Reply::Integer(5460),
                                                Node("127.0.0.1", 7000, "a")})}));
  f.Run({"GET", "k1"});
  auto sent = f.Commands();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].addr, "127.0.0.1:7000");
}

}  // namespace
}  // namespace slotsim::scenarios
