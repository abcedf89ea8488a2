#include "model/nodes_conf.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "model/cluster_state_builder.h"
#include "model/cluster_text.h"
#include "model/measured_cluster_testdata.h"
#include "model/real_redis_formats_testdata.h"
#include "rapidcheck/gtest.h"

namespace slotsim::model {
namespace {

using testdata::kNodeA;
using testdata::kNodeB;
using testdata::kNodeE;

constexpr char kN1[] = "1111111111111111111111111111111111111111";
constexpr char kN2[] = "2222222222222222222222222222222222222222";
constexpr char kN3[] = "3333333333333333333333333333333333333333";

std::string Line(const char* name, const std::string& rest) {
  return absl::StrCat(name, " ", rest, "\n");
}
// A minimal valid file: myself N1 owning 0-9, and the vars line.
std::string MyselfLine() {
  return Line(kN1, "127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-9");
}

// ---- Writing ----

TEST(NodesConfTextTest, MeasuredExampleSameLinesVarsLast) {
  ClusterState state =
      testdata::MeasuredState(testdata::Snapshot::kNodesConfExample).state;
  std::string text = NodesConfText(state);
  std::string_view real = testdata::kNodesConfFileExample;
  ASSERT_EQ(text.size(), real.size());
  std::string_view vars = "vars currentEpoch 6 lastVoteEpoch 0\n";
  EXPECT_EQ(text.substr(text.size() - vars.size()), vars);
  EXPECT_EQ(real.substr(real.size() - vars.size()), vars);
  std::vector<std::string> ours =
      absl::StrSplit(text.substr(0, text.size() - vars.size()), '\n');
  std::vector<std::string> theirs =
      absl::StrSplit(std::string(real.substr(0, real.size() - vars.size())), '\n');
  std::sort(ours.begin(), ours.end());
  std::sort(theirs.begin(), theirs.end());
  EXPECT_EQ(ours, theirs);
}

TEST(NodesConfTextTest, OmitsHandshakeNodesAndWritesEpochs) {
  ClusterStateBuilder b;
  b.Add(kN1, flags::kMyself | flags::kMaster, "127.0.0.1", 7000);
  b.Add(kN2, flags::kHandshake | flags::kMeet, "127.0.0.1", 7001);
  b.state().current_epoch = Epoch(18446744073709551615u);
  b.state().last_vote_epoch = Epoch(12);
  ClusterState state = b.Build();
  EXPECT_EQ(NodesConfText(state),
            absl::StrCat(kN1,
                         " 127.0.0.1:7000@17000 myself,master - 0 0 0 "
                         "connected\n",
                         "vars currentEpoch 18446744073709551615 "
                         "lastVoteEpoch 12\n"));
}

// ---- Parsing what Redis wrote ----

TEST(ParseNodesConfTest, MeasuredExample) {
  auto conf = ParseNodesConf(testdata::kNodesConfFileExample);
  ASSERT_TRUE(conf.ok()) << conf.status();
  EXPECT_EQ(conf->nodes.size(), 6u);
  EXPECT_EQ(conf->myself, NodeName::FromString(kNodeB));
  EXPECT_EQ(conf->current_epoch, Epoch(6));
  EXPECT_EQ(conf->last_vote_epoch, Epoch(0));
  const LoadedNode* e = conf->Find(NodeName::FromString(kNodeE));
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->has_line);
  EXPECT_EQ(e->ip, "127.0.0.1");
  EXPECT_EQ(e->port, 11005);
  EXPECT_EQ(e->cport, 21005);
  EXPECT_EQ(e->flags, flags::kSlave);
  EXPECT_EQ(e->master, NodeName::FromString(kNodeA));
  EXPECT_FALSE(e->ping_sent_set());
  EXPECT_TRUE(e->pong_received_set());
  EXPECT_EQ(e->pong_received_ms, 1795547549045);
  EXPECT_EQ(e->config_epoch, Epoch(1));  // written: its master's epoch
  EXPECT_EQ(e->loaded_config_epoch(), Epoch(0));
  EXPECT_TRUE(e->slots.empty());
  const LoadedNode* a = conf->Find(NodeName::FromString(kNodeA));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->loaded_config_epoch(), Epoch(1));
  EXPECT_EQ(a->slots, (SlotRanges{{0, 5460}}));
  EXPECT_EQ(conf->Find(NodeName::FromString(kNodeB))->flags,
            flags::kMyself | flags::kMaster);
  // Rendering the parse reproduces Redis's file, in Redis's order.
  EXPECT_EQ(RenderNodesConf(*conf), testdata::kNodesConfFileExample);
}

