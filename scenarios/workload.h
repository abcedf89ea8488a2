// Workload: N client actors (c1..cN), each a ClusterClient issuing GET/SET
// requests over a key space at a configured rate, recording every operation in
// a shared History.
//
// Per client, requests are sequential: client i's first request starts at
// start + a uniform phase in [0, interval); request k+1 starts at the later of
// (the start of request k + a gap) and the end of request k (and of the WAIT
// after it). The gap is interval = 1e6 / ops_per_s us (kFixed), or an
// exponential draw with that mean (kExponential). No request starts at or
// after `stop`.
//
// A request: with probability read_ppm / 1e6 a GET, else a SET; the key is
// uniform over keys k0..k{keys-1} (WorkloadKey); a SET writes the unique value
// "<client>:<seq>" right-padded with '.' to value_bytes (WorkloadValue; longer
// values are kept whole). After an acknowledged SET, with probability
// wait.ppm / 1e6, WAIT numreplicas timeout_ms is sent to the node that
// acknowledged it; its integer answer is recorded as the op's wait_replicas
// (an error or no answer leaves -1). The op's completion time is the SET's.
//
// Times in the History are the client's process time (ctx.Now()); the node
// recorded is the name of the node that gave the final answer (World's name
// for that address, or "ip:port" if no node has it).
//
// Randomness: ctx.rng() of each client's process (forked from the run seed by
// the world per actor name).

#ifndef SLOTSIM_SCENARIOS_WORKLOAD_H_
#define SLOTSIM_SCENARIOS_WORKLOAD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/cluster_client.h"
#include "scenarios/history.h"
#include "scenarios/scenario.pb.h"
#include "scenarios/world.h"
#include "sim/time.h"

namespace slotsim::scenarios {

struct WorkloadOptions {
  enum class Arrival { kFixed, kExponential };

  int clients = 2;
  int64_t keys = 1000;
  int hash_tags = 0;  // N > 0: key i carries the tag {t<i mod N>}
  uint32_t read_ppm = 500000;
  int ops_per_s = 100;
  Arrival arrival = Arrival::kFixed;
  sim::Time start = sim::Time::Zero();
  sim::Time stop = sim::Time::Max();
  int value_bytes = 16;
  struct Wait {
    int numreplicas = 1;
    int64_t timeout_ms = 100;
    uint32_t ppm = 1000000;
  };
  std::optional<Wait> wait;
  // The ClusterClient's knobs (seeds are given to AddWorkload).
  ClusterClientOptions client;
  // Actor names are <name_prefix><i>, i from 1; all on host `client_ip`.
  std::string name_prefix = "c";
  std::string client_ip = "10.0.0.1";
};

// scenario.proto's Workload: stop defaults to `duration_ms`;
// request_timeout_ms and max_redirects go to the client options.
WorkloadOptions WorkloadFromProto(const Workload& w, int64_t duration_ms);

// "k<i>", or "{t<i mod hash_tags>}k<i>" with hash tags.
std::string WorkloadKey(int hash_tags, int64_t i);
// "<client>:<seq>" right-padded with '.' to `bytes`.
std::string WorkloadValue(const std::string& client, uint64_t seq, int bytes);

class WorkloadClient : public Actor {
 public:
  WorkloadClient(std::string name, const WorkloadOptions& options,
                 std::vector<NodeAddress> seeds, History* history);

  void OnStart(ActorContext& ctx) override;
  void OnConnected(ActorContext& ctx, sim::ConnId conn) override;
  void OnConnectFailed(ActorContext& ctx, sim::ConnId conn) override;
  void OnClosed(ActorContext& ctx, sim::ConnId conn) override;
  void OnMessage(ActorContext& ctx, sim::ConnId conn, model::Wire&& msg) override;

  const ClusterClient& client() const { return client_; }
  int64_t ops_started() const { return ops_started_; }
  int64_t ops_finished() const { return ops_finished_; }

 private:
  sim::Duration Gap(ActorContext& ctx);
  void ScheduleAt(ActorContext& ctx, sim::Time at);
  void StartOp(ActorContext& ctx);
  void OpDone(ActorContext& ctx, uint64_t id, const ClusterReply& r);
  void Next(ActorContext& ctx);
  std::string NodeName(ActorContext& ctx, const NodeAddress& a) const;

  std::string name_;
  WorkloadOptions options_;
  History* history_;
  ClusterClient client_;
  sim::Time planned_;  // planned start of the next request
  uint64_t write_seq_ = 0;
  int64_t ops_started_ = 0;
  int64_t ops_finished_ = 0;
};

// Adds options.clients WorkloadClient actors to `world`; they start now and
// make their first request at options.start or later. Returns them (owned by
// the world).
std::vector<WorkloadClient*> AddWorkload(World& world, const WorkloadOptions& options,
                                         const std::vector<NodeAddress>& seeds,
                                         History* history);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_WORKLOAD_H_
