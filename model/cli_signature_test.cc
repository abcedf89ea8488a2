#include "model/cli_signature.h"

#include <string>

#include "gtest/gtest.h"

namespace slotsim::model {
namespace {

// create-n6-cluster-nodes.txt, measured on Redis 7.0.15.
constexpr char kMeasuredNodes[] =
    "00322e0eb9ddd66bd1bbdc4a2c95882b601d7234 127.0.0.1:11004@21004 slave "
    "a9def581dfbfd517378f7e6c69db81c70304c276 0 1795546771068 1 connected\n"
    "eab50a05253e03a5944eabf7563dfaf28df41a5a 127.0.0.1:11005@21005 slave "
    "2a71e7b0bf892d8a3ec3b548dc18e25d83f33742 0 1795546771571 2 connected\n"
    "a81d647a675df0ee9b209ed9a1d456606a6851ad 127.0.0.1:11006@21006 slave "
    "30f72c821e17bed88706eafe7aa27f11a46c11d3 0 1795546771000 3 connected\n"
    "2a71e7b0bf892d8a3ec3b548dc18e25d83f33742 127.0.0.1:11002@21002 master - 0 "
    "1795546771068 2 connected 5461-10922\n"
    "a9def581dfbfd517378f7e6c69db81c70304c276 127.0.0.1:11001@21001 myself,master - 0 "
    "1795546771000 1 connected 0-5460\n"
    "30f72c821e17bed88706eafe7aa27f11a46c11d3 127.0.0.1:11003@21003 master - 0 "
    "1795546771571 3 connected 10923-16383\n";

TEST(ConfigSignatureTest, MeasuredSixNodeCluster) {
  EXPECT_EQ(ConfigSignature(kMeasuredNodes),
            "2a71e7b0bf892d8a3ec3b548dc18e25d83f33742:5461-10922|"
            "30f72c821e17bed88706eafe7aa27f11a46c11d3:10923-16383|"
            "a9def581dfbfd517378f7e6c69db81c70304c276:0-5460");
}

TEST(ConfigSignatureTest, SlotTokensSortAsStringsAndOpenSlotsAreIgnored) {
  EXPECT_EQ(ConfigSignature("bbb a f - 0 0 1 connected 5461 10923-16383 [7->-ccc]\n"
                            "aaa a f - 0 0 1 connected 0-5460 [10-<-bbb]\n"),
            "aaa:0-5460|bbb:10923-16383,5461");
}

TEST(ConfigSignatureTest, LinesWithoutSlotsOrUnterminatedAreSkipped) {
  EXPECT_EQ(ConfigSignature("aaa a f - 0 0 1 connected\n"), std::nullopt);
  EXPECT_EQ(ConfigSignature("aaa a f - 0 0 1 connected \n"), std::nullopt);
  EXPECT_EQ(ConfigSignature("aaa a f - 0 0 1 connected [5->-b]\n"), std::nullopt);
  EXPECT_EQ(ConfigSignature("aaa a f - 0 0 1 connected 5"), std::nullopt);
  EXPECT_EQ(ConfigSignature("too few fields 1\n"), std::nullopt);
  EXPECT_EQ(ConfigSignature(""), std::nullopt);
  EXPECT_EQ(ConfigSignature("aaa a f - 0 0 1 connected 1 \n"), "aaa:1");
  // Two spaces make an empty token, which redis-cli keeps (it sorts first).
  EXPECT_EQ(ConfigSignature("aaa a f - 0 0 1 connected 1  2\n"), "aaa:,1,2");
}

TEST(ConfigConsistentTest, AgreementRules) {
  EXPECT_TRUE(ConfigConsistent({}));
  EXPECT_TRUE(ConfigConsistent({std::nullopt}));  // a single node always agrees
  EXPECT_TRUE(ConfigConsistent({std::string("a:1"), std::string("a:1")}));
  EXPECT_FALSE(ConfigConsistent({std::string("a:1"), std::string("a:2")}));
  EXPECT_FALSE(ConfigConsistent({std::nullopt, std::nullopt}));
  EXPECT_FALSE(ConfigConsistent({std::string("a:1"), std::nullopt}));
}

}  // namespace
}  // namespace slotsim::model