TEST(ParseNodesConfTest, EmptyTextMeansNoConfig) {
  auto conf = ParseNodesConf("");
  EXPECT_EQ(conf.status().code(), absl::StatusCode::kNotFound);
}

TEST(ParseNodesConfTest, OldFormatWithoutBusPortAndHostnames) {
  std::string text =
      MyselfLine() + Line(kN2, "10.0.0.2:7001,host-2.example master - 0 0 3 connected") +
      Line(kN3, "::1:7002@1 slave " + std::string(kN2) + " 0 0 0 disconnected");
  auto conf = ParseNodesConf(text);
  ASSERT_TRUE(conf.ok()) << conf.status();
  const LoadedNode* n2 = conf->Find(NodeName::FromString(kN2));
  EXPECT_EQ(n2->ip, "10.0.0.2");
  EXPECT_EQ(n2->port, 7001);
  EXPECT_EQ(n2->cport, 17001);
  EXPECT_EQ(n2->hostname, "host-2.example");
  const LoadedNode* n3 = conf->Find(NodeName::FromString(kN3));
  EXPECT_EQ(n3->ip, "::1");  // split at the last ':'
  EXPECT_EQ(n3->port, 7002);
  EXPECT_EQ(n3->cport, 1);
}

TEST(ParseNodesConfTest, BlankLinesCrlfVarsAnywhereAnyCase) {
  std::string text = "\nVARS lastvoteepoch 4 colour blue\n\n" + std::string(kN1) +
                     " 127.0.0.1:7000@17000 MySelf,Master,NoFailover - 0 0 1 "
                     "connected\r\n" +
                     "vars currentEpoch 9\n\n\n\n";  // Redis pads with '\n'
  auto conf = ParseNodesConf(text);
  ASSERT_TRUE(conf.ok()) << conf.status();
  EXPECT_EQ(conf->current_epoch, Epoch(9));
  EXPECT_EQ(conf->last_vote_epoch, Epoch(4));
  EXPECT_EQ(conf->nodes[0].flags, flags::kMyself | flags::kMaster | flags::kNoFailover);
  EXPECT_EQ(conf->nodes[0].link_state, "connected");
}

TEST(ParseNodesConfTest, AllFlagNamesAndNoflags) {
  std::string text =
      MyselfLine() +
      Line(kN2,
           "127.0.0.1:1@2 slave,fail?,fail,handshake,noaddr,nofailover - 1 "
           "0 0 x") +
      Line(kN3, "127.0.0.1:1@2 noflags - 0 0 0 x");
  auto conf = ParseNodesConf(text);
  ASSERT_TRUE(conf.ok()) << conf.status();
  EXPECT_EQ(conf->Find(NodeName::FromString(kN2))->flags,
            flags::kSlave | flags::kPFail | flags::kFail | flags::kHandshake |
                flags::kNoAddr | flags::kNoFailover);
  EXPECT_EQ(conf->Find(NodeName::FromString(kN3))->flags, 0);
}

TEST(ParseNodesConfTest, SlotsFirstClaimWinsAndReversedRangeAddsNothing) {
  std::string text =
      MyselfLine() + Line(kN2, "127.0.0.1:1@2 master - 0 0 0 c 5-12 20 9-8");
  auto conf = ParseNodesConf(text);
  ASSERT_TRUE(conf.ok()) << conf.status();
  EXPECT_EQ(conf->nodes[0].slots, (SlotRanges{{0, 9}}));
  EXPECT_EQ(conf->nodes[1].slots, (SlotRanges{{10, 12}, {20, 20}}));
}

