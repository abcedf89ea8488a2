#include "tools/sweep/unavailability.h"

#include <cmath>

#include "gtest/gtest.h"

namespace slotsim::tools::sweep {
namespace {

using Op = scenarios::ClientOp;
using sim::Time;

void Add(scenarios::History* h, int slot, int64_t invoked_ms, int64_t completed_ms,
         Op::Outcome outcome, Op::Kind kind = Op::Kind::kSet, int retries = 0,
         int redirects = 0) {
  Op op;
  op.retries = retries;
  op.redirects = redirects;
  op.kind = kind;
  op.slot = slot;
  op.invoked = Time::FromMillis(invoked_ms);
  op.completed = completed_ms < 0 ? Time::Max() : Time::FromMillis(completed_ms);
  op.outcome = outcome;
  h->Invoke(op);
}

const std::vector<scenarios::SlotRange> kLow = {{0, 5460}};
const Time kFault = Time::FromMillis(1000);
const Time kEnd = Time::FromMillis(60000);

TEST(UnavailabilityTest, TimeFromFaultToFirstSuccessAfterTheLastFailure) {
  scenarios::History h;
  Add(&h, 10, 500, 501, Op::Outcome::kError);  // before the fault: ignored
  Add(&h, 10, 1200, 2200, Op::Outcome::kTimeout);
  Add(&h, 9000, 1300, 1301, Op::Outcome::kError);  // another range
  Add(&h, 20, 2300, 2301, Op::Outcome::kOk);       // a brief recovery
  Add(&h, 20, 2400, 2401, Op::Outcome::kError);    // ... then down again
  Add(&h, 30, 2500, 2502, Op::Outcome::kError, Op::Kind::kGet);  // reads do not count
  Add(&h, 30, 3000, 3007, Op::Outcome::kOk);
  Add(&h, 40, 3100, 3101, Op::Outcome::kOk);
  EXPECT_DOUBLE_EQ(WriteUnavailabilityMs(h, kLow, kFault, kEnd), 2007);
  EXPECT_DOUBLE_EQ(WriteUnavailabilityMs(h, {{8000, 9999}}, kFault, kEnd),
                   std::numeric_limits<double>::infinity())
      << "failed and never written again";
}

TEST(UnavailabilityTest, ZeroWithoutFailuresNaNWithoutWrites) {
  scenarios::History h;
  Add(&h, 10, 1500, 1501, Op::Outcome::kOk);
  Add(&h, 10, 70000, 70001, Op::Outcome::kError);  // after the window
  EXPECT_EQ(WriteUnavailabilityMs(h, kLow, kFault, kEnd), 0);
  EXPECT_TRUE(std::isnan(WriteUnavailabilityMs(h, {{6000, 6001}}, kFault, kEnd)));
}

TEST(UnavailabilityTest, AWriteThatNeededRetriesWasTroubledARedirectedOneNot) {
  scenarios::History h;
  Add(&h, 10, 1500, 2400, Op::Outcome::kOk, Op::Kind::kSet, /*retries=*/3);
  Add(&h, 11, 2400, 2410, Op::Outcome::kOk, Op::Kind::kSet, 0, /*redirects=*/1);
  EXPECT_DOUBLE_EQ(WriteUnavailabilityMs(h, kLow, kFault, kEnd), 1410);
  scenarios::History moved;
  Add(&moved, 11, 2400, 2410, Op::Outcome::kOk, Op::Kind::kSet, 0, /*redirects=*/1);
  EXPECT_EQ(WriteUnavailabilityMs(moved, kLow, kFault, kEnd), 0);
}

TEST(UnavailabilityTest, AnUnansweredWriteCountsAsFailed) {
  scenarios::History h;
  Add(&h, 10, 1500, -1, Op::Outcome::kPending);
  Add(&h, 11, 1600, 1650, Op::Outcome::kOk);
  EXPECT_DOUBLE_EQ(WriteUnavailabilityMs(h, kLow, kFault, kEnd), 650);
}

}  // namespace
}  // namespace slotsim::tools::sweep
