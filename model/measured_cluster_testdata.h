// The measured 6-node cluster (real_redis_formats_testdata.h) as ClusterStates,
// for golden tests.
//
// Each snapshot rebuilds, by hand, the view of the observing node at the moment
// a measured file was captured: node ids, ports 11001-11006, flags, masters,
// ping/pong times, config epochs, links, slots, currentEpoch, health, message
// counters and the replication offsets the SHARDS outputs show. Replicas' own
// configEpochs are not visible in any measured output; they are set to 4-6.
//
//   A 039c3316... :11001  master 0-5460      epoch 1   (fails, rejoins as a
//   B a66f5dbc... :11002  master 5461-10922  epoch 2    replica of E)
//   C d55490a7... :11003  master 10923-16383 epoch 3
//   D b2a59c52... :11004  replica of C
//   E 450a5933... :11005  replica of A       (promoted, epoch 7)
//   F 3ad881d8... :11006  replica of B

#ifndef SLOTSIM_MODEL_MEASURED_CLUSTER_TESTDATA_H_
#define SLOTSIM_MODEL_MEASURED_CLUSTER_TESTDATA_H_

#include <cstdint>

#include "model/cluster_state.h"

namespace slotsim::model::testdata {

inline constexpr char kNodeA[] = "039c3316a0a4e59085300b8e86827a175af3e4f1";
inline constexpr char kNodeB[] = "a66f5dbc303779a29fac532f6bb7c6415cbb180e";
inline constexpr char kNodeC[] = "d55490a7a7d5d7a2210bdab94d895bd9f872bb3c";
inline constexpr char kNodeD[] = "b2a59c52e9b79d821ec8fd45a6bbb8a0c10e7600";
inline constexpr char kNodeE[] = "450a59334495e11c7c24d94211f900d843139de8";
inline constexpr char kNodeF[] = "3ad881d85c77b9f7756af3d419bc827bfc335770";

enum class Snapshot {
  kSteady,                // cluster-nodes.txt, cluster-info.txt, shards, slots
  kNodesConfExample,      // nodes-conf-file-example.txt
  kFromReplica,           // cluster-nodes-from-replica.txt (observer E)
  kPFail,                 // *-pfail: A is PFAIL
  kFail,                  // *-fail: A is FAIL, cluster down
  kAfterFailover,         // *-after-failover: E promoted
  kAfterFailoverSettled,  // *-after-failover-settled
  kAfterRejoin,           // *-after-rejoin: A back as E's replica
};

struct MeasuredCluster {
  ClusterState state;
  // The observer's own replication offset, as CLUSTER SHARDS reported it.
  uint64_t my_repl_offset = 0;
};

MeasuredCluster MeasuredState(Snapshot snapshot);

}  // namespace slotsim::model::testdata

#endif  // SLOTSIM_MODEL_MEASURED_CLUSTER_TESTDATA_H_