TEST(ParseNodesConfTest, OpenSlotsFromAnyLineAndImplicitNodes) {
  std::string text = Line(kN2, absl::StrCat("127.0.0.1:1@2 master - 0 0 0 c [5->-", kN3,
                                            "] [6-<-", kN3, "] [7-?-", kN1, "]")) +
                     MyselfLine();
  auto conf = ParseNodesConf(text);
  ASSERT_TRUE(conf.ok()) << conf.status();
  EXPECT_EQ(conf->migrating_to,
            (std::map<int, NodeName>{{5, NodeName::FromString(kN3)}}));
  // Anything but '>' after the '-' means importing.
  EXPECT_EQ(conf->importing_from,
            (std::map<int, NodeName>{{6, NodeName::FromString(kN3)},
                                     {7, NodeName::FromString(kN1)}}));
  // N3 exists without a line of its own and is listed after the others.
  ASSERT_EQ(conf->nodes.size(), 3u);
  EXPECT_EQ(conf->nodes[0].name, NodeName::FromString(kN2));
  EXPECT_EQ(conf->nodes[1].name, NodeName::FromString(kN1));
  EXPECT_EQ(conf->nodes[2].name, NodeName::FromString(kN3));
  EXPECT_FALSE(conf->nodes[2].has_line);
  // The open slots move to myself's line; N3 renders as Redis would save it.
  EXPECT_EQ(RenderNodesConf(*conf),
            Line(kN2, "127.0.0.1:1@2 master - 0 0 0 c") +
                Line(kN1, absl::StrCat("127.0.0.1:7000@17000 myself,master - "
                                       "0 0 1 connected 0-9 [5->-",
                                       kN3, "] [6-<-", kN3, "] [7-<-", kN1, "]")) +
                Line(kN3, ":0@0 noflags - 0 0 0 disconnected") +
                "vars currentEpoch 0 lastVoteEpoch 0\n");
}

TEST(ParseNodesConfTest, RepeatedNodeMerges) {
  std::string text = MyselfLine() + Line(kN2, "127.0.0.1:1@2,h master - 5 6 3 c 100") +
                     Line(kN2, absl::StrCat("127.0.0.2:3@4 slave ", kN1, " 0 0 4 c 101"));
  auto conf = ParseNodesConf(text);
  ASSERT_TRUE(conf.ok()) << conf.status();
  ASSERT_EQ(conf->nodes.size(), 2u);
  const LoadedNode& n2 = conf->nodes[1];
  EXPECT_EQ(n2.ip, "127.0.0.2");
  EXPECT_EQ(n2.hostname, "");  // a line without a hostname clears it
  EXPECT_EQ(n2.flags, flags::kMaster | flags::kSlave);
  EXPECT_EQ(n2.ping_sent_ms, 5);  // a later 0 does not reset
  EXPECT_EQ(n2.pong_received_ms, 6);
  EXPECT_EQ(n2.config_epoch, Epoch(4));
  EXPECT_EQ(n2.loaded_config_epoch(), Epoch(0));
  EXPECT_EQ(n2.slots, (SlotRanges{{100, 101}}));
}

TEST(ParseNodesConfTest, CLibraryNumberQuirks) {
  std::string text =
      Line(kN1, "127.0.0.1:7000@17000 myself,master - 4294967296 12abc -1 c x") +
      "vars currentEpoch 99999999999999999999999\n";
  auto conf = ParseNodesConf(text);
  ASSERT_TRUE(conf.ok()) << conf.status();
  const LoadedNode& n = conf->nodes[0];
  EXPECT_FALSE(n.ping_sent_set());    // atoi keeps the low 32 bits: 0
  EXPECT_EQ(n.pong_received_ms, 12);  // digits up to the first non-digit
  EXPECT_EQ(n.config_epoch, Epoch(18446744073709551615u));       // strtoull("-1")
  EXPECT_EQ(n.slots, (SlotRanges{{0, 0}}));                      // atoi("x") is slot 0
  EXPECT_EQ(conf->current_epoch, Epoch(18446744073709551615u));  // saturates
}

