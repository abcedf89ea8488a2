// Every default property under random fault schedules, on small clusters
// with a short node timeout: crashes (process and power loss), restarts,
// pauses, partitions, one-way blocks, clogs and heals, then the heal phase,
// under a small read/write workload.
// This is the simulator's purpose in miniature; a failure prints the seed,
// every violation and the schedule.
//
// Network faults hold or reset what they cut (FaultMode kHold / kReject), as
// TCP does. kDrop loses messages on live connections, which TCP never does,
// and Redis relies on that: a PING lost on a live outbound link stays
// outstanding forever when the peer keeps talking on its own link (the link
// refresh needs data_delay > NT/2), so a FAIL flag set during the fault can
// survive the heal and the convergence property fails.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "props/registry.h"
#include "props/testing/harness.h"
#include "scenarios/workload.h"
#include "sim/faults.h"
#include "sim/process.h"
#include "sim/rng.h"

namespace slotsim::props {
namespace {

using sim::Duration;
using testing::Harness;

struct Outcome {
  std::vector<std::string> violations;
  std::vector<std::string> schedule;
};

Outcome RunSeed(uint64_t seed, int masters, int replicas) {
  Outcome out;
  Harness h(Harness::Options(masters, replicas, 1000, seed));
  auto checkers = MakeCheckers({});
  EXPECT_TRUE(checkers.ok());
  for (auto& c : *checkers) h.Add(c.get());
  if (!h.FormCluster(masters, replicas)) {
    out.violations.push_back("cluster did not form");
    return out;
  }
  // Two clients write and read 40 keys through the faults, so write_loss has
  // a history to judge.
  scenarios::WorkloadOptions wo;
  wo.clients = 2;
  wo.keys = 40;
  wo.read_ppm = 200000;
  wo.ops_per_s = 50;
  wo.start = h.world().now();
  std::vector<scenarios::NodeAddress> seeds;
  for (const std::string& n : h.world().node_names()) {
    seeds.push_back({h.world().spec(n).config.ip, h.world().spec(n).config.port});
  }
  scenarios::AddWorkload(h.world(), wo, seeds, &h.record().history);
  sim::Rng rng(seed * 7919 + 1);
  const std::vector<std::string> names = h.world().node_names();
  for (int step = 0; step < 16; ++step) {
    h.RunFor(rng.UniformDuration(Duration::Millis(200), Duration::Millis(3000)));
    const std::string node = rng.Pick(names);
    const std::string at = h.world().now().ToString();
    switch (rng.Uniform(9)) {
      case 0:
        if (h.world().Crash(node)) out.schedule.push_back(at + " crash " + node);
        break;
      case 1:
        if (h.world().Crash(node, sim::CrashKind::kPowerLoss)) {
          out.schedule.push_back(at + " power-loss " + node);
        }
        break;
      case 2:
        for (const std::string& n : names) {
          if (!h.world().IsUp(n) && h.world().Restart(n)) {
            out.schedule.push_back(at + " restart " + n);
          }
        }
        break;
      case 3:
        if (h.world().IsPaused(node) ? h.world().Resume(node) : h.world().Pause(node)) {
          out.schedule.push_back(at + " pause/resume " + node);
        }
        break;
      case 4: {
        std::vector<std::string> a, b;
        for (const std::string& n : names) (rng.Chance(1, 3) ? a : b).push_back(n);
        if (!a.empty() && !b.empty()) {
          h.world().Partition(
              {a, b}, rng.Chance(1, 2) ? sim::FaultMode::kHold : sim::FaultMode::kReject);
          out.schedule.push_back(at + " partition " + absl::StrJoin(a, ",") + " | " +
                                 absl::StrJoin(b, ","));
        }
        break;
      }
      case 7: {
        std::vector<std::string> a, b;
        for (const std::string& n : names) (rng.Chance(1, 3) ? a : b).push_back(n);
        if (!a.empty() && !b.empty()) {
          h.world().BlockOneWay(a, b, sim::FaultMode::kHold);
          out.schedule.push_back(at + " block " + absl::StrJoin(a, ",") + " -> " +
                                 absl::StrJoin(b, ","));
        }
        break;
      }
      case 8:
        h.world().Clog(
            {node}, rng.UniformDuration(Duration::Millis(100), Duration::Millis(3000)));
        out.schedule.push_back(at + " clog " + node);
        break;
      default:
        h.world().HealAll();
        out.schedule.push_back(at + " heal");
        break;
    }
  }
  h.Heal();
  h.RunFor(Duration::Seconds(2));
  h.Finish();
  out.violations = h.Violations();
  return out;
}

class RandomFaults : public ::testing::TestWithParam<uint64_t> {};

TEST_P(RandomFaults, ThreeMastersOneReplicaEach) {
  const Outcome o = RunSeed(GetParam(), 3, 1);
  EXPECT_TRUE(o.violations.empty())
      << "seed " << GetParam() << "\n"
      << absl::StrJoin(o.violations, "\n") << "\nschedule:\n"
      << absl::StrJoin(o.schedule, "\n");
}

TEST_P(RandomFaults, ThreeMastersTwoReplicasEach) {
  const Outcome o = RunSeed(GetParam() + 1000, 3, 2);
  EXPECT_TRUE(o.violations.empty())
      << "seed " << GetParam() + 1000 << "\n"
      << absl::StrJoin(o.violations, "\n") << "\nschedule:\n"
      << absl::StrJoin(o.schedule, "\n");
}

TEST_P(RandomFaults, FiveMastersOneReplicaEach) {
  const Outcome o = RunSeed(GetParam() + 2000, 5, 1);
  EXPECT_TRUE(o.violations.empty())
      << "seed " << GetParam() + 2000 << "\n"
      << absl::StrJoin(o.violations, "\n") << "\nschedule:\n"
      << absl::StrJoin(o.schedule, "\n");
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomFaults, ::testing::Range<uint64_t>(1, 21));

}  // namespace
}  // namespace slotsim::props
