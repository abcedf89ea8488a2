// Test helpers for the scenario-level resharding tests (reshard_test.cc,
// rebalance_test.cc): run a scenario with every default property checker of
// props/ and look at the end state of the world.
//
// "Owner" below is a world name (m1, r2, ...); an empty string means no node
// binds the slot. A node's "shard" is itself if it is a master, else its
// master.

#ifndef SLOTSIM_SCENARIOS_RESHARD_TESTING_H_
#define SLOTSIM_SCENARIOS_RESHARD_TESTING_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "props/write_loss.h"
#include "scenarios/checker.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.pb.h"
#include "scenarios/world.h"

namespace slotsim::scenarios::testing_util {

// One finished run; the runner (and so the world) stays alive for
// inspection.
struct CheckedRun {
  std::unique_ptr<Runner> runner;
  RunResult result;
  std::vector<std::unique_ptr<Checker>> checkers;
  const props::WriteLossChecker* write_loss = nullptr;

  const World& world() const { return runner->world(); }
  std::vector<Violation> violations_by(const std::string& property) const;
};

// Loads `text` (a test failure if it does not load) and runs it with the
// default properties (props::DefaultPropertyNames) plus `options`'
// observers; writes_lost expectations count the write-loss checker's losses.
std::unique_ptr<CheckedRun> RunChecked(const std::string& text, RunOptions options = {});

// Fails the current test for every violation and failed expectation.
void ExpectClean(const CheckedRun& run);

// "m1 migrating 42 -> m2" / "m2 importing 42 <- m1" for every running node.
std::vector<std::string> OpenSlots(const World& world);

// Slot -> owner, if every running cluster node (up, not paused, knowing
// another node) binds every slot the same way; else a test failure and an
// empty vector.
std::vector<std::string> AgreedOwners(const World& world);

// The world name of `node`'s shard: itself if a master, its master if a
// replica, "" if down.
std::string ShardOf(const World& world, const std::string& node);

// One line per (running node, slot) where the node holds keys of a slot its
// shard does not own (owners from AgreedOwners), at most `max`.
std::vector<std::string> KeysOutsideTheirShard(const World& world,
                                               const std::vector<std::string>& owners,
                                               int max);

// Slots each owner has, from AgreedOwners' answer.
std::map<std::string, int> SlotCounts(const std::vector<std::string>& owners);

}  // namespace slotsim::scenarios::testing_util

#endif  // SLOTSIM_SCENARIOS_RESHARD_TESTING_H_