TEST(ParseNodesConfTest, QuotedFieldsAsSdssplitargs) {
  std::string text = absl::StrCat(
      "\"", kN1, "\" '127.0.0.1:7000@17000' \"myself,\\x6daster\" - 0 0 1 c\n");
  auto conf = ParseNodesConf(text);
  ASSERT_TRUE(conf.ok()) << conf.status();
  EXPECT_EQ(conf->nodes[0].flags, flags::kMyself | flags::kMaster);
}

struct BadFile {
  const char* what;
  std::string text;
  std::string error;  // expected substring
};

class ParseNodesConfErrorTest : public testing::TestWithParam<BadFile> {};

TEST_P(ParseNodesConfErrorTest, RejectedWithLineNumber) {
  auto conf = ParseNodesConf(GetParam().text);
  ASSERT_FALSE(conf.ok()) << GetParam().what;
  EXPECT_EQ(conf.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(conf.status().message().find(GetParam().error), std::string::npos)
      << conf.status();
}

INSTANTIATE_TEST_SUITE_P(
    Redis, ParseNodesConfErrorTest,
    testing::Values(
        BadFile{"unknown flag",
                MyselfLine() + Line(kN2, "1.1.1.1:1 master,primary - 0 0 0 c"),
                "line 2: unknown flag 'primary'"},
        BadFile{"empty flag", MyselfLine() + Line(kN2, "1.1.1.1:1 master, - 0 0 0 c"),
                "line 2: unknown flag ''"},
        BadFile{"seven fields",
                "\n" + MyselfLine() + Line(kN2, "1.1.1.1:1 master - 0 0 0"),
                "line 3: expected at least 8 fields, got 7"},
        BadFile{"short id", MyselfLine() + "abc 1.1.1.1:1 master - 0 0 0 c\n",
                "line 2: bad node id 'abc'"},
        BadFile{"uppercase id",
                MyselfLine() + "ABCDEF" + std::string(34, '1') +
                    " 1.1.1.1:1 master - 0 0 0 c\n",
                "line 2: bad node id"},
        BadFile{"bad master", MyselfLine() + Line(kN2, "1.1.1.1:1 slave 123 0 0 0 c"),
                "line 2: bad master id '123'"},
        BadFile{"no colon", MyselfLine() + Line(kN2, "localhost master - 0 0 0 c"),
                "line 2: address without ':'"},
        BadFile{"long ip",
                MyselfLine() + Line(kN2, std::string(46, '1') + ":1 master - 0 0 0 c"),
                "line 2: ip longer than 45"},
        BadFile{"slot too big", Line(kN1, "1.1.1.1:1 myself,master - 0 0 0 c 16384"),
                "line 1: slot out of range in '16384'"},
        BadFile{"negative slot", Line(kN1, "1.1.1.1:1 myself,master - 0 0 0 c 10--1"),
                "line 1: slot out of range"},
        BadFile{"open slot without dash",
                Line(kN1, "1.1.1.1:1 myself,master - 0 0 0 c [5]"),
                "line 1: bad open slot"},
        BadFile{"truncated open slot",
                Line(kN1, "1.1.1.1:1 myself,master - 0 0 0 c [5->"),
                "line 1: truncated open slot"},
        BadFile{"open slot bad id",
                Line(kN1, "1.1.1.1:1 myself,master - 0 0 0 c [5->-abc]"),
                "line 1: bad node id in '[5->-abc]'"},
        BadFile{"open slot out of range",
                Line(kN1, absl::StrCat("1.1.1.1:1 myself,master - 0 0 0 c [16384->-", kN2,
                                       "]")),
                "line 1: slot out of range"},
        BadFile{"vars with even fields", MyselfLine() + "vars currentEpoch\n",
                "line 2: vars needs name value pairs"},
        BadFile{"two myself",
                MyselfLine() + Line(kN2, "1.1.1.1:1 myself,slave - 0 0 0 c"),
                "line 2: a second node is myself"},
        BadFile{"no myself", Line(kN2, "1.1.1.1:1 master - 0 0 0 c"),
                "no node is flagged myself"},
        BadFile{"only blank lines", "\n\n", "no node is flagged myself"},
        BadFile{"unbalanced quotes", MyselfLine() + "vars \"currentEpoch 1\n",
                "line 2: unbalanced quotes"},
        BadFile{"closing quote glued", MyselfLine() + "vars \"a\"b 1\n",
                "line 2: unbalanced quotes"},
        BadFile{"blanks only", MyselfLine() + "   \n", "line 2: blank line"},
        BadFile{"crlf blank line", MyselfLine() + "\r\n", "line 2: blank line"}));

// ---- Round trip over random states ----

constexpr std::string_view kIdChars = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr uint16_t kPrintable = flags::kMyself | flags::kMaster | flags::kSlave |
                                flags::kPFail | flags::kFail | flags::kHandshake |
                                flags::kNoAddr | flags::kNoFailover;

std::string GenName() {
  return *rc::gen::container<std::string>(kNameLen,
                                          rc::gen::elementOf(std::string(kIdChars)));
}

// A millisecond time; Redis ignores values whose low 32 bits are zero.
int64_t GenTime() {
  int64_t t = *rc::gen::inRange<int64_t>(0, int64_t{1} << 42);
  return static_cast<int32_t>(t) == 0 ? 0 : t;
}

// A consistent state with random names, flags, addresses, masters, times,
// epochs, links, slot runs and open slots. Handshake nodes own nothing and are
// nobody's master or open-slot peer (Redis never makes them so).
ClusterState GenState() {
  int count = *rc::gen::inRange(1, 9);
  std::set<std::string> name_set;
  while (static_cast<int>(name_set.size()) < count) name_set.insert(GenName());
  std::vector<std::string> names(name_set.begin(), name_set.end());
  size_t me = *rc::gen::inRange<size_t>(0, names.size());
  ClusterStateBuilder b;
  std::vector<std::string> core;  // not in handshake
  for (size_t i = 0; i < names.size(); ++i) {
    uint16_t f = *rc::gen::inRange<uint16_t>(0, 1024);
    f &= static_cast<uint16_t>(~flags::kMyself);
    if (i == me) f = static_cast<uint16_t>((f & ~flags::kHandshake) | flags::kMyself);
    std::string ip = *rc::gen::elementOf(
        std::vector<std::string>{"127.0.0.1", "", "::1", "10.20.30.40"});
    ClusterNode& n = b.Add(names[i], f, ip, *rc::gen::inRange(0, 65536));
    n.cport = *rc::gen::inRange(0, 65536);
    if (*rc::gen::inRange(0, 3) == 0) {
      n.hostname = *rc::gen::nonEmpty(rc::gen::container<std::string>(
          rc::gen::elementOf(std::string("abcxyz019.-"))));
    }
    n.ping_sent_ms = GenTime();
    n.pong_received_ms = GenTime();
    n.config_epoch = Epoch(*rc::gen::arbitrary<uint64_t>());
    if (*rc::gen::arbitrary<bool>()) b.Connect(names[i]);
    if (!(f & flags::kHandshake)) core.push_back(names[i]);
  }
  for (const std::string& name : names) {
    if (core.size() < 2 || *rc::gen::inRange(0, 2) == 0) continue;
    std::string master = *rc::gen::elementOf(core);
    if (master != name) b.ReplicaOf(name, master);
  }
  int runs = *rc::gen::inRange(0, 6);
  for (int r = 0; r < runs; ++r) {
    int first = *rc::gen::inRange(0, kClusterSlots);
    int last = std::min(kClusterSlots - 1, first + *rc::gen::inRange(0, 3000));
    std::string owner = *rc::gen::elementOf(core);
    for (int s = first; s <= last; ++s) {
      if (b.state().slots[s] == nullptr) b.Slots(owner, s, s);
    }
  }
  int open = *rc::gen::inRange(0, 5);
  for (int i = 0; i < open; ++i) {
    int slot = *rc::gen::inRange(0, kClusterSlots);
    std::string peer = *rc::gen::elementOf(core);
    if (*rc::gen::arbitrary<bool>()) {
      b.Migrating(slot, peer);
    } else {
      b.Importing(slot, peer);
    }
  }
  b.state().current_epoch = Epoch(*rc::gen::arbitrary<uint64_t>());
  b.state().last_vote_epoch = Epoch(*rc::gen::arbitrary<uint64_t>());
  return b.Build();
}

RC_GTEST_PROP(NodesConfProperty, RenderParseRenderIsIdentity, ()) {
  ClusterState state = GenState();
  std::string text = NodesConfText(state);
  auto conf = ParseNodesConf(text);
  RC_ASSERT(conf.ok());
  RC_ASSERT(RenderNodesConf(*conf) == text);
}

RC_GTEST_PROP(NodesConfProperty, ParseRecoversEveryWrittenField, ()) {
  ClusterState state = GenState();
  auto conf = ParseNodesConf(NodesConfText(state));
  RC_ASSERT(conf.ok());
  size_t written = 0;
  for (const auto& node : state.nodes) {
    const ClusterNode& n = *node;
    const LoadedNode* l = conf->Find(n.name);
    if (n.Has(flags::kHandshake)) {
      RC_ASSERT(l == nullptr);
      continue;
    }
    ++written;
    RC_ASSERT(l != nullptr);
    RC_ASSERT(l->has_line);
    RC_ASSERT(l->ip == n.ip);
    RC_ASSERT(l->port == n.port);
    RC_ASSERT(l->cport == n.cport);
    RC_ASSERT(l->hostname == n.hostname);
    RC_ASSERT(l->flags == (n.flags & kPrintable));
    RC_ASSERT(l->master == (n.replica_of ? n.replica_of->name : NodeName()));
    RC_ASSERT(l->ping_sent_ms == n.ping_sent_ms);
    RC_ASSERT(l->pong_received_ms == n.pong_received_ms);
    Epoch printed =
        n.is_replica() && n.replica_of ? n.replica_of->config_epoch : n.config_epoch;
    RC_ASSERT(l->config_epoch == printed);
    RC_ASSERT(
        l->link_state ==
        std::string(n.link.valid() || n.is_myself() ? "connected" : "disconnected"));
    SlotRanges slots = n.num_slots ? state.SlotsOf(&n)->Ranges() : SlotRanges();
    RC_ASSERT(l->slots == slots);
  }
  RC_ASSERT(conf->nodes.size() == written);
  RC_ASSERT(conf->myself == state.myself->name);
  RC_ASSERT(conf->current_epoch == state.current_epoch);
  RC_ASSERT(conf->last_vote_epoch == state.last_vote_epoch);
  std::map<int, NodeName> mig, imp;
  for (const auto& [slot, to] : state.migrating_slots_to) mig[slot] = to->name;
  for (const auto& [slot, from] : state.importing_slots_from) {
    if (!mig.count(slot)) imp[slot] = from->name;
  }
  RC_ASSERT(conf->migrating_to == mig);
  RC_ASSERT(conf->importing_from == imp);
}

RC_GTEST_PROP(ClusterTextProperty, NodesTextIsTheLinesOfEveryNode, ()) {
  ClusterState state = GenState();
  std::string expected;
  for (const auto& n : state.nodes) {
    absl::StrAppend(&expected, ClusterNodeLine(state, *n), "\n");
  }
  RC_ASSERT(ClusterNodesText(state) == expected);
}

}  // namespace
}  // namespace slotsim::model
