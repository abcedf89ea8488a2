#include "sim/callback.h"

#include <memory>
#include <string>
#include <utility>

#include "gtest/gtest.h"

namespace slotsim::sim {
namespace {

TEST(CallbackTest, InvokesSmallLambdasStoredInline) {
  int calls = 0;
  int* p = &calls;
  uint64_t a = 1;
  uint64_t b = 2;
  auto fn = [p, a, b] { *p += static_cast<int>(a + b); };
  static_assert(Callback::kFitsInline<decltype(fn)>);
  Callback cb = fn;
  ASSERT_TRUE(static_cast<bool>(cb));
  cb();
  cb();
  EXPECT_EQ(calls, 6);
}

TEST(CallbackTest, LargeCallablesGoToTheHeapAndStillWork) {
  struct Big {
    char pad[200];
    int* out;
    void operator()() { *out = pad[0] + 1; }
  };
  static_assert(!Callback::kFitsInline<Big>);
  int out = 0;
  Big big{};
  big.out = &out;
  Callback cb = big;
  Callback moved = std::move(cb);
  EXPECT_FALSE(static_cast<bool>(cb));  // NOLINT: testing moved-from state
  moved();
  EXPECT_EQ(out, 1);
}

TEST(CallbackTest, HoldsMoveOnlyStateAndDestroysItOnce) {
  auto token = std::make_shared<int>(7);
  std::weak_ptr<int> watch = token;
  {
    auto owned = std::make_unique<std::shared_ptr<int>>(std::move(token));
    Callback cb = [owned = std::move(owned)] { ++**owned; };
    Callback other;
    other = std::move(cb);
    other();
    EXPECT_EQ(*watch.lock(), 8);
    EXPECT_FALSE(watch.expired());
  }
  EXPECT_TRUE(watch.expired());
}

TEST(CallbackTest, ResetReleasesCapturesEarly) {
  auto token = std::make_shared<std::string>("x");
  std::weak_ptr<std::string> watch = token;
  Callback cb = [token = std::move(token)] {};
  EXPECT_FALSE(watch.expired());
  cb.Reset();
  EXPECT_TRUE(watch.expired());
  EXPECT_FALSE(static_cast<bool>(cb));
}

TEST(CallbackDeathTest, InvokingEmptyCallbackFails) {
  Callback cb;
  EXPECT_DEATH(cb(), "empty Callback");
}

}  // namespace
}  // namespace slotsim::sim
